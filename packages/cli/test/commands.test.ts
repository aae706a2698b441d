import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import { magicNumbers, outageModes, sandboxCredentials, sandboxProviders } from '@sms-suite/sandbox';

import { assertBuilt, examplesDir, lines, makeScratch, runCli, startCli, stderrOf } from './support';

beforeAll(assertBuilt);

describe('sandbox command', () => {
  const scratch = makeScratch('sandbox');
  afterAll(() => {
    scratch.remove();
  });

  it('prints endpoints, credentials and magic numbers, shows each message as it arrives, and stops on SIGTERM', async () => {
    const { child, stdout, exited } = await startCli(['sandbox', '--port', '0'], /Waiting for messages/);
    const output = lines(stdout());
    const url = /^✔ SMS sandbox listening on (http:\/\/127\.0\.0\.1:\d+) · inbox: GET \1\/inbox$/.exec(
      output[0] ?? ''
    )?.[1];
    expect(url).toBeDefined();
    for (const [provider, credentials] of Object.entries(sandboxCredentials)) {
      const row = output.find((line) => line.startsWith(`  ${provider} `));
      expect(row).toBeDefined();
      for (const [key, value] of Object.entries(credentials)) {
        expect(row).toContain(`${key}=${value}`);
      }
    }
    for (const magic of magicNumbers) {
      expect(output.find((line) => line.includes(magic.number))).toContain(magic.outcome);
    }

    const twilioEndpoint = /^ {2}twilio +(\S+)/.exec(output.find((line) => line.startsWith('  twilio ')) ?? '')?.[1];
    const config = scratch.write('twilio.json', {
      ...(JSON.parse(readFileSync(path.join(examplesDir, 'twilio.json'), 'utf8')) as object),
      endpoint: twilioEndpoint,
    });
    const sent = await runCli(['send', '-c', 'twilio', '--config', config, '--to', '+1 650 253 0000']);
    expect(sent.code).toBe(0);
    const messageId = /message id (\S+)/.exec(sent.stdout)?.[1];

    await new Promise((resolve) => {
      setTimeout(resolve, 50);
    });
    expect(stdout()).toContain(
      `inbox twilio → +16502530000 (from MGsandbox0000000000000000000000000, id ${messageId!})`
    );
    expect(stdout()).toContain('"Your verification code is 000000. Do not share it with anyone."');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines(stdout()).at(-2)).toBe('Sandbox stopped (1 message received).');
  });

  it('refuses a port that is taken or not a port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => {
      blocker.listen(0, '127.0.0.1', resolve);
    });
    const { port } = blocker.address() as { port: number };
    try {
      const taken = await runCli(['sandbox', '--port', String(port)]);
      expect(taken.code).toBe(1);
      expect(lines(stderrOf(taken))).toEqual([
        `error: port ${port} is already in use`,
        'hint: choose another with --port, or --port 0 for any free port',
        '',
      ]);
    } finally {
      blocker.close();
    }

    const bad = await runCli(['sandbox', '--port', 'http']);
    expect(bad.code).toBe(2);
    expect(lines(stderrOf(bad))[0]).toBe('error: --port "http" is not a port number (0 to 65535)');
  });

  it('--outage puts providers in an outage from the start, prints them, and the outages can be changed over HTTP', async () => {
    const { child, stdout, exited } = await startCli(
      ['sandbox', '--port', '0', '--outage', 'twilio=unavailable', '--outage', 'aliyun=rate-limited'],
      /Waiting for messages/
    );
    const output = lines(stdout());
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output[0] ?? '')?.[1] ?? '';
    const heading = output.indexOf(
      `Outages (these providers fail every request; PUT or DELETE ${url}/outages/<provider> to change):`
    );
    expect(heading).toBeGreaterThan(0);
    expect(output.slice(heading + 1, heading + 4)).toEqual([
      "  twilio  unavailable   HTTP 503 Service Unavailable in the provider's style, as during a provider incident",
      "  aliyun  rate-limited  Throttles every request with the provider's rate-limit reply",
      '',
    ]);

    expect(await (await fetch(`${url}/outages`)).json()).toEqual({ twilio: 'unavailable', aliyun: 'rate-limited' });
    const twilioEndpoint = /^ {2}twilio +(\S+)/.exec(output.find((line) => line.startsWith('  twilio ')) ?? '')?.[1];
    expect((await fetch(`${twilioEndpoint!}/2010-04-01/Accounts/AC1/Messages.json`, { method: 'POST' })).status).toBe(
      503
    );
    const cleared = await fetch(`${url}/outages/twilio`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ aliyun: 'rate-limited' });
    const set = await fetch(`${url}/outages/vonage`, { method: 'PUT', body: JSON.stringify({ mode: 'reset' }) });
    expect(await set.json()).toEqual({ aliyun: 'rate-limited', vonage: 'reset' });
    expect(await (await fetch(`${url}/requests`)).json()).toMatchObject({ twilio: 1, aliyun: 0, vonage: 0 });

    await new Promise((resolve) => {
      setTimeout(resolve, 50);
    });
    expect(lines(stdout())).toEqual(
      expect.arrayContaining([
        'twilio     outage unavailable: 503 20503 Service Unavailable',
        'sandbox    outage twilio cleared',
        'sandbox    outage vonage: reset (until cleared)',
      ])
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('says so when no provider is in an outage', async () => {
    const { child, stdout, exited } = await startCli(['sandbox', '--port', '0'], /Waiting for messages/);
    const output = lines(stdout());
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output[0] ?? '')?.[1] ?? '';
    expect(output).toContain(
      `No outages. To make one provider fail: --outage twilio=unavailable, or PUT ${url}/outages/twilio {"mode": "unavailable"}.`
    );
    // Also lets the command reach its signal handler, which it installs once the banner is out.
    expect(await (await fetch(`${url}/outages`)).json()).toEqual({});
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it.each([
    [
      'twilio=down',
      `error: --outage "twilio=down": "down" is not an outage mode: use one of ${outageModes.join(', ')}`,
    ],
    [
      'sinch=unavailable',
      `error: --outage "sinch=unavailable": "sinch" is not a sandbox provider: use one of ${sandboxProviders.join(', ')}`,
    ],
    [
      'vonage=fraud-block',
      'error: --outage "vonage=fraud-block": the "fraud-block" outage exists for twilio only, not for vonage',
    ],
    ['twilio', 'error: --outage "twilio": "twilio" is not provider=mode (e.g. twilio=unavailable)'],
  ])('refuses --outage %s with the valid values (exit 2)', async (value, message) => {
    const result = await runCli(['sandbox', '--port', '0', '--outage', value]);
    expect(result.code).toBe(2);
    expect(lines(stderrOf(result))).toEqual([
      message,
      'hint: run "sms-connector sandbox --help" for the providers and the outage modes',
      '',
    ]);
  });

  it('refuses one provider in two outages', async () => {
    const result = await runCli(['sandbox', '--outage', 'twilio=reset', '--outage', 'twilio=no-reply']);
    expect(result.code).toBe(2);
    expect(lines(stderrOf(result))[0]).toBe(
      'error: --outage twilio is named twice (reset and no-reply): one mode per provider'
    );
  });

  it('--help lists the --outage option, the providers and every outage mode', async () => {
    const help = await runCli(['sandbox', '--help']);
    expect(help.stdout).toMatch(/^Usage: sms-connector sandbox \[--port N\] \[--outage provider=mode\]\.\.\./);
    expect(help.stdout).toContain(`Providers: ${sandboxProviders.join(', ')}`);
    for (const mode of outageModes) {
      expect(help.stdout).toMatch(new RegExp(`^ {2}${mode} +\\S`, 'm'));
    }
  });
});

describe('help and usage', () => {
  it.each(['send', 'validate', 'install', 'doctor', 'sandbox', 'demo'])(
    '%s --help, -h and "help %s" print the usage and exit 0',
    async (command) => {
      const results = await Promise.all([
        runCli([command, '--help']),
        runCli([command, '-h']),
        runCli(['help', command]),
      ]);
      for (const result of results) {
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`^Usage: sms-connector ${command}\\b`));
        expect(result.stdout).toBe(results[0]!.stdout);
      }
    }
  );

  it.each(['send', 'validate', 'install', 'demo'])(
    '%s --help lists the router among the connectors',
    async (command) => {
      const result = await runCli([command, '--help']);

      expect(result.code).toBe(0);
      // Every connector name of the suite, the router last, wherever the help lists them.
      expect(result.stdout.replace(/\s+/g, ' ')).toContain(
        'twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage, router'
      );
    }
  );

  it('lists the commands with --help, and exits 2 without a command or with an unknown one', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['send', 'validate', 'install', 'doctor', 'sandbox', 'demo']) {
      expect(help.stdout).toMatch(new RegExp(`^ {2}${command} +\\S`, 'm'));
    }

    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: sms-connector <command> [options]');

    const unknown = await runCli(['sned']);
    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)).toEqual([
      'error: unknown command "sned" (did you mean "send"?): use one of send, validate, install, doctor, sandbox, demo',
      'hint: run "sms-connector --help" for the list',
      '',
    ]);
  });

  it('prints its version', async () => {
    const result = await runCli(['--version']);
    const { version } = JSON.parse(readFileSync(path.resolve(examplesDir, '../package.json'), 'utf8')) as {
      version: string;
    };
    expect(result.stdout).toBe(`${version}\n`);
  });
});

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import { sandboxCredentials, startSandbox, type Sandbox } from '@sms-suite/sandbox';

import {
  assertBuilt,
  builtConnectors,
  stderrOf,
  examplesDir,
  lines,
  makeScratch,
  routerBuilt,
  runCli,
  type ConnectorName,
} from './support';

const example = (name: string) => path.join(examplesDir, `${name}.json`);

beforeAll(assertBuilt);

/** What the sandbox shows for the console's test message (Generic, 000000, no locale) per connector. */
const genericSends: Record<
  ConnectorName,
  { typed: string; to: string; parsed: string; inbox: RegExp; content: string }
> = {
  twilio: {
    typed: '+1 (650) 253-0000',
    to: '16502530000',
    parsed: '+1 6502530000 US',
    inbox: /^inbox {6}twilio → \+16502530000 \(from MGsandbox0{25}, id (SM[0-9a-f]{32})\)$/,
    content: '"Your verification code is 000000. Do not share it with anyone."',
  },
  aliyun: {
    typed: '+86 138 0013 8000',
    to: '8613800138000',
    parsed: '+86 13800138000 CN',
    inbox: /^inbox {6}aliyun → 13800138000 \(from SMS Suite, id (\d+\^0)\)$/,
    content: 'template SMS_100000001 code=000000',
  },
  tencent: {
    typed: '+86 139 1234 5678',
    to: '8613912345678',
    parsed: '+86 13912345678 CN',
    inbox: /^inbox {6}tencent → \+8613912345678 \(from SMS Suite, id (\S+)\)$/,
    content: 'template 1000001 {1}=000000',
  },
  http: {
    typed: '+33 6 12 34 56 78',
    to: '33612345678',
    parsed: '+33 612345678 FR',
    inbox: /^inbox {6}http → 33612345678 \(id (\S+)\)$/,
    content: '"Your verification code is 000000. Do not share it with anyone."',
  },
  smsaero: {
    typed: '+7 912 345-67-89',
    to: '79123456789',
    parsed: '+7 9123456789 RU',
    inbox: /^inbox {6}smsaero → 79123456789 \(from SMS Aero, id (\d+)\)$/,
    content: '"Your verification code is 000000. Do not share it with anyone."',
  },
  gatewayapi: {
    typed: '+45 20 12 34 56',
    to: '4520123456',
    parsed: '+45 20123456 DK',
    inbox: /^inbox {6}gatewayapi → 4520123456 \(from SMSSuite, id (\d+)\)$/,
    content: '"Your verification code is 000000. Do not share it with anyone."',
  },
  vonage: {
    typed: '+44 7700 900123',
    to: '447700900123',
    // Ofcom's drama range: a possible number, in no region of libphonenumber's metadata.
    parsed: '+44 7700900123',
    inbox: /^inbox {6}vonage → 447700900123 \(from SMSSuite, id (\S+)\)$/,
    content: '"Your verification code is 000000. Do not share it with anyone."',
  },
};

/** A sign-in code in fr-CA: the French template (language fallback fr-CA → fr). */
const frenchSignIn: Record<ConnectorName, string> = {
  twilio: '"Votre code de connexion est 424242. Ne le partagez avec personne."',
  aliyun: 'template SMS_300000002 code=424242',
  tencent: 'template 3000002 {1}=424242',
  http: '"Votre code de connexion est 424242. Ne le partagez avec personne."',
  smsaero: '"Votre code de connexion est 424242. Ne le partagez avec personne."',
  gatewayapi: '"Votre code de connexion est 424242. Ne le partagez avec personne."',
  vonage: '"Votre code de connexion est 424242. Ne le partagez avec personne."',
};

describe('send --sandbox through every connector', () => {
  it.each(builtConnectors)('%s: the console test message reaches the sandbox and its id is printed', async (name) => {
    const expected = genericSends[name];
    const result = await runCli(['send', '-c', name, '--config', example(name), '--to', expected.typed, '--sandbox']);

    expect(stderrOf(result)).toBe('');
    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output[0]).toMatch(
      new RegExp(`^connector  .* · id sms-suite-${name} · @sms-suite/connector-${name}-sms \\d+\\.\\d+\\.\\d+$`)
    );
    expect(output[1]).toBe(`to         ${expected.to} (typed "${expected.typed}") · ${expected.parsed}`);
    expect(output[2]).toBe('message    type Generic · code 000000 · no locale');
    expect(output[3]).toMatch(/^sandbox {4}http:\/\/127\.0\.0\.1:\d+(\/\S*)?$/);
    const inboxId = expected.inbox.exec(output[4] ?? '')?.[1];
    expect(inboxId).toBeDefined();
    expect(output[5]).toBe(`             ${expected.content}`);
    expect(output[6]).toMatch(
      new RegExp(`^✔ sent in \\d+ ms · message id ${inboxId!.replace(/[$^]/g, '\\$&')}( · request id \\S+)?$`)
    );
  });

  it.each(builtConnectors)('%s: a SignIn code in fr-CA uses the French template', async (name) => {
    const result = await runCli([
      'send',
      '-c',
      name,
      '--config',
      example(name),
      '--to',
      genericSends[name].typed,
      '--type',
      'SignIn',
      '--code',
      '424242',
      '--locale',
      'fr-CA',
      '--sandbox',
    ]);

    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output[2]).toBe('message    type SignIn · code 424242 · locale fr-CA');
    expect(output[5]?.trim()).toBe(frenchSignIn[name]);
    expect(output[6]).toMatch(/^✔ sent in \d+ ms · message id \S+/);
  });

  it.each([
    ['aliyun', '+1 650 253 0000', /^inbox {6}aliyun → 16502530000 /, 'template SMS_200000001 code=000000'],
    ['tencent', '+1 650 253 0000', /^inbox {6}tencent → \+16502530000 /, 'template 2000001 {1}=000000'],
  ] as const)('%s picks the overseas template for %s', async (name, typed, inbox, content) => {
    if (!builtConnectors.includes(name)) {
      return;
    }
    const result = await runCli(['send', '-c', name, '--config', example(name), '--to', typed, '--sandbox']);

    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output[4]).toMatch(inbox);
    expect(output[5]?.trim()).toBe(content);
  });
});

describe('send to a sandbox started elsewhere (the config keeps its own endpoint and credentials)', () => {
  let sandbox: Sandbox;
  const scratch = makeScratch('send');
  const secret = 'tok-SECRET-9f8e7d6c5b4a3210';

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
    scratch.remove();
  });

  const twilioConfig = (authToken: string) =>
    scratch.write(`twilio-${authToken.length}.json`, {
      ...JSON.parse(readFileSync(example('twilio'), 'utf8')),
      authToken,
      endpoint: sandbox.endpointFor('twilio'),
    });

  it('sends with the sandbox credentials, and the message lands in that sandbox', async () => {
    const before = sandbox.inbox.length;
    const result = await runCli([
      'send',
      '-c',
      'twilio',
      '--config',
      twilioConfig(sandboxCredentials.twilio.authToken!),
      '--to',
      '16502530000',
    ]);

    expect(result.code).toBe(0);
    expect(sandbox.inbox).toHaveLength(before + 1);
    const entry = sandbox.inbox.at(-1)!;
    expect(entry).toMatchObject({
      provider: 'twilio',
      to: '+16502530000',
      text: 'Your verification code is 000000. Do not share it with anyone.',
    });
    expect(result.stdout).toContain(`✔ sent in `);
    expect(result.stdout).toContain(`· message id ${entry.id}`);
  });

  it.each([[[]], [['--verbose']]])(
    'a wrong auth token gives invalid_config naming authToken, and is never printed (%j)',
    async (extra) => {
      const result = await runCli([
        'send',
        '-c',
        'twilio',
        '--config',
        twilioConfig(secret),
        '--to',
        '16502530000',
        ...extra,
      ]);

      expect(result.code).toBe(1);
      const output = lines(result.stdout);
      expect(output).toContain('  Logto answers  HTTP 400 connector.invalid_config');
      expect(output).toContain("  toast          The connector's config is invalid.");
      expect(
        output.find((line) => line.includes('Error in key path "authToken": (custom) Twilio error 20003'))
      ).toBeDefined();
      const basic = Buffer.from(`${sandboxCredentials.twilio.accountSID!}:${secret}`).toString('base64');
      for (const leaked of [secret, basic, Buffer.from(secret).toString('base64')]) {
        expect(result.output).not.toContain(leaked);
      }
    }
  );
});

describe('send: a config that validate rejects is never sent', () => {
  let sandbox: Sandbox;
  const scratch = makeScratch('send-invalid');
  // What a real auth token would look like under a misspelt key: it must never be printed either.
  const misspeltSecret = 'tok-SECRET-misspelt-5a4b3c2d1e';
  const twilioExample = () => JSON.parse(readFileSync(example('twilio'), 'utf8')) as Record<string, unknown>;
  const withoutKeys = (config: Record<string, unknown>, ...keys: string[]) =>
    Object.fromEntries(Object.entries(config).filter(([key]) => !keys.includes(key)));

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
    scratch.remove();
  });

  /** The example with authToken misspelt as authTokn. */
  const misspeltConfig = (endpoint?: string) =>
    scratch.write(`authTokn-${endpoint ? 'sandbox' : 'example'}.json`, {
      ...withoutKeys(twilioExample(), 'authToken'),
      authTokn: misspeltSecret,
      ...(endpoint && { endpoint }),
    });

  /** The problem and warning lines `validate` prints for a config. */
  const findingsOf = async (config: string) =>
    lines((await runCli(['validate', '-c', 'twilio', '--config', config])).stdout).filter((line) =>
      /^ {2}[✖⚠] /.test(line)
    );

  it('a misspelt authToken with --sandbox: not sent, exit 1, the key path and "did you mean authToken", as validate lists them', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const config = misspeltConfig();
    const result = await runCli(['send', '-c', 'twilio', '--config', config, '--to', '+1 650 253 0000', '--sandbox']);

    expect(result.code).toBe(1);
    expect(lines(result.stdout).slice(3)).toEqual([
      'config     invalid, as "sms-connector validate" reports it:',
      '  ✖ authToken: is required → add "authToken" (Auth Token), e.g. "<auth-token>"',
      '  ⚠ authTokn: is not a config key of this connector, so it is ignored: did you mean "authToken"?',
      '  ⚠ endpoint: points at this machine (a sandbox or a local gateway): remove it, or use the real endpoint, before production',
      '✖ not sent: 1 problem, 2 warnings in the config. A send with this config fails with HTTP 400 connector.invalid_config.',
      '',
    ]);
    // The same problems, in the same words, as validate.
    const validateFindings = await findingsOf(config);
    expect(validateFindings.length).toBeGreaterThan(0);
    expect(lines(result.stdout)).toEqual(expect.arrayContaining(validateFindings));
    expect(result.output).not.toMatch(/✔ sent|^sandbox|^inbox/m);
    expect(result.output).not.toContain(misspeltSecret);
  });

  it('a misspelt authToken without --sandbox: not sent to the endpoint at all, exit 1, the same problem lines', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const config = misspeltConfig(sandbox.endpointFor('twilio'));
    const before = sandbox.inbox.length;
    const result = await runCli(['send', '-c', 'twilio', '--config', config, '--to', '+1 650 253 0000']);

    expect(result.code).toBe(1);
    expect(sandbox.inbox).toHaveLength(before);
    const output = lines(result.stdout);
    expect(output).toContain('  ✖ authToken: is required → add "authToken" (Auth Token), e.g. "<auth-token>"');
    expect(output).toContain(
      '  ⚠ authTokn: is not a config key of this connector, so it is ignored: did you mean "authToken"?'
    );
    expect(output.at(-2)).toMatch(
      /^✖ not sent: 1 problem, \d warnings? in the config\. A send with this config fails with HTTP 400 connector\.invalid_config\.$/
    );
    expect(result.output).not.toContain('Logto answers');
    expect(result.output).not.toContain(misspeltSecret);
  });

  it("with --sandbox, a problem the sandbox's credentials would not fix still stops the send", async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const secret = 'tok-SECRET-own-token-0a1b2c3d';
    const config = scratch.write('timeout.json', { ...twilioExample(), authToken: secret, timeout: 'fast' });
    const result = await runCli(['send', '-c', 'twilio', '--config', config, '--to', '+1 650 253 0000', '--sandbox']);

    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toContain(
      '  ✖ timeout: timeout must be a number of milliseconds → write a number without quotes'
    );
    expect(result.output).not.toMatch(/✔ sent/);
    expect(result.output).not.toContain(secret);
  });

  it('with --sandbox, a config without credentials is not sent: the sandbox fills in nothing validate would refuse', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const config = scratch.write('no-credentials.json', withoutKeys(twilioExample(), 'accountSID', 'authToken'));
    const result = await runCli(['send', '-c', 'twilio', '--config', config, '--to', '+1 650 253 0000', '--sandbox']);

    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    expect(output).toContain('config     invalid, as "sms-connector validate" reports it:');
    expect(output.filter((line) => /^ {2}✖ (accountSID|authToken): is required/.test(line))).toHaveLength(2);
    expect(output.at(-2)).toMatch(/^✖ not sent: 2 problems/);
    expect(result.output).not.toMatch(/✔ sent|^sandbox|^inbox/m);
  });

  it('a valid config with an unknown key is sent, after a warning naming the key it was probably meant to be', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const config = scratch.write('extra-key.json', {
      ...twilioExample(),
      authToken: sandboxCredentials.twilio.authToken!,
      endpoint: sandbox.endpointFor('twilio'),
      defaultRegon: 'US',
    });
    const result = await runCli(['send', '-c', 'twilio', '--config', config, '--to', '+1 650 253 0000']);

    expect(result.code).toBe(0);
    expect(lines(result.stdout)[3]).toBe(
      '  ⚠ defaultRegon: is not a config key of this connector, so it is ignored: did you mean "defaultRegion"?'
    );
    expect(lines(result.stdout)[4]).toMatch(/^✔ sent in /);
  });
});

/** A loopback port nothing listens on: listened on once by the system's choice, then closed. */
const closedLoopbackPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });

describe('send: what to do when the endpoint cannot be reached', () => {
  const scratch = makeScratch('send-connection');
  afterAll(() => {
    scratch.remove();
  });

  const twilioWithEndpoint = (endpoint: string) =>
    scratch.write(`endpoint-${endpoint.length}.json`, {
      ...JSON.parse(readFileSync(example('twilio'), 'utf8')),
      endpoint,
    });

  it('ECONNREFUSED on a loopback port: suggests starting "sms-connector sandbox" on that port, or --sandbox', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const port = await closedLoopbackPort();
    const result = await runCli([
      'send',
      '-c',
      'twilio',
      '--config',
      twilioWithEndpoint(`http://127.0.0.1:${port}/twilio`),
      '--to',
      '16502530000',
    ]);

    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    expect(output.find((line) => line.startsWith('  toast '))).toContain('ECONNREFUSED');
    expect(output).toContain(
      `  hint           nothing listens on 127.0.0.1:${port}: start the sandbox with "sms-connector sandbox --port ${port}" in another terminal, or add --sandbox to send to one started for this command`
    );
  });

  it("ENOTFOUND: suggests checking the spelling of the endpoint's host and DNS", async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    // .invalid never resolves (RFC 2606).
    const result = await runCli([
      'send',
      '-c',
      'twilio',
      '--config',
      twilioWithEndpoint('https://api.twilio.invalid'),
      '--to',
      '16502530000',
    ]);

    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toContain(
      '  hint           the host "api.twilio.invalid" of "endpoint" was not found: check its spelling in the config, and that this machine\'s DNS resolves it'
    );
  });
});

describe('send: numbers the console or the connector cannot read say why', () => {
  it('"+999 123456" is told that +999 is not a country calling code, not to start it with + and the country code', async () => {
    const result = await runCli([
      'send',
      '-c',
      'twilio',
      '--config',
      example('twilio'),
      '--to',
      '+999 123456',
      '--sandbox',
    ]);

    expect(result.code).toBe(1);
    expect(lines(result.stdout)[3]).toBe(
      '✖ not sent: Logto answers HTTP 400 before calling the connector: the console could not read "+999 123456" as an international number: +999 is not a country calling code'
    );
  });

  it('Tencent (default region CN) given the US number 6502530000 is told it is not a valid CN number and to add the country code', async () => {
    if (!builtConnectors.includes('tencent')) {
      return;
    }
    const result = await runCli([
      'send',
      '-c',
      'tencent',
      '--config',
      example('tencent'),
      '--to',
      '6502530000',
      '--sandbox',
    ]);

    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    expect(output).toContain('  Logto answers  HTTP 400 connector.invalid_request_parameters');
    expect(output).toContain(
      '                 Error in key path "to": (custom) "6502530000" is not a valid phone number: it is not a valid CN number (SMS reaches mainland mobiles only: 11 digits starting with 13–19). If it is another country\'s number, add its country code, e.g. +1 650 253 0000.'
    );
  });
});

describe("send: the console's Send button and the destination policy", () => {
  const scratch = makeScratch('send-policy');
  afterAll(() => {
    scratch.remove();
  });
  const twilioExample = () => JSON.parse(readFileSync(example('twilio'), 'utf8')) as Record<string, unknown>;

  it("obeys allowedCountries by the number's own country: +1 868 is Trinidad and Tobago, refused before any request", async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const config = scratch.write('allowed-us-ca.json', { ...twilioExample(), allowedCountries: ['US', 'CA'] });
    const result = await runCli(['send', '-c', 'twilio', '--config', config, '--to', '+1 868 620 0000', '--sandbox']);

    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    expect(output.filter((line) => line.startsWith('inbox'))).toEqual([]);
    expect(output.slice(4)).toEqual([
      expect.stringMatching(/^✖ not sent in \d+ ms · connector\.invalid_request_parameters$/),
      '  Logto answers  HTTP 400 connector.invalid_request_parameters',
      '  toast          The request is with wrong input parameter(s).',
      '                 Error in key path "to": (custom) Trinidad and Tobago (TT) is not in allowedCountries (US, CA).',
      '',
    ]);
  });
});

describe('send: exactly what the console does, with a recording connector', () => {
  const scratch = makeScratch('recorder');
  const connectorDir = () => path.join(scratch.dir, 'connector-recorder');
  const recordFile = () => path.join(connectorDir(), 'record.json');

  beforeAll(() => {
    scratch.write('connector-recorder/package.json', {
      name: '@acme/connector-recorder',
      version: '1.2.3',
      type: 'module',
      dependencies: { '@logto/connector-kit': '>=5.0.1 <6', zod: '3.24.3' },
    });
    scratch.write(
      'connector-recorder/lib/index.js',
      `import { writeFileSync } from 'node:fs';
import { ConnectorError, ConnectorErrorCodes, ConnectorType } from '@logto/connector-kit';
import { z, ZodError } from 'zod';

const metadata = {
  id: 'acme-recorder', target: 'recorder', platform: null, name: { en: 'Recorder' }, description: { en: 'Records calls' },
  logo: './logo.svg', logoDark: null, readme: './README.md',
  formItems: [{ key: 'apiKey', label: 'API key', type: 'Text', required: true }, { key: 'mode', label: 'Mode', type: 'Text', required: true }],
};

export default async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: z.object({ apiKey: z.string(), mode: z.string() }),
  sendMessage: async (...args) => {
    const [data, config] = args;
    let getConfigError;
    try {
      await getConfig(metadata.id);
    } catch (error) {
      getConfigError = { code: error.code, isConnectorError: error instanceof ConnectorError };
    }
    writeFileSync(new URL('../record.json', import.meta.url), JSON.stringify({ argumentCount: args.length, data, config, getConfigError }));
    switch (config.mode) {
      case 'type-error':
        throw new TypeError('Cannot read properties of undefined, key ' + config.apiKey);
      case 'general':
        throw new ConnectorError(ConnectorErrorCodes.General, { errorDescription: 'Acme refused: daily cap', providerCode: 'A42', requestId: 'req-7' });
      case 'field':
        throw new ConnectorError(ConnectorErrorCodes.InvalidConfig, new ZodError([{ code: 'custom', path: ['apiKey'], message: 'Acme 401: unknown key' }]));
      case 'send-limit':
        // What the kit's destination policy throws when a sendLimits entry trips (before any request).
        throw new ConnectorError(ConnectorErrorCodes.RateLimitExceeded, {
          errorDescription: 'Too many SMS: the per-number limit (3 SMS per 10 minutes) was reached for +1 650****000, so the message was not sent. Try again later; sendLimits in the connector config sets these limits.',
          limit: { by: 'recipient', max: 3, windowSeconds: 600 },
        });
      default:
        return { messageId: 'rec-0001', requestId: 'req-0001' };
    }
  },
});
`
    );
  });
  afterAll(() => {
    scratch.remove();
  });

  const config = (mode: string) => scratch.write(`${mode}.json`, { apiKey: 'acme-live-KEY-0123456789', mode });
  const recorded = () =>
    JSON.parse(readFileSync(recordFile(), 'utf8')) as {
      argumentCount: number;
      data: unknown;
      config: unknown;
      getConfigError: unknown;
    };

  it('calls sendMessage(data, config) with Generic, 000000, digits without +, ip, and a getConfig that throws not_implemented', async () => {
    const result = await runCli([
      'send',
      '--connector',
      connectorDir(),
      '--config',
      config('ok'),
      '--to',
      '+1 (650) 253-0000',
    ]);

    expect(result.code).toBe(0);
    expect(recorded()).toEqual({
      argumentCount: 2,
      data: { to: '16502530000', type: 'Generic', payload: { code: '000000' }, ip: '127.0.0.1' },
      config: { apiKey: 'acme-live-KEY-0123456789', mode: 'ok' },
      getConfigError: { code: 'not_implemented', isConnectorError: true },
    });
    expect(lines(result.stdout)).toEqual([
      'connector  Recorder · id acme-recorder · @acme/connector-recorder 1.2.3',
      'to         16502530000 (typed "+1 (650) 253-0000") · +1 6502530000 US',
      'message    type Generic · code 000000 · no locale',
      expect.stringMatching(/^✔ sent in \d+ ms · message id rec-0001 · request id req-0001$/),
      '',
    ]);
  });

  it('passes --type, --code and --locale as the payload, and keeps a number the console could not parse as typed', async () => {
    await runCli([
      'send',
      '-c',
      connectorDir(),
      '--config',
      config('ok'),
      '--to',
      '447700900123',
      '--type',
      'MfaVerification',
      '--code',
      '135790',
      '--locale',
      'de',
    ]);
    expect(recorded().data).toEqual({
      to: '447700900123',
      type: 'MfaVerification',
      payload: { code: '135790', locale: 'de' },
      ip: '127.0.0.1',
    });

    const unparsable = await runCli(['send', '-c', connectorDir(), '--config', config('ok'), '--to', '+999 123']);
    expect(unparsable.code).toBe(1);
    expect(unparsable.stdout).toContain(
      '✖ not sent: Logto answers HTTP 400 before calling the connector: the console could not read "+999 123" as an international number'
    );
  });

  it('shows a general error as the toast with its description, and the provider details', async () => {
    const result = await runCli(['send', '-c', connectorDir(), '--config', config('general'), '--to', '16502530000']);

    expect(result.code).toBe(1);
    expect(lines(result.stdout).slice(3)).toEqual([
      expect.stringMatching(/^✖ not sent in \d+ ms · connector\.general$/),
      '  Logto answers  HTTP 400 connector.general',
      '  toast          Error occurred in connector: Acme refused: daily cap',
      '  details        provider code A42 · request id req-7',
      '',
    ]);
  });

  it('shows a send refused by sendLimits: 429, the toast, the limit in the description, and that no request was made', async () => {
    const result = await runCli([
      'send',
      '-c',
      connectorDir(),
      '--config',
      config('send-limit'),
      '--to',
      '16502530000',
    ]);

    expect(result.code).toBe(1);
    expect(lines(result.stdout).slice(3)).toEqual([
      expect.stringMatching(/^✖ not sent in \d+ ms · connector\.rate_limit_exceeded$/),
      '  Logto answers  HTTP 429 connector.rate_limit_exceeded',
      '  toast          Trigger rate limit. Please try again later.',
      '  description    Too many SMS: the per-number limit (3 SMS per 10 minutes) was reached for +1 650****000, so the message was not sent. Try again later; sendLimits in the connector config sets these limits.',
      "  details        refused by the connector's sendLimits before any request to the provider: at most 3 SMS per 10 minutes per phone number",
      '',
    ]);
  });

  it('shows the key path lines Logto adds to the toast for a ZodError', async () => {
    const result = await runCli(['send', '-c', connectorDir(), '--config', config('field'), '--to', '16502530000']);

    expect(result.code).toBe(1);
    expect(lines(result.stdout).slice(4, 7)).toEqual([
      '  Logto answers  HTTP 400 connector.invalid_config',
      "  toast          The connector's config is invalid.",
      '                 Error in key path "apiKey": (custom) Acme 401: unknown key',
    ]);
  });

  it('reports anything but a ConnectorError as Logto does (HTTP 500), without the secret it carries, stack only with --verbose', async () => {
    const quiet = await runCli(['send', '-c', connectorDir(), '--config', config('type-error'), '--to', '16502530000']);
    const verbose = await runCli([
      'send',
      '-c',
      connectorDir(),
      '--config',
      config('type-error'),
      '--to',
      '16502530000',
      '--verbose',
    ]);

    for (const result of [quiet, verbose]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('  Logto answers  HTTP 500 unknown');
      expect(result.stdout).toContain('  toast          Internal server error.');
      expect(result.stdout).toContain(
        '  details        thrown: TypeError: Cannot read properties of undefined, key [redacted]'
      );
      expect(result.stdout).toContain('only a ConnectorError may leave a connector');
      expect(result.output).not.toContain('acme-live-KEY-0123456789');
    }
    expect(quiet.output).not.toMatch(/^\s+at /m);
    expect(verbose.stderr).toMatch(/^\s+at .*lib\/index\.js/m);
  });
});

describe('send: connectors with their own copy of @logto/connector-kit', () => {
  const scratch = makeScratch('ownkit');
  const kitClass = `export class ConnectorError extends Error {
  constructor(code, data) {
    super('ConnectorError: ' + code);
    this.code = code;
    this.data = data;
  }
}
export const zodLikeError = (issues) => Object.assign(new Error(JSON.stringify(issues)), { name: 'ZodError', issues });
`;
  const connector = (body: string) => `import { ConnectorType } from '@logto/connector-kit';
import { z } from 'zod';
${body}
export default async () => ({
  metadata: { id: 'acme-ownkit', target: 'ownkit', platform: null, name: { en: 'Own kit' }, description: { en: 'x' }, logo: './logo.svg', logoDark: null, readme: './README.md' },
  type: ConnectorType.Sms,
  configGuard: z.object({}),
  sendMessage: async () => {
    throw new ConnectorError('invalid_config', zodLikeError([{ code: 'custom', path: ['apiKey'], message: 'Acme 401: unknown key' }]));
  },
});
`;

  beforeAll(() => {
    // A copy resolved from the package's own node_modules: another class, but not bundled.
    scratch.write('connector-separate/package.json', { name: 'connector-separate', version: '1.0.0', type: 'module' });
    scratch.write('connector-separate/lib/kit.js', kitClass);
    scratch.write(
      'connector-separate/lib/index.js',
      connector("import { ConnectorError, zodLikeError } from './kit.js';")
    );
    // The kit bundled into lib/index.js: Logto can never recognise its errors.
    scratch.write('connector-bundled/package.json', { name: 'connector-bundled', version: '1.0.0', type: 'module' });
    scratch.write('connector-bundled/lib/index.js', connector(kitClass));
  });
  afterAll(() => {
    scratch.remove();
  });

  it("shows a separate copy's error as Logto sees it once installed without node_modules, with a note", async () => {
    const result = await runCli([
      'send',
      '-c',
      path.join(scratch.dir, 'connector-separate'),
      '--config',
      scratch.write('c.json', {}),
      '--to',
      '16502530000',
    ]);

    expect(result.code).toBe(1);
    expect(lines(result.stdout).slice(4, 8)).toEqual([
      '  Logto answers  HTTP 400 connector.invalid_config',
      "  toast          The connector's config is invalid.",
      '                 Error in key path "apiKey": (custom) Acme 401: unknown key',
      expect.stringMatching(
        /^ {2}note {11}the connector's ConnectorError comes from another copy of @logto\/connector-kit/
      ),
    ]);
  });

  it('warns about a bundled kit, and shows the HTTP 500 Logto would answer', async () => {
    const result = await runCli([
      'send',
      '-c',
      path.join(scratch.dir, 'connector-bundled'),
      '--config',
      scratch.write('c.json', {}),
      '--to',
      '16502530000',
    ]);

    expect(result.code).toBe(1);
    expect(lines(result.stderr)[0]).toBe(
      'warning: this bundle contains its own copy of @logto/connector-kit: inside Logto every error it throws becomes HTTP 500 "Internal server error." (keep the kit external)'
    );
    expect(result.stdout).toContain('  Logto answers  HTTP 500 unknown');
    expect(result.stdout).toContain('  toast          Internal server error.');
    expect(result.stdout).toContain(
      '  note           the connector threw a ConnectorError of its bundled kit copy: Logto does not recognise it and answers HTTP 500'
    );
  });
});

describe('send: one-line errors and exit codes', () => {
  const scratch = makeScratch('errors');
  afterAll(() => {
    scratch.remove();
  });

  it.each([
    [
      'a missing config file',
      ['-c', 'twilio', '--config', 'nope/missing.json', '--to', '16502530000'],
      1,
      'error: config file not found: nope/missing.json',
    ],
    [
      'an unknown connector',
      ['-c', 'twillio', '--config', 'x.json', '--to', '1'],
      2,
      'error: unknown connector "twillio" (did you mean "twilio"?): use one of twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage, router, or the path of a connector package directory',
    ],
    ['a missing --to', ['-c', 'twilio', '--config', 'x.json'], 2, 'error: missing --to (e.g. --to "+1 650 253 0000")'],
    ['an option without its value', ['-c', 'twilio', '--config'], 2, 'error: option --config needs a value'],
    ['an unknown option', ['-c', 'twilio', '--bogus'], 2, 'error: unknown option --bogus for "send"'],
    [
      'a misspelt option',
      ['-c', 'twilio', '--config', 'x.json', '--to', '1', '--sandbx'],
      2,
      'error: unknown option --sandbx for "send" (did you mean "--sandbox"?)',
    ],
    [
      'a long option written with one dash',
      ['-c', 'twilio', '-sandbox'],
      2,
      'error: unknown option -sandbox for "send" (did you mean "--sandbox"?)',
    ],
    [
      'an unknown type',
      ['-c', 'twilio', '--config', 'x.json', '--to', '1', '--type', 'Signin'],
      2,
      'error: unknown --type "Signin" (did you mean "SignIn"?): use one of SignIn, Register, ForgotPassword, OrganizationInvitation, Generic, UserPermissionValidation, BindNewIdentifier, MfaVerification, BindMfa',
    ],
    [
      'a locale that is no language tag',
      ['-c', 'twilio', '--config', 'x.json', '--to', '1', '--locale', 'french!'],
      2,
      'error: --locale "french!" is not a language tag such as en, fr-CA or zh-CN',
    ],
    [
      'a phone the console refuses',
      ['-c', 'twilio', '--config', 'x.json', '--to', 'tel:+1650'],
      2,
      'error: --to "tel:+1650" is not accepted by the console: use digits with the country code, optionally with +, spaces, dashes and parentheses',
    ],
    [
      'a connector directory without package.json',
      ['-c', 'packages/cli/src', '--config', 'x.json', '--to', '1'],
      1,
      'error: packages/cli/src is not a connector package directory (no package.json in it)',
    ],
  ])('%s', async (_name, args, code, message) => {
    const result = await runCli(['send', ...args]);

    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(lines(stderrOf(result))[0]).toBe(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('an unknown option lists every option of the command', async () => {
    const result = await runCli(['send', '-c', 'twilio', '--sandbx']);

    expect(result.code).toBe(2);
    expect(lines(stderrOf(result)).slice(0, 2)).toEqual([
      'error: unknown option --sandbx for "send" (did you mean "--sandbox"?)',
      'hint: "send" takes --connector (-c), --config, --to, --type, --code, --locale, --sandbox, --help (-h), --verbose, --no-color; run "sms-connector send --help" for what they do',
    ]);
  });

  it.each([
    ['{\n  "accountSID": "AC1",\n}', /^error: config file \S+ is not valid JSON: .+/],
    ['', /^error: config file \S+ is empty: it must hold a JSON object$/],
    ['[1, 2]', /^error: config file \S+ must hold a JSON object \(the connector config\), not an array$/],
  ])('an unusable config file %j', async (content, message) => {
    const file = scratch.write(`config-${content.length}.json`, content);
    const result = await runCli(['send', '-c', 'twilio', '--config', file, '--to', '16502530000']);

    expect(result.code).toBe(1);
    expect(lines(stderrOf(result))[0]).toMatch(message);
    expect(stderrOf(result).trim().split('\n')).toHaveLength(1);
  });

  it('names the build when a connector has no lib/index.js, and a broken bundle without a stack unless --verbose', async () => {
    scratch.write('connector-unbuilt/package.json', { name: 'connector-unbuilt', version: '0.0.1' });
    scratch.write('connector-broken/package.json', { name: 'connector-broken', version: '0.0.1', type: 'module' });
    scratch.write('connector-broken/lib/index.js', "throw new Error('ACME_HOME is not set');\n");
    const config = scratch.write('any.json', {});

    const unbuilt = await runCli([
      'send',
      '-c',
      path.join(scratch.dir, 'connector-unbuilt'),
      '--config',
      config,
      '--to',
      '1',
    ]);
    expect(unbuilt.code).toBe(1);
    expect(lines(unbuilt.stderr)).toEqual([
      expect.stringMatching(/^error: \S+connector-unbuilt\/lib\/index\.js not found: the connector is not built$/),
      'hint: run the build first: npx --yes pnpm@10 build',
      '',
    ]);

    const broken = await runCli([
      'send',
      '-c',
      path.join(scratch.dir, 'connector-broken'),
      '--config',
      config,
      '--to',
      '1',
    ]);
    expect(broken.code).toBe(1);
    expect(lines(broken.stderr)[0]).toMatch(
      /^error: cannot load \S+connector-broken\/lib\/index\.js: ACME_HOME is not set$/
    );
    expect(broken.stderr).not.toMatch(/^\s+at /m);

    const verbose = await runCli([
      'send',
      '-c',
      path.join(scratch.dir, 'connector-broken'),
      '--config',
      config,
      '--to',
      '1',
      '--verbose',
    ]);
    expect(verbose.stderr).toMatch(/^\s+at /m);
  });
});

describe('send through the router', () => {
  const scratch = makeScratch('send-router');
  afterAll(() => {
    scratch.remove();
  });

  type RouterConfig = {
    providers: Record<string, { use: string; config: Record<string, unknown> }>;
    routes: Array<{ countries: string[]; providers: string[] }>;
    [key: string]: unknown;
  };
  const routerExample = () => JSON.parse(readFileSync(example('router'), 'utf8')) as RouterConfig;
  /** The example with each provider config changed by `change` (its name, its config). */
  const routerWith = (
    file: string,
    change: (name: string, config: Record<string, unknown>) => Record<string, unknown>,
    top: Partial<RouterConfig> = {}
  ) => {
    const config = routerExample();
    return scratch.write(file, {
      ...config,
      providers: Object.fromEntries(
        Object.entries(config.providers).map(([name, entry]) => [
          name,
          { ...entry, config: change(name, entry.config) },
        ])
      ),
      ...top,
    });
  };
  const sendRouter = async (config: string, to: string, ...extra: string[]) =>
    runCli(['send', '-c', 'router', '--config', config, '--to', to, ...extra]);

  /** The `attempts` lines of a send's output. */
  const attemptLines = (stdout: string) =>
    lines(stdout).filter((line) => /^ {2}attempts {7}\d\. | {17}\d\. /.test(line));
  /** Each attempt as [provider, what became of the message there]. */
  const attemptOutcomes = (stdout: string) =>
    attemptLines(stdout).map((line) => /\d\. (\S+) \(\S+\) {2}(\S+(?: \S+)*)(?: {2}|$)/.exec(line)?.slice(1, 3));

  describe('with --sandbox', () => {
    const sandboxLines = (output: string[]) => [
      expect.stringMatching(
        /^sandbox {4}(http:\/\/127\.0\.0\.1:\d+) · every provider config under "providers" points at it:$/
      ),
      expect.stringMatching(/^ {13}providers\.aliyun-cn\.config → http:\/\/127\.0\.0\.1:\d+\/aliyun$/),
      expect.stringMatching(/^ {13}providers\.twilio\.config → http:\/\/127\.0\.0\.1:\d+\/twilio$/),
      expect.stringMatching(/^ {13}providers\.vonage\.config → http:\/\/127\.0\.0\.1:\d+\/vonage$/),
      ...output.slice(7),
    ];

    it('sends a mainland number through aliyun-cn, the first provider of the CN route', async () => {
      if (!routerBuilt) {
        return;
      }
      const result = await sendRouter(example('router'), '+86 138 0013 8000', '--sandbox');

      expect(stderrOf(result)).toBe('');
      expect(result.code).toBe(0);
      const output = lines(result.stdout);
      expect(output).toEqual([
        expect.stringMatching(
          /^connector {2}SMS router \(SMS Suite\) · id sms-suite-router · @sms-suite\/connector-router-sms \d+\.\d+\.\d+$/
        ),
        'to         8613800138000 (typed "+86 138 0013 8000") · +86 13800138000 CN',
        'message    type Generic · code 000000 · no locale',
        ...sandboxLines(output).slice(0, 4),
        expect.stringMatching(/^inbox {6}aliyun → 13800138000 \(from SMS Suite, id \d+\^0\)$/),
        '             template SMS_100000001 code=000000',
        expect.stringMatching(/^✔ sent by aliyun-cn in \d+ ms · message id \d+\^0$/),
        expect.stringMatching(/^ {2}attempts {7}1\. aliyun-cn \(aliyun\) {2}delivered {2}message id \d+\^0 · \d+ ms$/),
        '',
      ]);
    });

    it('sends a US number through twilio, the first provider of the "*" route, in French for fr-CA', async () => {
      if (!routerBuilt) {
        return;
      }
      const result = await sendRouter(
        example('router'),
        '+1 650 253 0000',
        '--sandbox',
        '--type',
        'SignIn',
        '--code',
        '424242',
        '--locale',
        'fr-CA'
      );

      expect(result.code).toBe(0);
      const output = lines(result.stdout);
      expect(output.slice(7)).toEqual([
        expect.stringMatching(/^inbox {6}twilio → \+16502530000 \(from MGsandbox0{25}, id SM[0-9a-f]{32}\)$/),
        `             ${frenchSignIn.twilio}`,
        expect.stringMatching(/^✔ sent by twilio in \d+ ms · message id SM[0-9a-f]{32}$/),
        expect.stringMatching(
          /^ {2}attempts {7}1\. twilio \(twilio\) {2}delivered {2}message id SM[0-9a-f]{32} · \d+ ms$/
        ),
        '',
      ]);
    });

    it('a failed send prints every attempt from data.attempts: both providers of the route throttle (429)', async () => {
      if (!routerBuilt) {
        return;
      }
      // The rate-limited magic number: every provider of the sandbox throttles it, so the router fails over once.
      const result = await sendRouter(example('router'), '+16505550101', '--sandbox');

      expect(result.code).toBe(1);
      const output = lines(result.stdout);
      expect(output).toContain('  Logto answers  HTTP 429 connector.rate_limit_exceeded');
      expect(output.find((line) => /^✖ /.test(line))).toMatch(
        /^✖ not sent in \d+ ms · connector\.rate_limit_exceeded$/
      );
      expect(attemptLines(result.stdout)).toEqual([
        expect.stringMatching(
          /^ {2}attempts {7}1\. twilio \(twilio\) {2}refused {2}connector\.rate_limit_exceeded · provider code 20429 · provider HTTP 429 · \d+ ms$/
        ),
        expect.stringMatching(
          /^ {17}2\. vonage \(vonage\) {2}refused {2}connector\.rate_limit_exceeded · provider code 1 · provider HTTP 200 · \d+ ms$/
        ),
      ]);
    });

    it('a field error prints the attempts from its ZodError issue: a refused number stops at the first provider', async () => {
      if (!routerBuilt) {
        return;
      }
      const result = await sendRouter(example('router'), '+16505550102', '--sandbox');

      expect(result.code).toBe(1);
      const output = lines(result.stdout);
      expect(output).toContain('  Logto answers  HTTP 400 connector.invalid_request_parameters');
      expect(attemptLines(result.stdout)).toEqual([
        expect.stringMatching(
          /^ {2}attempts {7}1\. twilio \(twilio\) {2}refused {4}connector\.invalid_request_parameters · provider code 21211 · provider HTTP 400 · \d+ ms$/
        ),
        // The rest of the route is said too: nothing reached it.
        expect.stringMatching(/^ {17}2\. vonage \(vonage\) {2}not tried$/),
      ]);

      // invalid_config from both providers: the key path of the last one, and both attempts.
      const unapproved = await sendRouter(example('router'), '+16505550103', '--sandbox');
      expect(unapproved.code).toBe(1);
      expect(lines(unapproved.stdout)).toContain("  toast          The connector's config is invalid.");
      expect(unapproved.stdout).toContain('Error in key path "providers.vonage.config.brandName"');
      expect(attemptOutcomes(unapproved.stdout)).toEqual([
        ['twilio', 'refused'],
        ['vonage', 'refused'],
      ]);
    });

    it("replaces every provider config's credentials it holds by the sandbox's, and prints none of them", async () => {
      if (!routerBuilt) {
        return;
      }
      const own = { twilio: 'tok-SECRET-own-twilio-0a1b2c', vonage: 'own-SECRET-vonage-3d4e5f' };
      const config = routerWith('own-credentials.json', (name, nested) =>
        name === 'twilio'
          ? { ...nested, authToken: own.twilio }
          : name === 'vonage'
            ? { ...nested, apiSecret: own.vonage }
            : nested
      );
      const result = await sendRouter(config, '+1 650 253 0000', '--sandbox');

      expect(result.code).toBe(0);
      expect(lines(result.stdout).slice(4, 7)).toEqual([
        expect.stringMatching(/^ {13}providers\.aliyun-cn\.config → http:\/\/127\.0\.0\.1:\d+\/aliyun$/),
        expect.stringMatching(
          /^ {13}providers\.twilio\.config → http:\/\/127\.0\.0\.1:\d+\/twilio · using the sandbox's authToken$/
        ),
        expect.stringMatching(
          /^ {13}providers\.vonage\.config → http:\/\/127\.0\.0\.1:\d+\/vonage · using the sandbox's apiSecret$/
        ),
      ]);
      expect(result.stdout).toMatch(/^✔ sent by twilio in /m);
      for (const secret of Object.values(own)) {
        expect(result.output).not.toContain(secret);
      }
    });
  });

  describe('no output shows a secret of a nested provider config', () => {
    // Each secret is also a value the CLI prints: the sender in the inbox line, a misspelt key's value.
    const brandSecret = 'Sekrit12345';
    const bearer = 'tok-SECRET-http-bearer-6789';

    it('send: the sender equal to the apiSecret is printed as [redacted] in the inbox line', async () => {
      if (!routerBuilt) {
        return;
      }
      const config = routerWith(
        'brand-secret.json',
        (name, nested) => (name === 'vonage' ? { ...nested, apiSecret: brandSecret, brandName: brandSecret } : nested),
        { routes: [{ countries: ['*'], providers: ['vonage'] }] }
      );
      const result = await sendRouter(config, '+1 650 253 0000', '--sandbox');

      expect(result.code).toBe(0);
      expect(lines(result.stdout)).toContainEqual(
        expect.stringMatching(/^inbox {6}vonage → 16502530000 \(from \[redacted\], id \S+\)$/)
      );
      expect(result.output).not.toContain(brandSecret);
    });

    it.each([['validate'], ['send']])(
      '%s: misspelt, derived and unknown-use secrets are never printed, valid config or not',
      async (command) => {
        if (!routerBuilt) {
          return;
        }
        const secrets = ['tok-SECRET-misspelt-0011', bearer, 'tok-SECRET-unknown-use-2233', brandSecret];
        const example = routerExample();
        const { authToken: _authToken, ...twilio } = example.providers.twilio!.config;
        const config = scratch.write(`secrets-${command}.json`, {
          ...example,
          providers: {
            ...example.providers,
            twilio: { use: 'twilio', config: { ...twilio, authTokn: secrets[0] } },
            gateway: {
              use: 'http',
              config: {
                endpoint: 'https://gateway.example.com/sms',
                authorization: `Bearer ${bearer}`,
                templates: [{ usageType: 'Generic', content: 'Code {{code}}' }],
              },
            },
            // A brandName Vonage refuses, equal to its apiSecret: the problem line must not quote it.
            vonage: {
              use: 'vonage',
              config: {
                ...example.providers.vonage!.config,
                apiSecret: `${brandSecret}-far-too-long`,
                brandName: `${brandSecret}-far-too-long`,
              },
            },
          },
        });
        const args = command === 'send' ? ['--to', '+1 650 253 0000', '--sandbox'] : [];
        const result = await runCli([command, '-c', 'router', '--config', config, ...args, '--verbose']);

        expect(result.code).toBe(1);
        expect(result.stdout).toContain('providers.twilio.config.authTokn');
        for (const secret of secrets) {
          expect(result.output).not.toContain(secret);
        }
        // A use the suite does not know still has its credentials hidden.
        const unknownUse = scratch.write(`secrets-unknown-use-${command}.json`, {
          ...example,
          providers: { ...example.providers, backup: { use: 'twillio', config: { authToken: secrets[2] } } },
        });
        const unknown = await runCli([command, '-c', 'router', '--config', unknownUse, ...args]);
        expect(unknown.code).toBe(1);
        expect(unknown.stdout).toContain('providers.backup.use');
        expect(unknown.output).not.toContain(secrets[2]);
      }
    );
  });

  describe('to a sandbox started elsewhere, in an outage', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox();
    });
    afterEach(() => {
      sandbox.clearOutage();
    });
    afterAll(async () => {
      await sandbox.close();
    });

    /** The example with its provider configs pointed at this sandbox, twilio with a short timeout. */
    const pointed = (file: string) =>
      routerWith(file, (name, nested) => ({
        ...nested,
        endpoint: sandbox.endpointFor(name === 'aliyun-cn' ? 'aliyun' : (name as 'twilio' | 'vonage')),
        ...(name === 'twilio' && { timeout: 1500 }),
      }));

    it('twilio answers 503: not sent there, so vonage delivers, and both attempts are printed', async () => {
      if (!routerBuilt) {
        return;
      }
      sandbox.setOutage('twilio', 'unavailable');
      sandbox.resetRequestCounts();
      const before = sandbox.inbox.length;
      const result = await sendRouter(pointed('outage-503.json'), '+1 650 253 0000');

      expect(result.code).toBe(0);
      expect(sandbox.requestCounts()).toMatchObject({ twilio: 1, vonage: 1 });
      expect(sandbox.inbox.slice(before).map(({ provider }) => provider)).toEqual(['vonage']);
      expect(result.stdout).toMatch(/^✔ sent by vonage in \d+ ms · message id [0-9A-F]+$/m);
      expect(attemptLines(result.stdout)).toEqual([
        expect.stringMatching(
          /^ {2}attempts {7}1\. twilio \(twilio\) {2}refused {4}connector\.general · provider code 20503 · provider HTTP 503 · \d+ ms$/
        ),
        expect.stringMatching(/^ {17}2\. vonage \(vonage\) {2}delivered {2}message id [0-9A-F]+ · \d+ ms$/),
      ]);
    });

    it('twilio does not answer: it may have delivered, so vonage is not tried', async () => {
      if (!routerBuilt) {
        return;
      }
      sandbox.setOutage('twilio', 'no-reply');
      sandbox.resetRequestCounts();
      const result = await sendRouter(pointed('outage-no-reply.json'), '+1 650 253 0000');

      expect(result.code).toBe(1);
      expect(sandbox.requestCounts()).toMatchObject({ twilio: 1, vonage: 0 });
      expect(result.stdout).toMatch(/^✖ failed, may have been delivered in \d+ ms · connector\.general$/m);
      expect(attemptLines(result.stdout)).toEqual([
        expect.stringMatching(
          /^ {2}attempts {7}1\. twilio \(twilio\) {2}may have been delivered {2}connector\.general · \d+ ms$/
        ),
        expect.stringMatching(/^ {17}2\. vonage \(vonage\) {2}not tried$/),
      ]);
    });

    it('twilio blocks the number as SMS pumping: the attempt says so, and vonage is not tried', async () => {
      if (!routerBuilt) {
        return;
      }
      sandbox.setOutage('twilio', 'fraud-block');
      sandbox.resetRequestCounts();
      const result = await sendRouter(pointed('outage-fraud.json'), '+1 650 253 0000');

      expect(result.code).toBe(1);
      expect(sandbox.requestCounts()).toMatchObject({ twilio: 1, vonage: 0 });
      expect(attemptLines(result.stdout)).toEqual([
        expect.stringMatching(
          /^ {2}attempts {7}1\. twilio \(twilio\) {2}refused {4}connector\.\w+ · provider code 30450 · provider HTTP 201 · blocked by the provider's SMS-pumping defence · \d+ ms$/
        ),
        expect.stringMatching(/^ {17}2\. vonage \(vonage\) {2}not tried$/),
      ]);
    });
  });

  it('a provider config validate rejects stops the send, with its full key path; an unknown nested key is warned about', async () => {
    if (!routerBuilt) {
      return;
    }
    const invalid = routerWith('nested-invalid.json', (name, nested) =>
      name === 'twilio' ? { ...nested, timeout: 'fast' } : nested
    );
    const refused = await sendRouter(invalid, '+1 650 253 0000', '--sandbox');
    expect(refused.code).toBe(1);
    expect(lines(refused.stdout)).toContain(
      '  ✖ providers.twilio.config.timeout: timeout must be a number of milliseconds → write a number without quotes'
    );
    expect(refused.output).not.toMatch(/✔ sent|^sandbox|^inbox/m);

    const extraKey = routerWith('nested-extra-key.json', (name, nested) =>
      name === 'twilio' ? { ...nested, defaultRegon: 'US' } : nested
    );
    const sent = await sendRouter(extraKey, '+1 650 253 0000', '--sandbox');
    expect(sent.code).toBe(0);
    expect(lines(sent.stdout)[3]).toBe(
      '  ⚠ providers.twilio.config.defaultRegon: is not a config key of this connector, so it is ignored: did you mean "defaultRegion"?'
    );
  });

  it('a refused connection hints at the endpoint of the provider the send ended at', async () => {
    if (!routerBuilt) {
      return;
    }
    const port = await closedLoopbackPort();
    const config = routerWith('closed-port.json', (_name, nested) => ({
      ...nested,
      endpoint: `http://127.0.0.1:${port}/${String(nested.endpoint).split('/').at(-1)!}`,
    }));
    const result = await sendRouter(config, '+1 650 253 0000');

    expect(result.code).toBe(1);
    expect(attemptOutcomes(result.stdout)).toEqual([
      ['twilio', 'not sent'],
      ['vonage', 'not sent'],
    ]);
    expect(lines(result.stdout)).toContain(
      `  hint           nothing listens on 127.0.0.1:${port}: start the sandbox with "sms-connector sandbox --port ${port}" in another terminal, or add --sandbox to send to one started for this command`
    );
  });
});

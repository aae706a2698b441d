/**
 * The built `sms-sandbox` command (lib/sms-sandbox.js: run `npx --yes pnpm@10 build` first) as a
 * subprocess: it listens on the port it is given, prints each provider's endpoint, accepts a signed
 * send, shows it as it arrives and in GET /inbox, and exits 0 on SIGTERM. Every wait is bounded, so a
 * command that hangs fails its test instead of holding the run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { defaultSandboxPort } from '../src/console';
import { outageModes } from '../src/outages';
import { sandboxEndpoint } from '../src/server';
import { getInbox, twilioSend, type SandboxAddress } from '../src/test-support';
import { sandboxProviders } from '../src/types';

const binPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lib/sms-sandbox.js');

/** The longest any single wait below may take. */
const waitLimitMs = 10_000;

type Running = { child: ChildProcess; stdout: () => string; output: () => string; exited: Promise<number | null> };
type Finished = { code: number | null; stdout: string; stderr: string };

const running: ChildProcess[] = [];

const startBin = (args: string[]): Running => {
  const child = spawn(process.execPath, [binPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', resolve);
  });
  return { child, stdout: () => stdout, output: () => `${stdout}${stderr}`, exited };
};

/** Runs the command to its end (killed after waitLimitMs), whatever its exit code. */
const runBin = (args: string[]): Promise<Finished> =>
  new Promise((resolve) => {
    execFile(process.execPath, [binPath, ...args], { timeout: waitLimitMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });

const pause = (ms: number) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Polls until `condition` holds; fails with what the command printed after waitLimitMs. */
const waitFor = async (what: string, condition: () => boolean, bin: Running) => {
  const deadline = Date.now() + waitLimitMs;
  while (!condition()) {
    if (Date.now() > deadline || bin.child.exitCode !== null) {
      throw new Error(`no ${what} within ${waitLimitMs} ms; the command printed:\n${bin.output()}`);
    }
    await pause(20);
  }
};

const exitCodeOf = async (bin: Running): Promise<number | null> => {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the command did not exit within ${waitLimitMs} ms:\n${bin.output()}`));
    }, waitLimitMs);
  });
  try {
    return await Promise.race([bin.exited, limit]);
  } finally {
    clearTimeout(timer);
  }
};

const listen = async (server: Server, port = 0): Promise<number> => {
  await new Promise<void>((resolve) => {
    server.listen(port, '127.0.0.1', resolve);
  });
  return (server.address() as { port: number }).port;
};

/** A port nothing listens on right now. */
const freePort = async (): Promise<number> => {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => {
    probe.close(resolve);
  });
  return port;
};

beforeAll(() => {
  if (!existsSync(binPath)) {
    throw new Error(`${binPath} is missing: run "npx --yes pnpm@10 build" before these tests`);
  }
});

afterEach(() => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
});

describe('sms-sandbox', () => {
  it('listens on --port, prints every endpoint and each message as it arrives, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const bin = startBin(['--port', String(port)]);
    await waitFor('ready line', () => bin.stdout().includes('Waiting for messages.'), bin);

    const url = `http://127.0.0.1:${port}`;
    const lines = bin.stdout().split('\n');
    expect(lines[0]).toBe(`✔ SMS sandbox listening on ${url} · inbox: GET ${url}/inbox`);
    for (const provider of sandboxProviders) {
      expect(lines.find((line) => line.startsWith(`  ${provider} `))).toContain(sandboxEndpoint(url, provider));
    }

    const sandbox: SandboxAddress = { url, endpointFor: (provider) => sandboxEndpoint(url, provider) };
    const reply = await twilioSend(sandbox, { to: '+16502530000' });
    expect(reply.status).toBe(201);
    const { sid } = reply.json as { sid: string };
    await waitFor('inbox line', () => bin.stdout().includes(`inbox twilio → +16502530000`), bin);
    expect(bin.stdout()).toContain(`id ${sid})\n        "Your verification code is 123456"`);
    expect(await getInbox(sandbox)).toEqual([
      expect.objectContaining({ id: sid, provider: 'twilio', to: '+16502530000' }),
    ]);

    bin.child.kill('SIGTERM');
    expect(await exitCodeOf(bin)).toBe(0);
    expect(bin.stdout().trimEnd().split('\n').at(-1)).toBe('Sandbox stopped (1 message received).');
  });

  it('refuses a port that is taken (exit 1) and a --port that is not a port (exit 2)', async () => {
    const blocker = createServer();
    const port = await listen(blocker);
    try {
      const taken = await runBin(['--port', String(port)]);
      expect(taken).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: port ${port} is already in use\nhint: choose another with --port, or --port 0 for any free port\n`,
      });
    } finally {
      blocker.close();
    }

    const notAPort = await runBin(['--port', 'http']);
    expect(notAPort.code).toBe(2);
    expect(notAPort.stderr.split('\n')[0]).toBe('error: --port "http" is not a port number (0 to 65535)');
  });

  it('--help names the default port and the outage modes, and exits 0', async () => {
    const help = await runBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sms-sandbox \[--port N\] \[--outage provider=mode\]\.\.\./);
    expect(help.stdout).toContain(`default ${defaultSandboxPort}`);
    for (const mode of outageModes) {
      expect(help.stdout).toMatch(new RegExp(`^ {2}${mode} +\\S`, 'm'));
    }
  });

  it('--outage puts one provider in an outage from the start; a wrong one is a usage error (exit 2)', async () => {
    const port = await freePort();
    const bin = startBin(['--port', String(port), '--outage', 'smsaero=server-error']);
    await waitFor('ready line', () => bin.stdout().includes('Waiting for messages.'), bin);
    const url = `http://127.0.0.1:${port}`;
    expect(bin.stdout()).toContain("\n  smsaero  server-error  HTTP 500 with the provider's internal-error body\n");
    expect(await (await fetch(`${url}/outages`)).json()).toEqual({ smsaero: 'server-error' });
    bin.child.kill('SIGTERM');
    expect(await exitCodeOf(bin)).toBe(0);

    const wrong = await runBin(['--outage', 'aliyun=fraud-block']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.split('\n')[0]).toBe(
      'error: --outage "aliyun=fraud-block": the "fraud-block" outage exists for twilio only, not for aliyun'
    );
  });
});

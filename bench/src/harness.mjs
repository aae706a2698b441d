// Shared plumbing of run.mjs and profile.mjs: IPC with child processes, the throw-away certificate,
// the responder process and the per-side worker processes.
import { execFileSync, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const libDir = path.dirname(fileURLToPath(import.meta.url));
const workerPath = path.join(libDir, 'send-worker.mjs');
const responderPath = path.join(libDir, 'responder.mjs');
const redirectUrl = pathToFileURL(path.join(libDir, 'redirect.mjs')).href;

export const progress = (text) => process.stderr.write(`${text}\n`);

/** Request/response over a child's IPC channel: `call(cmd, args)` resolves with the matching reply. */
export const channel = (child, name) => {
  let sequence = 0;
  const pending = new Map();
  let exited;
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk) => {
      output.push(chunk.toString('utf8'));
      if (output.length > 40) output.shift();
    });
  }
  child.on('message', (message) => {
    if (message?.id !== undefined && pending.has(message.id)) {
      const { resolve } = pending.get(message.id);
      pending.delete(message.id);
      resolve(message);
    }
  });
  child.on('exit', (code, signal) => {
    exited = `${name} exited (${signal ?? code})${output.length ? `: ${output.join('').trim().slice(-800)}` : ''}`;
    for (const { reject } of pending.values()) reject(new Error(exited));
    pending.clear();
  });
  const wait = (id) =>
    new Promise((resolve, reject) => {
      if (exited) reject(new Error(exited));
      else pending.set(id, { resolve, reject });
    });
  return {
    child,
    nextId: () => `${name}:${++sequence}`,
    wait,
    send: (message) => child.send(message),
    call: (cmd, args = {}) => {
      const id = `${name}:${++sequence}`;
      const reply = wait(id);
      child.send({ id, cmd, ...args });
      return reply;
    },
    output: () => output.join('').trim(),
  };
};

export const firstMessage = (child) =>
  new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready`)));
  });

export const withTimeout = (promise, ms, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) => {
      setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref();
    }),
  ]);

export const rotate = (list, by) => list.map((_, index) => list[(index + by) % list.length]);

export const hasOpenssl = () => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** A throw-away self-signed certificate for every provider host, trusted only by the bench's children. */
export const makeCertificate = (dir, hosts) => {
  const key = path.join(dir, 'responder-key.pem');
  const cert = path.join(dir, 'responder-cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=sms-suite bench responder',
      '-addext',
      `subjectAltName=${[...hosts.map((host) => `DNS:${host}`), 'IP:127.0.0.1'].join(',')}`,
      '-addext',
      'basicConstraints=critical,CA:FALSE',
    ],
    { stdio: 'ignore' }
  );
  return { key, cert };
};

export const startResponder = async ({ key, cert }) => {
  // 443 so that both sides keep their default https URLs; any free port (with the port redirect in
  // redirect.mjs) when 443 cannot be bound. BENCH_RESPONDER_PORT=0 forces the fallback.
  const preferred = process.env.BENCH_RESPONDER_PORT === undefined ? 443 : Number(process.env.BENCH_RESPONDER_PORT);
  for (const port of [...new Set([preferred, 0])]) {
    const child = fork(responderPath, [key, cert, String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await firstMessage(child).catch((error) => ({ ready: false, error: error.message }));
    if (ready.ready) {
      return { responder: channel(child, 'responder'), port: ready.port };
    }
    progress(
      `  responder could not listen on 127.0.0.1:${port} (${ready.error?.trim()})${port !== 0 ? '; trying a free port' : ''}`
    );
  }
  throw new Error('the responder could not listen on 127.0.0.1');
};

export const startWorker = async (name, transport, extraExecArgv = []) => {
  const child = fork(workerPath, [], {
    execArgv: ['--expose-gc', ...extraExecArgv, '--import', redirectUrl],
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: transport.cert,
      BENCH_HOSTS: transport.hosts.join(','),
      BENCH_PORT: String(transport.port),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const worker = channel(child, name);
  await withTimeout(firstMessage(child), 30_000, `${name} start`);
  return worker;
};

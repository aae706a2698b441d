/**
 * A real redis-server for tests: Debian's `redis-server` (CI installs it), started on a free port on
 * 127.0.0.1 without persistence, stopped by `stop()` (and, whatever happens, when the process exits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type RedisServer = {
  /** `redis://127.0.0.1:<port>`, with `:<password>@` when the server requires one. */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL); the port stays reserved for `restart()`. */
  stop: () => Promise<void>;
  /** Starts it again on the same port (stopping it first when it runs). */
  restart: () => Promise<void>;
};

export type RedisServerOptions = {
  /** Started with `--requirepass`; the URL then carries it. */
  password?: string;
};

const startupTimeoutMs = 5_000;

/** `$REDIS_SERVER`, else `redis-server` on the PATH or in the usual places; fails saying how to get it. */
export const redisServerBinary = (): string => {
  const candidates = [
    process.env.REDIS_SERVER,
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => dir && path.join(dir, 'redis-server')),
    '/usr/bin/redis-server',
    '/usr/local/bin/redis-server',
  ];
  for (const candidate of candidates) {
    if (!candidate) {
      continue;
    }
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there: the next one.
    }
  }
  throw new Error(
    'redis-server is not installed: these tests run a real Redis. Install it (Debian/Ubuntu: `apt-get install redis-server`, ' +
      'macOS: `brew install redis`) or point $REDIS_SERVER at the binary; CI installs it.'
  );
};

/** Whether a redis-server binary is there to start. */
export const hasRedisServer = (): boolean => {
  try {
    redisServerBinary();
    return true;
  } catch {
    return false;
  }
};

let skipNoticeShown = false;

/**
 * `describe` for tests that need a real Redis. On a machine without redis-server (a fresh clone with
 * only Node and npm) they are skipped with a notice, so the README's test command still passes; in CI
 * (`CI` set, where `.ci/run` installs redis-server) a missing binary fails them instead.
 */
export const describeWithRedis = (name: string, tests: () => void): void => {
  if (hasRedisServer() || process.env.CI) {
    describe(name, tests);
    return;
  }
  if (!skipNoticeShown) {
    skipNoticeShown = true;
    console.warn(
      'redis-server is not installed: the tests that need a real Redis are skipped (apt-get install redis-server to run them; CI always runs them)'
    );
  }
  describe.skip(name, tests);
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error('no port'));
        }
      });
    });
  });

const running = new Set<ChildProcess>();
// A failed test (or a killed jest worker) leaves no redis-server behind.
process.once('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
  }
});

const launch = (binary: string, port: number, password: string | undefined) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--daemonize', 'no', '--dir', tmpdir());
    if (password !== undefined) {
      args.push('--requirepass', password);
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} was not ready within ${startupTimeoutMs} ms:\n${output}`));
    }, startupTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        // Keep draining its output so that a full pipe never blocks it.
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });

const terminate = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
};

export const startRedisServer = async ({ password }: RedisServerOptions = {}): Promise<RedisServer> => {
  const binary = redisServerBinary();
  let port = 0;
  let child: ChildProcess | undefined;
  // Another process may take the free port between the probe and redis-server's bind: try again.
  for (let attempt = 1; !child; attempt += 1) {
    port = await freePort();
    try {
      child = await launch(binary, port, password);
    } catch (error) {
      if (attempt >= 3) {
        throw error;
      }
    }
  }
  const auth = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  const stop = async () => {
    if (child) {
      const stopping = child;
      child = undefined;
      await terminate(stopping);
    }
  };
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    stop,
    restart: async () => {
      await stop();
      child = await launch(binary, port, password);
    },
  };
};

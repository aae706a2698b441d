import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { createClient } from 'redis';

import { describeWithRedis, startRedisServer, type RedisServer } from '../../test/redis-server';

/**
 * Two Logto instances on one Redis: two Node processes, each with its own client, race 20 reserves
 * each against one counter with a limit of 5, released at the same moment. The store is the esbuild
 * bundle of redis-store.ts with `redis` left as a runtime import, as in a connector's lib/index.js, and
 * `redis` resolves from a node_modules next to the bundle, as from a Logto instance's.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const kitRoot = path.resolve(here, '../..');
const childScript = path.join(kitRoot, 'test/redis-reserve-child.mjs');
const attempts = 20;
const max = 5;

type ChildResult = { ok: number; tripped: number; errors: string[] };

let server: RedisServer;
let directory: string;
let bundle: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  directory = mkdtempSync(path.join(tmpdir(), 'sms-kit-redis-'));
  bundle = path.join(directory, 'redis-store.mjs');
  await build({
    entryPoints: [path.join(here, 'redis-store.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['redis'],
    logLevel: 'silent',
  });
  // The Logto instance's node_modules: the kit's own redis (4.6.14, what Logto core ships).
  mkdirSync(path.join(directory, 'node_modules'));
  const redisPackage = path.dirname(createRequire(path.join(kitRoot, 'package.json')).resolve('redis/package.json'));
  symlinkSync(realpathSync(redisPackage), path.join(directory, 'node_modules/redis'), 'dir');
});

afterAll(async () => {
  for (const child of children) {
    child.kill('SIGKILL');
  }
  await server?.stop();
  if (directory) {
    rmSync(directory, { recursive: true, force: true });
  }
});

/** Starts a child and resolves once it is connected, with a promise of its result line. */
const startChild = (key: string) =>
  new Promise<{ child: ChildProcessWithoutNullStreams; result: Promise<ChildResult> }>((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, bundle, server.url, key, String(attempts), String(max)], {
      cwd: directory,
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    let ready = false;
    const result = new Promise<ChildResult>((resolveResult, rejectResult) => {
      child.on('close', (code) => {
        const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
        if (code === 0 && line) {
          resolveResult(JSON.parse(line) as ChildResult);
        } else {
          const failure = new Error(`child exited with ${String(code)}:\n${stdout}\n${stderr}`);
          rejectResult(failure);
          if (!ready) {
            reject(failure);
          }
        }
      });
    });
    // Handled by whoever awaits it; an early exit rejects the start instead.
    result.catch(() => undefined);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (!ready && stdout.includes('ready\n')) {
        ready = true;
        resolve({ child, result });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
  });

describeWithRedis('two processes sharing one Redis', () => {
  it('lets exactly 5 of 2 × 20 simultaneous reserves from two processes through a limit of 5', async () => {
    const key = `test:${randomUUID()}:two-processes`;
    const [first, second] = await Promise.all([startChild(key), startChild(key)]);
    const now = Date.now();
    first.child.stdin.end(`go ${now}\n`);
    second.child.stdin.end(`go ${now}\n`);
    const results = await Promise.all([first.result, second.result]);

    expect(results.flatMap((result) => result.errors)).toEqual([]);
    expect(results.reduce((sum, result) => sum + result.ok, 0)).toBe(max);
    expect(results.reduce((sum, result) => sum + result.tripped, 0)).toBe(2 * attempts - max);

    const inspector = createClient({ url: server.url });
    await inspector.connect();
    try {
      expect(await inspector.zCard(key)).toBe(max);
    } finally {
      await inspector.disconnect();
    }
  });
});

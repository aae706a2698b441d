// The measurement steps of bench/policy.mjs, raw figures only: the kit's destination policy bundled
// from source, the destinations, a Redis server of our own, the timed loops and the check that the
// limits really counted. policy.mjs summarises and prints.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { build } from 'esbuild';

/** What the bench needs from the kit; `import('redis')` stays a runtime import, as in the connectors. */
const entry = `
export { applyPolicy } from './policy/policy';
export { closeRedisStores } from './policy/redis-store';
export { parsePhone } from './phone';
export { ConnectorErrorCodes } from '@logto/connector-kit';
export const loadRedis = () => import('redis');
`;

/** The packages the bundle leaves out, linked from the kit's own node_modules (what the kit resolves in this repo). */
const externals = ['redis', '@logto/connector-kit', 'zod'];

/**
 * Bundles packages/sms-kit/src/policy (and parsePhone) with esbuild into a temporary directory whose
 * node_modules links the externals, and imports it. `remove` deletes the directory.
 */
export const loadPolicyBundle = async (root) => {
  const kit = path.join(root, 'packages/sms-kit');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sms-bench-policy-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const name of externals) {
      const target = path.join(kit, 'node_modules', name);
      if (!existsSync(target)) {
        throw new Error(`${path.relative(root, target)} is missing: run \`npx --yes pnpm@10 install\` first`);
      }
      const link = path.join(dir, 'node_modules', name);
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(realpathSync(target), link, 'dir');
    }
    const outfile = path.join(dir, 'policy.mjs');
    await build({
      stdin: { contents: entry, resolveDir: path.join(kit, 'src'), loader: 'ts', sourcefile: 'policy-bench.ts' },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: externals,
      tsconfig: path.join(root, 'tsconfig.base.json'),
      logLevel: 'warning',
    });
    const bundle = await import(pathToFileURL(outfile).href);
    // node-redis resolves from the bundle's directory exactly as the store's own import('redis') does.
    const redis = await bundle.loadRedis();
    return { ...bundle, redisVersion: readVersion(dir, 'redis'), createRedisClient: redis.createClient, dir, remove };
  } catch (error) {
    remove();
    throw error;
  }
};

const readVersion = (dir, name) =>
  JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'))).version;

/** Deterministic digits (mulberry32), so that every run sends to the same numbers. */
const randomDigits = (seed) => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return (length) => {
    let digits = String(2 + Math.floor(next() * 8));
    while (digits.length < length) digits += String(Math.floor(next() * 10));
    return digits;
  };
};

/**
 * `count` distinct valid numbers, taking the countries in turn (parsed by the kit's parsePhone: each
 * is of the country it is listed for), each with its own IPv4 address. No 7-digit prefix more than
 * `maxPerPrefix` times, so that the prefix limit (20 per hour) never trips either.
 */
export const makeDestinations = (parsePhone, countries, count, { maxPerPrefix = 10 } = {}) => {
  const draw = randomDigits(20_261_201);
  const used = new Set();
  const perPrefix = new Map();
  const byCountry = countries.map(({ code, callingCode, digits }) => {
    const phones = [];
    for (let attempts = 0; phones.length < Math.ceil(count / countries.length); attempts += 1) {
      if (attempts > count * 200) throw new Error(`could not draw ${count} valid ${code} numbers`);
      const input = `+${callingCode}${draw(digits)}`;
      if (used.has(input)) continue;
      let phone;
      try {
        phone = parsePhone(input);
      } catch {
        continue;
      }
      const prefix = `${phone.callingCode}${phone.nationalNumber}`.slice(0, 7);
      if (phone.country !== code || (perPrefix.get(prefix) ?? 0) >= maxPerPrefix) continue;
      used.add(input);
      perPrefix.set(prefix, (perPrefix.get(prefix) ?? 0) + 1);
      phones.push(phone);
    }
    return phones;
  });
  return Array.from({ length: count }, (_, index) => ({
    phone: byCountry[index % countries.length][Math.floor(index / countries.length)],
    ip: `10.${(index >>> 16) & 255}.${(index >>> 8) & 255}.${index & 255}`,
  }));
};

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * `applyPolicy` for destinations[from, to), `concurrency` loops sending back to back. Wall and CPU
 * time of the whole batch; per-call latencies only when `timeCalls` (a performance.now() pair costs
 * about as much as the checks without a store, so those are timed as a batch only). A refused or
 * failed check is counted and its first reason kept: the caller discards such a run.
 */
export const runChecks = async ({
  applyPolicy,
  config,
  connectorId,
  destinations,
  from,
  to,
  concurrency,
  timeCalls,
  store,
}) => {
  const latencies = timeCalls ? new Float64Array(to - from) : undefined;
  let next = from;
  let failures = 0;
  let firstFailure;
  const check = async ({ phone, ip }) => {
    try {
      await applyPolicy({ config, data: { ip }, phone, connectorId, consoleTest: false, ...(store && { store }) });
    } catch (error) {
      failures += 1;
      firstFailure ??= `${error?.code ?? ''} ${error?.data?.errorDescription ?? error?.message ?? error}`.trim();
    }
  };
  const loop = async () => {
    while (next < to) {
      const index = next++;
      if (latencies) {
        const start = performance.now();
        await check(destinations[index]);
        latencies[index - from] = (performance.now() - start) * 1000;
      } else {
        await check(destinations[index]);
      }
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const wallUs = (performance.now() - started) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const checks = to - from;
  const sorted = latencies?.sort();
  return {
    checks,
    usPerCheck: wallUs / checks,
    cpuUsPerCheck: (cpu.user + cpu.system) / checks,
    ...(sorted && { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) }),
    failures,
    ...(firstFailure && { firstFailure }),
  };
};

/** A store that counts nothing and refuses nothing: what the limits cost before any store (the counters' keys). */
export const noopStore = {
  name: 'no-op',
  reserve: async () => ({ ok: true, reservation: { release: async () => undefined } }),
};

/**
 * Proof that the limits counted (a store that failed open would look fast): the first destination's
 * IP sent once, so with the `ip` limit of 5 it may send 4 more and the 5th must be refused with
 * rate_limit_exceeded. Uses `spares` (numbers of the same country, not sent to yet).
 */
export const verifyCounted = async ({
  applyPolicy,
  ConnectorErrorCodes,
  config,
  connectorId,
  first,
  spares,
  ipMax,
}) => {
  for (const [index, phone] of spares.slice(0, ipMax).entries()) {
    try {
      await applyPolicy({ config, data: { ip: first.ip }, phone, connectorId, consoleTest: false });
      if (index === ipMax - 1) return `send ${ipMax + 1} from one IP passed: the counts were not kept`;
    } catch (error) {
      if (index < ipMax - 1) return `send ${index + 2} from one IP was refused: ${error?.message ?? error}`;
      return error?.code === ConnectorErrorCodes.RateLimitExceeded
        ? undefined
        : `send ${ipMax + 1} from one IP failed otherwise: ${error?.code ?? error?.message ?? error}`;
    }
  }
  return 'not enough spare numbers to verify';
};

/** A bare PING over the same node-redis client: the round trip any Redis-backed check pays at least. */
export const runPings = async (client, count, concurrency) => {
  const latencies = new Float64Array(count);
  let next = 0;
  const loop = async () => {
    while (next < count) {
      const index = next++;
      const start = performance.now();
      await client.sendCommand(['PING']);
      latencies[index] = (performance.now() - start) * 1000;
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const wallUs = (performance.now() - started) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = latencies.sort();
  return {
    checks: count,
    usPerCheck: wallUs / count,
    cpuUsPerCheck: (cpu.user + cpu.system) / count,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    failures: 0,
  };
};

/**
 * Redis's own account of the scripts since `CONFIG RESETSTAT` (INFO commandstats): µs per script
 * run, and µs of it in the commands the script calls (the rest is the Lua run itself).
 */
export const readScriptStats = async (client) => {
  const info = await client.sendCommand(['INFO', 'commandstats']);
  const stats = Object.fromEntries(
    [...String(info).matchAll(/^cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/gm)].map(([, name, calls, usec]) => [
      name,
      { calls: Number(calls), usec: Number(usec) },
    ])
  );
  const scripts = ['evalsha', 'eval'].map((name) => stats[name] ?? { calls: 0, usec: 0 });
  const runs = scripts.reduce((sum, { calls }) => sum + calls, 0);
  if (runs === 0) return undefined;
  const inner = ['zremrangebyscore', 'zscore', 'zcard', 'zadd', 'pexpire'].reduce(
    (sum, name) => sum + (stats[name]?.usec ?? 0),
    0
  );
  return {
    scriptUs: scripts.reduce((sum, { usec }) => sum + usec, 0) / runs,
    commandsUs: inner / runs,
  };
};

const findOnPath = (name) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])
    .map((dir) => path.join(dir, name))
    .find((candidate) => existsSync(candidate));

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * Starts `redis-server` on a free 127.0.0.1 port, without persistence, its files (none expected) in a
 * directory of its own. Returns `{ skipped }` when the binary is not there; `stop()` ends it (only it).
 */
export const startRedis = async () => {
  const binary = findOnPath('redis-server');
  if (!binary) {
    return { skipped: 'redis-server was not found (Debian: apt-get install redis-server)' };
  }
  const version =
    execFileSync(binary, ['--version'])
      .toString()
      .match(/v=(\S+)/)?.[1] ?? 'unknown';
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sms-bench-redis-'));
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s: ${output}`)), 10_000);
      const watch = (chunk) => {
        output += chunk;
        if (/Ready to accept connections/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output.trim().slice(-500)}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return { skipped: `redis-server ${version} could not be started: ${error.message}` };
  }
  return {
    version,
    port,
    tickMicros: 1e6 / clockTicks,
    /** The server process's CPU so far (user + system, µs; Linux /proc, 10 ms ticks), or undefined elsewhere. */
    cpuMicros: () => {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        // utime and stime: fields 14 and 15 of stat, 11 and 12 counted from the state after the command name.
        return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks;
      } catch {
        return undefined;
      }
    },
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

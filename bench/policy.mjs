// `node bench/policy.mjs [--quick]`: what the destination policy (packages/sms-kit/src/policy) costs
// per send: the kit's applyPolicy, bundled from source, without policy, with the country lists, and
// with the recommended six send limits counted in memory and in a local Redis. Not a test: nothing
// asserts on timings. Method and how to read it: bench/README.md, "Destination policy".
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { progress } from './src/harness.mjs';
import {
  loadPolicyBundle,
  makeDestinations,
  noopStore,
  readScriptStats,
  runChecks,
  runPings,
  startRedis,
  verifyCounted,
} from './src/policy-measure.mjs';
import { median } from './src/statistics.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

// ~15 s on 2 cores; every case sends warm-up + rounds × count checks, each to a number and from an IP of its own.
const settings = quick
  ? { warmup: 500, rounds: 3, count: 1000, concurrency: 32 }
  : { warmup: 2000, rounds: 5, count: 4000, concurrency: 32 };

// The recommended config: five countries, and the six limits with `country` and `all` set high
// enough that a run of distinct numbers from distinct IPs is never refused.
const countries = [
  { code: 'US', callingCode: '1', digits: 10 },
  { code: 'GB', callingCode: '44', digits: 10 },
  { code: 'DE', callingCode: '49', digits: 11 },
  { code: 'FR', callingCode: '33', digits: 9 },
  { code: 'IN', callingCode: '91', digits: 10 },
];
const allowedCountries = countries.map(({ code }) => code);
const sendLimits = [
  { by: 'ip', max: 5, windowSeconds: 3600 },
  { by: 'ipCountries', max: 2, windowSeconds: 86_400 },
  { by: 'country', max: 200_000, windowSeconds: 3600 },
  { by: 'prefix', digits: 7, max: 20, windowSeconds: 3600 },
  { by: 'recipient', max: 3, windowSeconds: 600 },
  { by: 'all', max: 1_000_000, windowSeconds: 3600 },
];
const ipMax = sendLimits.find(({ by }) => by === 'ip').max;
// A store error must not pass for a fast check (the default, `allow`, would send on without counting).
const limited = { allowedCountries, sendLimits, sendLimitsOnStoreError: 'refuse' };

const casesFor = (redisUrl) => [
  { key: 'none', label: 'No policy (the call alone)', store: '–', concurrency: 1, config: {} },
  { key: 'countries', label: 'Country lists (5 allowed)', store: '–', concurrency: 1, config: { allowedCountries } },
  {
    key: 'keys',
    label: 'Lists + 6 limits, keys only',
    store: 'no-op',
    concurrency: 1,
    config: limited,
    counterStore: noopStore,
  },
  { key: 'memory', label: 'Lists + 6 limits', store: 'memory', concurrency: 1, config: limited, counts: true },
  ...(redisUrl
    ? [
        {
          key: 'redis-c1',
          label: 'Lists + 6 limits',
          store: 'Redis',
          concurrency: 1,
          config: { ...limited, redisUrl },
          counts: true,
          timeCalls: true,
        },
        {
          key: 'redis-c32',
          label: 'Lists + 6 limits',
          store: 'Redis',
          concurrency: settings.concurrency,
          config: { ...limited, redisUrl },
          counts: true,
          timeCalls: true,
        },
        { key: 'ping-c1', label: 'Redis PING (round-trip floor)', store: 'Redis', concurrency: 1, ping: true },
        {
          key: 'ping-c32',
          label: 'Redis PING (round-trip floor)',
          store: 'Redis',
          concurrency: settings.concurrency,
          ping: true,
        },
      ]
    : []),
];

/** Our connectors' CPU per send from the last full run (bench/results.json), for scale. */
const readConnectorCpu = () => {
  const file = path.join(benchDir, 'results.json');
  if (!existsSync(file)) return undefined;
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const perConnector = Object.fromEntries(
    results.pairs.filter(({ ours }) => ours?.cpuMicrosPerCall).map(({ key, ours }) => [key, ours.cpuMicrosPerCall])
  );
  return perConnector.twilio ? { date: results.date, twilio: perConnector.twilio, perConnector } : undefined;
};

const micros = (value) =>
  value === undefined ? '–' : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
const percent = (value) =>
  value === undefined ? '–' : value < 0.01 ? `${(value * 100).toFixed(2)} %` : `${(value * 100).toFixed(1)} %`;

const summarize = (entry, rounds, twilioCpu) => {
  const valid = rounds.filter(({ failures }) => failures === 0);
  const pick = (field) => median(valid.map((round) => round[field]));
  const cpuUsPerCheck = pick('cpuUsPerCheck');
  return {
    key: entry.key,
    label: entry.label,
    store: entry.store,
    concurrency: entry.concurrency,
    rounds: valid.length,
    invalidRounds: rounds.length - valid.length,
    usPerCheck: pick('usPerCheck'),
    cpuUsPerCheck,
    p50: pick('p50'),
    p99: pick('p99'),
    redisCpuUsPerCheck: pick('redisCpuUsPerCheck'),
    redisScriptUs: pick('redisScriptUs'),
    redisScriptCommandsUs: pick('redisScriptCommandsUs'),
    shareOfTwilioCpu: twilioCpu && cpuUsPerCheck !== undefined ? cpuUsPerCheck / twilioCpu : undefined,
  };
};

const tableOf = (summaries) => [
  '| Check | Store | Conc. | µs/check | CPU µs/check | p50 µs | p99 µs | Redis CPU µs/check | CPU vs a Twilio send |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...summaries.map(
    (s) =>
      `| ${s.label} | ${s.store} | ${s.concurrency} | ${micros(s.usPerCheck)} | ${micros(s.cpuUsPerCheck)} | ${micros(s.p50)} | ${micros(s.p99)} | ${micros(s.redisCpuUsPerCheck)} | ${s.key.startsWith('ping') ? '–' : percent(s.shareOfTwilioCpu)} |`
  ),
];

const main = async () => {
  const startedAt = new Date();
  // The memory rows must count in this process, whatever the shell exports.
  delete process.env.REDIS_URL;
  const cpu = readConnectorCpu();
  const total = settings.warmup + settings.rounds * settings.count;

  progress(`policy: bundling packages/sms-kit/src/policy with esbuild`);
  const kit = await loadPolicyBundle(root);
  let redis;
  let pingClient;
  const problems = [];
  try {
    progress(`policy: drawing ${total.toLocaleString('en-US')} distinct numbers in ${allowedCountries.join(', ')}`);
    const pool = makeDestinations(kit.parsePhone, countries, total + 10 * countries.length);
    const destinations = pool.slice(0, total);
    const spares = pool
      .slice(total)
      .map(({ phone }) => phone)
      .filter(({ country }) => country === destinations[0].phone.country);

    redis = await startRedis();
    if (redis.skipped) {
      problems.push(`Redis rows skipped: ${redis.skipped}`);
      progress(`policy: Redis rows skipped: ${redis.skipped}`);
    } else {
      progress(`policy: redis-server ${redis.version} on 127.0.0.1:${redis.port} (no persistence)`);
      pingClient = kit.createRedisClient({ url: redis.url });
      await pingClient.connect();
    }
    const cases = casesFor(redis.url);

    const run = async (entry, from, to) => {
      const scripted = entry.store === 'Redis' && !entry.ping;
      if (scripted) await pingClient.sendCommand(['CONFIG', 'RESETSTAT']);
      const serverBefore = entry.store === 'Redis' ? redis.cpuMicros() : undefined;
      const result = entry.ping
        ? await runPings(pingClient, to - from, entry.concurrency)
        : await runChecks({
            applyPolicy: kit.applyPolicy,
            config: entry.config,
            connectorId: `policy-bench-${entry.key}`,
            destinations,
            from,
            to,
            concurrency: entry.concurrency,
            timeCalls: entry.timeCalls,
            store: entry.counterStore,
          });
      const serverCpu = serverBefore === undefined ? undefined : redis.cpuMicros() - serverBefore;
      const scripts = scripted ? await readScriptStats(pingClient) : undefined;
      return {
        ...result,
        // The kernel counts a process's CPU in ticks (10 ms): a batch that cost the server under 5 of them is not measured.
        ...(serverCpu >= 5 * redis.tickMicros && { redisCpuUsPerCheck: serverCpu / (to - from) }),
        ...(scripts && { redisScriptUs: scripts.scriptUs, redisScriptCommandsUs: scripts.commandsUs }),
      };
    };

    progress(`policy: warm-up, ${settings.warmup.toLocaleString('en-US')} checks per case`);
    for (const entry of cases) {
      const warm = await run(entry, 0, settings.warmup);
      if (warm.failures) problems.push(`${entry.key}: warm-up: ${warm.failures} check(s) failed: ${warm.firstFailure}`);
    }
    progress(
      `policy: ${settings.rounds} round(s) × ${settings.count.toLocaleString('en-US')} checks × ${cases.length} cases, order rotated every round`
    );
    const rounds = Object.fromEntries(cases.map(({ key }) => [key, []]));
    for (let round = 0; round < settings.rounds; round += 1) {
      const from = settings.warmup + round * settings.count;
      for (let turn = 0; turn < cases.length; turn += 1) {
        const entry = cases[(round + turn) % cases.length];
        const result = await run(entry, from, from + settings.count);
        if (result.failures) {
          problems.push(`${entry.key}: round ${round + 1}: ${result.failures} check(s) failed: ${result.firstFailure}`);
        }
        rounds[entry.key].push(result);
      }
    }

    const verified = {};
    for (const entry of cases.filter(({ counts }) => counts)) {
      const problem = await verifyCounted({
        ...kit,
        config: entry.config,
        connectorId: `policy-bench-${entry.key}`,
        first: destinations[0],
        spares,
        ipMax,
      });
      verified[entry.key] = problem ?? 'ok';
      if (problem) problems.push(`${entry.key}: counts not verified: ${problem}`);
    }

    const summaries = cases.map((entry) => summarize(entry, rounds[entry.key], cpu?.twilio));
    const durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
    const cpus = os.cpus();
    const header = `Destination policy, ${startedAt.toISOString().slice(0, 10)}, Node ${process.version}, ${cpus[0]?.model?.trim()} × ${cpus.length}, load ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}${redis.version ? `, redis-server ${redis.version}, node-redis ${kit.redisVersion}` : ''}`;
    const table = tableOf(summaries);
    const connectorCpus = cpu && Object.values(cpu.perConnector);
    const notes = [
      `${settings.rounds} rounds × ${settings.count.toLocaleString('en-US')} checks per case after ${settings.warmup.toLocaleString('en-US')} warm-up; medians of the rounds; every check a distinct number and IP.`,
      cpu
        ? `CPU vs a Twilio send: CPU µs/check ÷ ${micros(cpu.twilio)} µs, our Twilio connector's CPU per send in bench/results.json (${cpu.date.slice(0, 10)}; ${micros(Math.min(...connectorCpus))}–${micros(Math.max(...connectorCpus))} µs across our connectors).`
        : 'bench/results.json has no CPU per send for our Twilio connector: no share shown.',
      'µs/check: wall time ÷ checks; CPU µs/check: this process (user + system), the share column is of it; Redis CPU: the redis-server process (/proc), not in the share.',
      ...summaries
        .filter(({ redisScriptUs }) => redisScriptUs !== undefined)
        .map(
          (s) =>
            `Redis's own count (INFO commandstats), c${s.concurrency}: the reservation script runs ${micros(s.redisScriptUs)} µs, of which ${micros(s.redisScriptCommandsUs)} µs in the commands it calls; the rest is Lua.`
        ),
      `Counts verified (send ${ipMax + 1} from one IP refused with rate_limit_exceeded): ${Object.entries(verified)
        .map(([key, outcome]) => `${key} ${outcome}`)
        .join(', ')}.`,
    ];

    const results = {
      date: startedAt.toISOString(),
      durationSeconds,
      machine: {
        cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
        cores: cpus.length,
        node: process.version,
        loadAverage: os.loadavg(),
      },
      redis: redis.skipped
        ? { skipped: redis.skipped }
        : { server: redis.version, client: `redis@${kit.redisVersion}` },
      settings: { ...settings, quick },
      config: { allowedCountries, sendLimits, sendLimitsOnStoreError: 'refuse' },
      connectorCpuMicrosPerSend: cpu ? { from: `bench/results.json (${cpu.date})`, ...cpu.perConnector } : null,
      summaries,
      verified,
      problems,
      raw: rounds,
      markdown: [...table, '', ...notes].join('\n'),
    };
    process.stdout.write(`\n${header}\n\n${table.join('\n')}\n\n${notes.join('\n')}\n`);
    if (problems.length) process.stdout.write(`\nProblems:\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
    // Like results.json: only a full run is kept (and committed); a quick run only prints.
    if (quick) {
      progress(`\nquick run: bench/results.policy.json not written (${durationSeconds} s)`);
    } else {
      writeFileSync(path.join(benchDir, 'results.policy.json'), `${JSON.stringify(results, null, 2)}\n`);
      progress(`\nwrote bench/results.policy.json (${durationSeconds} s)`);
    }
    if (problems.some((problem) => !problem.startsWith('Redis rows skipped'))) process.exitCode = 1;
  } finally {
    await kit.closeRedisStores();
    await pingClient?.disconnect().catch(() => undefined);
    await redis?.stop?.();
    kit.remove();
  }
};

await main();

// `pnpm bench`: our connectors against Logto's official ones and against a bare fetch of the same
// request, on this machine, in one run. Not a test: nothing here asserts; it measures and reports.
// Method and how to read the figures: bench/README.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import {
  hasOpenssl,
  makeCertificate,
  progress,
  rotate,
  startResponder,
  startWorker,
  withTimeout,
} from './src/harness.mjs';
import { allowedRuntimeDependencies, footprintOf, logtoCoreSource } from './src/footprint.mjs';
import { providers } from './src/providers.mjs';
import {
  atLeast,
  formatKb,
  formatMb,
  formatMicros,
  formatMs,
  formatRate,
  formatRatio,
  formatSignedMb,
  median,
  renderMarkdown,
  renderText,
  spread,
  verdictMark,
} from './src/report.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');
const probePath = path.join(benchDir, 'src/startup-probe.mjs');

const option = (name) => process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = option('only')?.split(',');
/** A/B runs of a change not yet in the packages: `<dir>/<folder>.js` replaces our lib/index.js (not the footprint). */
const oursLibDir = option('ours-lib') && path.resolve(option('ours-lib'));

// Sized for ~3–5 minutes with seven pairs on 2 cores; `--quick` is a smoke run of the same steps.
const settings = quick
  ? {
      rounds: 1,
      c1: { warmup: 50, count: 150 },
      c32: { warmup: 100, count: 500 },
      cpu: { rounds: 1, count: 150 },
      memory: { warmup: 500, count: 2000, every: 500, concurrency: 32 },
      startupRuns: 3,
    }
  : {
      rounds: 4,
      c1: { warmup: 80, count: 250 },
      c32: { warmup: 160, count: 800 },
      cpu: { rounds: 3, count: 200 },
      memory: { warmup: 1000, count: 10_000, every: 1000, concurrency: 32 },
      startupRuns: 7,
    };
const concurrencies = [1, 32];

// ── discovery ───────────────────────────────────────────────────────────────────────────────────

const discover = () => {
  const covered = [];
  const skipped = [];
  for (const folder of readdirSync(path.join(root, 'packages')).sort()) {
    const match = /^connector-(.+)-sms$/.exec(folder);
    if (!match) continue;
    const [, key] = match;
    const dir = path.join(root, 'packages', folder);
    const lib = path.join(dir, 'lib/index.js');
    if (only && !only.includes(key)) continue;
    if (!existsSync(lib)) {
      skipped.push({ folder, reason: 'no lib/index.js (not built yet)' });
      continue;
    }
    const provider = providers[key];
    if (!provider) {
      skipped.push({ folder, reason: 'no provider profile in bench/src/providers.mjs' });
      continue;
    }
    const officialDir = path.join(benchDir, 'node_modules', provider.official);
    const officialPackage = existsSync(path.join(officialDir, 'package.json'))
      ? JSON.parse(readFileSync(path.join(officialDir, 'package.json'), 'utf8'))
      : undefined;
    const officialLib = officialPackage && path.join(officialDir, officialPackage.main ?? 'lib/index.js');
    const variant = oursLibDir && path.join(oursLibDir, `${folder}.js`);
    covered.push({
      key,
      folder,
      provider,
      ours: { dir, lib: variant && existsSync(variant) ? variant : lib },
      official: officialLib && existsSync(officialLib) ? { dir: officialDir, lib: officialLib, version: officialPackage.version } : undefined,
    });
  }
  return { covered, skipped };
};

const machine = () => {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
  };
};

const countsOf = async (responder, key) => (await responder.call('counts')).counts[key];

/** One send through the side, checked at the responder: exactly one matching request, no refusal. */
const verify = async (worker, responder, key) => {
  const before = await countsOf(responder, key);
  const reply = await withTimeout(worker.call('verify'), 30_000, 'verification send');
  const after = await countsOf(responder, key);
  const answered = after.answered - before.answered;
  const refused = after.refused - before.refused;
  if (!reply.ok || !reply.value.ok) {
    return { ok: false, reason: `the send failed: ${reply.error ?? reply.value.error}${refused ? ` (the responder refused ${refused} request(s): wrong method or path)` : ''}` };
  }
  if (answered !== 1 || refused !== 0) {
    return {
      ok: false,
      reason: `the send resolved but the responder saw ${answered} matching and ${refused} refused request(s) instead of one: it did not go through the local provider`,
    };
  }
  return { ok: true };
};

const benchPair = async (pair, transport, responder) => {
  const { key } = pair;
  const outcome = { sides: {}, failures: {} };
  const workers = {};
  const stopAll = async () => {
    await Promise.all(
      Object.values(workers).map((worker) =>
        withTimeout(worker.call('exit'), 5000, 'exit').catch(() => {
          worker.child.kill();
        })
      )
    );
  };

  try {
    // Ours first: its first request, captured byte for byte, is the floor's request.
    workers.ours = await startWorker(`${key}/ours`, transport);
    const init = await workers.ours.call('init', { side: 'ours', modulePath: pair.ours.lib, config: pair.provider.config, message: pair.provider.message });
    if (!init.ok) throw Object.assign(new Error(`ours did not load: ${init.error}`), { side: 'ours' });
    const captureId = responder.nextId();
    const armed = responder.wait(`${captureId}:armed`);
    const captured = responder.wait(captureId);
    responder.send({ id: captureId, cmd: 'capture', provider: key });
    await armed;
    const oursCheck = await verify(workers.ours, responder, key);
    if (!oursCheck.ok) throw Object.assign(new Error(`ours: ${oursCheck.reason}`), { side: 'ours' });
    const { request } = await withTimeout(captured, 5000, 'request capture');
    outcome.request = { method: request.method, url: request.url, headerNames: request.rawHeaders.filter((_, index) => index % 2 === 0), bodyBytes: Buffer.from(request.body, 'base64').length };

    workers.floor = await startWorker(`${key}/floor`, transport);
    await workers.floor.call('init', { side: 'floor', request });
    const floorCheck = await verify(workers.floor, responder, key);
    if (!floorCheck.ok) {
      outcome.failures.floor = floorCheck.reason;
      delete workers.floor;
    }

    if (pair.official) {
      workers.official = await startWorker(`${key}/official`, transport);
      const officialInit = await workers.official.call('init', { side: 'official', modulePath: pair.official.lib, config: pair.provider.config, message: pair.provider.message });
      const officialCheck = officialInit.ok ? await verify(workers.official, responder, key) : { ok: false, reason: `did not load: ${officialInit.error}` };
      if (!officialCheck.ok) {
        outcome.failures.official = officialCheck.reason;
        await workers.official.call('exit').catch(() => undefined);
        delete workers.official;
      }
    } else {
      outcome.failures.official = `${pair.provider.official} is not installed in bench/node_modules`;
    }
  } catch (error) {
    await stopAll();
    outcome.failures[error.side ?? 'pair'] = error.message;
    outcome.failed = error.message;
    return outcome;
  }

  const sides = ['ours', 'official', 'floor'].filter((side) => workers[side]);
  for (const side of sides) outcome.sides[side] = { runs: { 1: [], 32: [] }, cpu: [] };

  const timedRun = async (side, concurrency) => {
    const { warmup, count } = concurrency === 1 ? settings.c1 : settings.c32;
    const before = await countsOf(responder, key);
    await withTimeout(workers[side].call('run', { concurrency, count: warmup }), 120_000, `${key}/${side} warm-up`);
    const reply = await withTimeout(workers[side].call('run', { concurrency, count }), 120_000, `${key}/${side} run`);
    const after = await countsOf(responder, key);
    const result = reply.value;
    const answered = after.answered - before.answered;
    const refused = after.refused - before.refused;
    result.newConnections = after.connections - before.connections;
    result.valid = reply.ok && result.errors === 0 && answered === warmup + count && refused === 0;
    if (!result.valid) {
      result.problem = reply.ok
        ? `${result.errors} failed send(s) (${result.firstError ?? 'no error text'}); the responder answered ${answered}/${warmup + count}, refused ${refused}`
        : reply.error;
    }
    return result;
  };

  try {
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const concurrency of concurrencies) {
        for (const side of rotate(sides, round)) {
          // eslint-disable-next-line no-await-in-loop
          outcome.sides[side].runs[concurrency].push(await timedRun(side, concurrency));
        }
      }
    }
    for (let round = 0; round < settings.cpu.rounds; round += 1) {
      for (const side of rotate(sides, round)) {
        // eslint-disable-next-line no-await-in-loop
        const reply = await withTimeout(workers[side].call('cpu', { count: settings.cpu.count }), 120_000, `${key}/${side} CPU`);
        outcome.sides[side].cpu.push(reply.ok ? reply.value : { error: reply.error });
      }
    }
    for (const side of sides.filter((name) => name !== 'floor')) {
      const before = await countsOf(responder, key);
      // eslint-disable-next-line no-await-in-loop
      const reply = await withTimeout(workers[side].call('memory', settings.memory), 300_000, `${key}/${side} memory`);
      const after = await countsOf(responder, key);
      outcome.sides[side].memory = reply.ok
        ? { ...reply.value, answered: after.answered - before.answered }
        : { error: reply.error };
    }
  } catch (error) {
    outcome.failed = `interrupted: ${error.message}`;
  }
  await stopAll();
  return outcome;
};

// ── start-up ────────────────────────────────────────────────────────────────────────────────────

const probe = (modulePath) =>
  new Promise((resolve) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, [probePath, modulePath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      const wallMs = performance.now() - startedAt;
      try {
        resolve({ ...JSON.parse(stdout.trim().split('\n').pop()), wallMs });
      } catch {
        resolve({ error: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}` });
      }
    });
  });

const startup = async (pair) => {
  const runs = { ours: [], official: [] };
  const sides = pair.official ? ['ours', 'official'] : ['ours'];
  for (let run = 0; run < settings.startupRuns; run += 1) {
    for (const side of rotate(sides, run)) {
      // eslint-disable-next-line no-await-in-loop
      runs[side].push(await probe(pair[side].lib));
    }
  }
  const summarize = (list) => {
    const ok = list.filter((entry) => !entry.error);
    if (ok.length === 0) return { error: list[0]?.error ?? 'not run' };
    return {
      runs: ok.length,
      wallMs: median(ok.map((entry) => entry.wallMs)),
      processReadyMs: median(ok.map((entry) => entry.processReadyMs)),
      importMs: median(ok.map((entry) => entry.importMs)),
      createMs: median(ok.map((entry) => entry.createMs)),
      importAndCreateMs: median(ok.map((entry) => entry.importAndCreateMs)),
      importAndCreateSpread: spread(ok.map((entry) => entry.importAndCreateMs)),
      rss: median(ok.map((entry) => entry.rss)),
    };
  };
  return { ours: summarize(runs.ours), official: pair.official ? summarize(runs.official) : undefined, raw: runs };
};

// ── summaries ───────────────────────────────────────────────────────────────────────────────────

const summarizeRuns = (runs) => {
  const valid = runs.filter((run) => run.valid);
  if (valid.length === 0) return { error: runs.find((run) => run.problem)?.problem ?? 'not run' };
  return {
    rounds: valid.length,
    sendsPerSecond: median(valid.map((run) => run.sendsPerSecond)),
    p50: median(valid.map((run) => run.p50)),
    p99: median(valid.map((run) => run.p99)),
    spread: spread(valid.map((run) => run.sendsPerSecond)),
    newConnections: valid.reduce((sum, run) => sum + run.newConnections, 0),
    invalidRounds: runs.length - valid.length,
    ...(runs.length !== valid.length && { problem: runs.find((run) => run.problem)?.problem }),
  };
};

/**
 * Ratios of sends/s taken round by round (the two sides ran one after the other, under the same
 * load from the rest of the machine), then the median: steadier than a ratio of medians.
 */
const pairedRatio = (left, right) => {
  const ratios = [];
  for (let round = 0; round < Math.min(left?.length ?? 0, right?.length ?? 0); round += 1) {
    if (left[round].valid && right[round].valid) ratios.push(left[round].sendsPerSecond / right[round].sendsPerSecond);
  }
  if (ratios.length === 0) return undefined;
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios.length };
};

/** Met when the median round meets the threshold; within noise when some rounds do; missed when none does. */
const verdictOf = (ratio, threshold) => {
  if (!ratio) return 'n/a';
  if (ratio.median >= threshold) return 'met';
  return ratio.max >= threshold ? 'noise' : 'missed';
};

/**
 * Theil–Sen slope of `value` against `sends` (the median of the slopes between every two samples), in
 * bytes per send: a step while pools and caches settle at the start, or RSS moving up and down with
 * the allocator, does not read as a trend; steady growth does.
 */
const trendPerSend = (samples, value) => {
  const slopes = [];
  for (let left = 0; left < samples.length; left += 1) {
    for (let right = left + 1; right < samples.length; right += 1) {
      const run = samples[right].sends - samples[left].sends;
      if (run > 0) slopes.push((samples[right][value] - samples[left][value]) / run);
    }
  }
  return median(slopes) ?? 0;
};

const summarizeMemory = (memory) => {
  if (!memory || memory.error || !memory.samples) return { error: memory?.error ?? 'not run' };
  const { samples } = memory;
  const [first] = samples;
  const last = samples[samples.length - 1];
  const sends = last.sends;
  // Trends over the run (every sample is taken after a forced GC), scaled to the run: a leak that
  // keeps anything per send (a reply, a timer, a listener, a buffer) grows the JS heap or the
  // external memory by ≥ 100 bytes per send, i.e. ≥ 1 MB over 10 000 sends. RSS also moves with the
  // allocator (±20 MB between samples at concurrency 32 is usual), so for RSS the check is that the
  // end of the run is not above the highest RSS of its first half by more than 8 MB.
  const heapTrend = trendPerSend(samples, 'heapUsed') * sends;
  const externalTrend = trendPerSend(samples, 'external') * sends;
  const rssTrend = trendPerSend(samples, 'rss') * sends;
  const firstHalfMax = Math.max(...samples.filter((sample) => sample.sends <= sends / 2).map((sample) => sample.rss));
  const rssAboveFirstHalf = last.rss - firstHalfMax;
  const flat =
    memory.errors === 0 && heapTrend < 1024 * 1024 && externalTrend < 1024 * 1024 && rssAboveFirstHalf < 8 * 1024 * 1024;
  return {
    sends,
    errors: memory.errors,
    answered: memory.answered,
    rssStart: first.rss,
    rssEnd: last.rss,
    rssMin: Math.min(...samples.map((sample) => sample.rss)),
    rssMax: Math.max(...samples.map((sample) => sample.rss)),
    rssTrend,
    rssAboveFirstHalf,
    externalTrend,
    heapStart: first.heapUsed,
    heapEnd: last.heapUsed,
    heapTrend,
    flat,
    samples,
  };
};

const summarizePair = (pair, network, startupResult, footprint) => {
  const side = (name) => {
    const data = network?.sides?.[name];
    if (!data) return undefined;
    const cpuOk = data.cpu.filter((entry) => !entry.error && entry.errors === 0);
    return {
      c1: summarizeRuns(data.runs[1]),
      c32: summarizeRuns(data.runs[32]),
      cpuMicrosPerCall: median(cpuOk.map((entry) => entry.cpuMicrosPerCall)),
      cpuSpread: spread(cpuOk.map((entry) => entry.cpuMicrosPerCall)),
      memory: name === 'floor' ? undefined : summarizeMemory(data.memory),
    };
  };
  const ours = side('ours');
  const official = side('official');
  const floor = side('floor');
  const runsOf = (name, concurrency) => network?.sides?.[name]?.runs[concurrency];
  const ratio = (left, right) => (Number.isFinite(left) && Number.isFinite(right) && right > 0 ? left / right : undefined);
  const ratios = {};
  const targets = {};
  for (const concurrency of concurrencies) {
    const level = `c${concurrency}`;
    ratios[level] = {
      oursOverOfficial: pairedRatio(runsOf('ours', concurrency), runsOf('official', concurrency)),
      oursOverFloor: pairedRatio(runsOf('ours', concurrency), runsOf('floor', concurrency)),
    };
    targets[`asFastAsOfficial_${level}`] = verdictOf(ratios[level].oursOverOfficial, 1);
  }
  targets.within15PercentOfFloor_c32 = verdictOf(ratios.c32.oursOverFloor, 0.85);

  const startRatios = [];
  const oursStarts = startupResult.raw.ours;
  const officialStarts = startupResult.raw.official;
  for (let run = 0; run < Math.min(oursStarts.length, officialStarts.length); run += 1) {
    if (!oursStarts[run].error && !officialStarts[run].error) {
      // Inverted so that, like sends/s, ≥ 1 means ours is at least as fast.
      startRatios.push(officialStarts[run].importAndCreateMs / oursStarts[run].importAndCreateMs);
    }
  }
  const startupSpeedup = startRatios.length
    ? { median: median(startRatios), min: Math.min(...startRatios), max: Math.max(...startRatios), rounds: startRatios.length }
    : undefined;
  targets.startupNoSlower = verdictOf(startupSpeedup, 1);
  targets.rssFlat = ours?.memory?.flat === undefined ? 'n/a' : ours.memory.flat ? 'met' : 'missed';
  const extra = [...new Set([...footprint.ours.dependencies, ...footprint.ours.imports])].filter(
    (name) => !allowedRuntimeDependencies.includes(name)
  );
  targets.onlyKitZodKy = extra.length === 0 ? 'met' : 'missed';

  return {
    key: pair.key,
    label: pair.provider.label,
    ours: { package: footprint.ours.package, lib: path.relative(root, pair.ours.lib), ...ours, startup: startupResult.ours, footprint: footprint.ours },
    official: pair.official
      ? { package: footprint.official?.package, ...official, startup: startupResult.official, footprint: footprint.official }
      : undefined,
    floor,
    ratios: {
      ...ratios,
      startupOfficialOverOurs: startupSpeedup,
      cpuOursOverOfficial: ratio(ours?.cpuMicrosPerCall, official?.cpuMicrosPerCall),
      cpuOursOverFloor: ratio(ours?.cpuMicrosPerCall, floor?.cpuMicrosPerCall),
    },
    targets,
    extraRuntimeDependencies: extra,
    request: network?.request,
    networkRan: Boolean(network),
    failures: network?.failures ?? {},
    failed: network?.failed,
  };
};

// ── tables ──────────────────────────────────────────────────────────────────────────────────────

/** sends/s, or why there is none: not measured at all (–), or the side failed its checks. */
const cell = (pair, side, summary) => {
  if (!pair.networkRan) return '–';
  if (!summary || summary.error || pair.failures[side] || (side === 'ours' && pair.failed)) return 'failed';
  return formatRate(summary.sendsPerSecond);
};

const tables = (pairs) => {
  const sendHeaders = ['Connector', 'Conc.', 'Ours sends/s', 'Official sends/s', 'Floor sends/s', 'Ours ÷ official', 'Ours ÷ floor', 'p50 ms ours · official · floor', 'p99 ms ours · official · floor'];
  const sendRows = pairs.flatMap((pair) =>
    ['c1', 'c32'].map((level) => {
      const ours = pair.ours?.[level];
      const official = pair.official?.[level];
      const floor = pair.floor?.[level];
      return [
        level === 'c1' ? pair.label : '',
        level.slice(1),
        cell(pair, 'ours', ours),
        pair.official ? cell(pair, 'official', official) : 'n/a',
        cell(pair, 'floor', floor),
        formatRatio(pair.ratios[level].oursOverOfficial?.median),
        formatRatio(pair.ratios[level].oursOverFloor?.median),
        [ours?.p50, official?.p50, floor?.p50].map(formatMs).join(' · '),
        [ours?.p99, official?.p99, floor?.p99].map(formatMs).join(' · '),
      ];
    })
  );

  const startHeaders = ['Connector', 'Import + create ms ours · official', 'Official ÷ ours', 'Process ready ms ours · official', 'RSS at start MB ours · official', 'CPU µs/send ours · official · floor'];
  const startRows = pairs.map((pair) => [
    pair.label,
    [pair.ours.startup?.importAndCreateMs, pair.official?.startup?.importAndCreateMs].map(formatMs).join(' · '),
    formatRatio(pair.ratios.startupOfficialOverOurs?.median),
    [pair.ours.startup?.processReadyMs, pair.official?.startup?.processReadyMs].map(formatMs).join(' · '),
    [pair.ours.startup?.rss, pair.official?.startup?.rss].map(formatMb).join(' · '),
    [pair.ours.cpuMicrosPerCall, pair.official?.cpuMicrosPerCall, pair.floor?.cpuMicrosPerCall].map(formatMicros).join(' · '),
  ]);

  const sendsLabel = `${settings.memory.count / 1000}k`;
  const packages = (footprint) =>
    footprint
      ? `${footprint.dependencies.length}/${footprint.runtimePackages.total} (${footprint.runtimePackages.added.length} new)`
      : '–';
  const footHeaders = ['Connector', 'lib/index.js KB (gzip) ours · official', 'Tarball KB ours · official', 'Runtime packages direct/all (new to Logto) ours · official', 'New to Logto KB ours · official', `RSS over ${sendsLabel} sends MB ours · official`, `Heap trend / ${sendsLabel} sends MB ours · official`];
  const footRows = pairs.map((pair) => {
    const ours = pair.ours.footprint;
    const official = pair.official?.footprint;
    const lib = (footprint) => (footprint ? `${formatKb(footprint.lib.bytes)} (${formatKb(footprint.lib.gzipBytes)})` : '–');
    return [
      pair.label,
      `${lib(ours)} · ${lib(official)}`,
      [ours.tarball.size, official?.tarball.size].map(formatKb).join(' · '),
      `${packages(ours)} · ${packages(official)}`,
      [ours.runtimePackages.addedBytes + (ours.tarball.unpackedSize ?? 0), official ? official.runtimePackages.addedBytes + (official.tarball.unpackedSize ?? 0) : undefined].map(formatKb).join(' · '),
      [pair.ours.memory, pair.official?.memory]
        .map((memory) => (memory?.rssMin === undefined ? '–' : `${formatMb(memory.rssMin)}–${formatMb(memory.rssMax)}`))
        .join(' · '),
      [pair.ours.memory?.heapTrend, pair.official?.memory?.heapTrend].map(formatSignedMb).join(' · '),
    ];
  });

  const targetHeaders = ['Connector', '≥ official, c1', '≥ official, c32', '≥ 85 % of floor, c32', 'Start-up ≤ official', 'RSS flat', 'Only kit · zod'];
  const targetRows = pairs.map((pair) => [
    pair.label,
    ...['asFastAsOfficial_c1', 'asFastAsOfficial_c32', 'within15PercentOfFloor_c32', 'startupNoSlower', 'rssFlat', 'onlyKitZodKy'].map(
      (name) => verdictMark[pair.targets[name]]
    ),
  ]);

  return [
    { title: 'Per send (local HTTPS responder, same transport for every side)', headers: sendHeaders, rows: sendRows },
    { title: 'Start-up and CPU', headers: startHeaders, rows: startRows },
    { title: 'Footprint', headers: footHeaders, rows: footRows },
    { title: 'Targets (✓ met in the median round · ≈ met in some rounds only · ✗ met in none · – not measured)', headers: targetHeaders, rows: targetRows },
  ];
};

// ── main ────────────────────────────────────────────────────────────────────────────────────────

const main = async () => {
  const startedAt = new Date();
  const { covered, skipped } = discover();
  progress(`sms-suite bench${quick ? ' (quick)' : ''}: ${covered.length} connector(s): ${covered.map(({ key }) => key).join(', ') || 'none'}`);
  for (const { folder, reason } of skipped) progress(`  not covered: ${folder}: ${reason}`);
  if (covered.length === 0) {
    progress('nothing to measure');
    process.exitCode = 1;
    return;
  }
  const loadBefore = os.loadavg();

  progress('footprint: bundle, tarball (npm pack --dry-run), runtime packages');
  const footprints = {};
  for (const pair of covered) {
    // eslint-disable-next-line no-await-in-loop
    footprints[pair.key] = { ours: await footprintOf(pair.ours.dir), official: pair.official ? await footprintOf(pair.official.dir) : undefined };
  }

  progress(`start-up: fresh node, import lib/index.js + createConnector, ${settings.startupRuns} runs per side`);
  const startups = {};
  for (const pair of covered) {
    // eslint-disable-next-line no-await-in-loop
    startups[pair.key] = await startup(pair);
  }

  const networks = {};
  let transportNote;
  if (hasOpenssl()) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sms-bench-'));
    const hosts = [...new Set(covered.flatMap((pair) => pair.provider.hosts))];
    let responder;
    try {
      const certificate = makeCertificate(tmp, hosts);
      const started = await startResponder(certificate);
      responder = started.responder;
      const transport = { cert: certificate.cert, hosts, port: started.port };
      for (const pair of covered) {
        progress(`per send: ${pair.key} (${settings.rounds} round(s) × c1/c32 × ours, official, floor; CPU; ${settings.memory.count.toLocaleString('en-US')} sends for RSS)`);
        // eslint-disable-next-line no-await-in-loop
        networks[pair.key] = await benchPair(pair, transport, responder);
        for (const [side, reason] of Object.entries(networks[pair.key].failures)) progress(`  ${side}: FAILED: ${reason}`);
      }
      const { protocols } = await responder.call('counts');
      transportNote = `HTTPS (${protocols.join('; ') || 'no request answered'}, keep-alive; throw-away self-signed P-256 certificate trusted through NODE_EXTRA_CA_CERTS) to a responder process on 127.0.0.1:${started.port}; ${hosts.join(', ')} resolve to 127.0.0.1 in the sending processes${started.port === 443 ? '' : `, and their port 443 is redirected to ${started.port}`}`;
    } finally {
      responder?.send({ cmd: 'exit' });
      rmSync(tmp, { recursive: true, force: true });
    }
  } else {
    transportNote = 'openssl was not found: no certificate could be generated, so the per-send, CPU and RSS measurements were skipped';
    progress(`per send: skipped: ${transportNote}`);
  }

  const pairs = covered.map((pair) => summarizePair(pair, networks[pair.key], startups[pair.key], footprints[pair.key]));
  const rendered = tables(pairs);

  const results = {
    date: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machine: machine(),
    loadAverage: { before: loadBefore, after: os.loadavg() },
    settings: { ...settings, concurrencies, quick },
    transport: transportNote,
    oursFrom: oursLibDir ? path.relative(root, oursLibDir) : 'packages/connector-*-sms/lib/index.js',
    logtoCore: logtoCoreSource,
    covered: covered.map(({ key, folder, official }) => ({ key, folder, official: official ? `${providers[key].official}@${official.version}` : null })),
    notCovered: skipped,
    pairs,
    raw: Object.fromEntries(covered.map(({ key }) => [key, { network: networks[key], startup: startups[key].raw }])),
    markdown: rendered.map(({ title, headers, rows }) => `**${title}**\n\n${renderMarkdown(headers, rows)}`).join('\n\n'),
  };
  // Only a full run of the packages as they are updates results.json; partial and A/B runs stay local.
  const outFile = path.join(benchDir, quick || only || oursLibDir ? 'results.local.json' : 'results.json');
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);

  const m = results.machine;
  const variantNote = oursLibDir ? ` · ours = builds from ${path.relative(root, oursLibDir)} (A/B run)` : '';
  const header = `${m.cpuModel}, ${m.cores} cores, ${formatMb(m.memoryBytes)} MB RAM · Node ${m.node} · ${results.date} · load ${loadBefore.map((value) => value.toFixed(2)).join(' ')}${variantNote}`;
  process.stdout.write(`\n${header}\n${transportNote}\n`);
  for (const { title, headers, rows } of rendered) process.stdout.write(`\n${title}\n${renderText(headers, rows)}\n`);
  const problems = pairs.flatMap((pair) => [
    ...Object.entries(pair.failures).map(([side, reason]) => `${pair.label} ${side}: ${reason}`),
    ...['c1', 'c32'].flatMap((level) =>
      ['ours', 'official', 'floor']
        .map((side) => [side, side === 'floor' ? pair.floor?.[level] : pair[side]?.[level]])
        .filter(([, summary]) => summary?.problem)
        .map(([side, summary]) => `${pair.label} ${side} ${level}: ${summary.invalidRounds} round(s) discarded: ${summary.problem}`)
    ),
    ...(pair.extraRuntimeDependencies.length ? [`${pair.label}: runtime dependencies beyond kit/zod: ${pair.extraRuntimeDependencies.join(', ')}`] : []),
  ]);
  if (problems.length) process.stdout.write(`\nProblems\n${problems.map((line) => `  - ${line}`).join('\n')}\n`);
  if (skipped.length) process.stdout.write(`\nNot covered: ${skipped.map(({ folder, reason }) => `${folder} (${reason})`).join('; ')}\n`);
  process.stdout.write(
    `\n── Markdown for the README "Performance" section ──\n\n_${header}. ${transportNote}. Reproduce with \`npx --yes pnpm@10 bench\`; method in bench/README.md._\n\n${results.markdown}\n\n── end ──\n`
  );
  progress(`\nwrote ${path.relative(root, outFile)} (${results.durationSeconds} s)`);
};

await main();

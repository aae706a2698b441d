// From raw figures to what the tables and results.json show: medians of rounds, paired ratios,
// memory trends and the verdict on each target; and the routing connector's entry (`router`), set
// beside the single connectors. Pure functions: nothing here measures or prints.
import path from 'node:path';

import { allowedRuntimeDependencies } from './footprint.mjs';
import { concurrencies } from './measure.mjs';

export const median = (values) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((left, right) => left - right);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** (max − min) / median of the rounds: how much a figure moved from one round to the next. */
export const spread = (values) => {
  const finite = values.filter((value) => Number.isFinite(value));
  const middle = median(finite);
  if (!middle || finite.length < 2) return 0;
  return (Math.max(...finite) - Math.min(...finite)) / middle;
};

/**
 * `at least as fast`: met when ours ≥ theirs; within noise when ours is behind by less than the
 * round-to-round spread of either side (the difference is not measurable on this machine).
 */
export const atLeast = (ours, theirs, noise = 0, factor = 1) => {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs)) return 'n/a';
  if (ours >= theirs * factor) return 'met';
  return ours >= theirs * factor * (1 - noise) ? 'noise' : 'missed';
};

/** Median, extremes and count of per-round ratios; undefined when no round gave one. */
const ratioSummary = (ratios) =>
  ratios.length === 0
    ? undefined
    : { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios.length };

/** left ÷ right when both are figures and right is not zero. */
const ratioOf = (left, right) =>
  Number.isFinite(left) && Number.isFinite(right) && right > 0 ? left / right : undefined;

/**
 * Ratios of sends/s taken round by round (the two sides ran one after the other, under the same
 * load from the rest of the machine), then the median: steadier than a ratio of medians.
 */
const pairedRatio = (left, right) => {
  const ratios = [];
  for (let round = 0; round < Math.min(left?.length ?? 0, right?.length ?? 0); round += 1) {
    if (left[round].valid && right[round].valid) ratios.push(left[round].sendsPerSecond / right[round].sendsPerSecond);
  }
  return ratioSummary(ratios);
};

/** numerator ÷ denominator of the import + create time, run by run (the two sides' probes alternated). */
const startupTimeRatios = (numerator, denominator) => {
  const ratios = [];
  for (let run = 0; run < Math.min(numerator?.length ?? 0, denominator?.length ?? 0); run += 1) {
    if (!numerator[run].error && !denominator[run].error) {
      ratios.push(numerator[run].importAndCreateMs / denominator[run].importAndCreateMs);
    }
  }
  return ratios;
};

const pairedStartupTimeRatio = (numerator, denominator) => ratioSummary(startupTimeRatios(numerator, denominator));

/** Official ÷ ours of the start-up time, run by run, so that, like sends/s, ≥ 1 means ours is at least as fast. */
const pairedStartupRatio = (runs) => pairedStartupTimeRatio(runs.official, runs.ours);

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

/** The median of the valid timed runs at one concurrency; invalid ones are counted and their first problem kept. */
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
    memory.errors === 0 &&
    heapTrend < 1024 * 1024 &&
    externalTrend < 1024 * 1024 &&
    rssAboveFirstHalf < 8 * 1024 * 1024;
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

/** Medians of one side's start-up probe runs that did not fail. */
const summarizeStartup = (runs) => {
  const ok = runs.filter((entry) => !entry.error);
  if (ok.length === 0) return { error: runs[0]?.error ?? 'not run' };
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

/** One side's per-send, CPU and memory summaries; undefined when the side did not run. */
const summarizeSide = (network, name) => {
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

/** Ours ÷ official and ours ÷ floor in sends/s, by concurrency level (`c1`, `c32`). */
const sendRatios = (network) => {
  const runsOf = (name, concurrency) => network?.sides?.[name]?.runs[concurrency];
  return Object.fromEntries(
    concurrencies.map((concurrency) => [
      `c${concurrency}`,
      {
        oursOverOfficial: pairedRatio(runsOf('ours', concurrency), runsOf('official', concurrency)),
        oursOverFloor: pairedRatio(runsOf('ours', concurrency), runsOf('floor', concurrency)),
      },
    ])
  );
};

/** Paired ratios of sends/s of side `left` over each of `rights`, by concurrency level (`c1`, `c32`). */
const sendRatiosOf = (network, left, rights) => {
  const runsOf = (name, concurrency) => network?.sides?.[name]?.runs[concurrency];
  return Object.fromEntries(
    concurrencies.map((concurrency) => [
      `c${concurrency}`,
      Object.fromEntries(
        Object.entries(rights).map(([label, right]) => [
          label,
          pairedRatio(runsOf(left, concurrency), runsOf(right, concurrency)),
        ])
      ),
    ])
  );
};

/** Runtime packages of ours (declared or imported by the bundle) beyond the kit and zod. */
const extraRuntimeDependencies = (oursFootprint) =>
  [...new Set([...oursFootprint.dependencies, ...oursFootprint.imports])].filter(
    (name) => !allowedRuntimeDependencies.includes(name)
  );

/** The verdict on each target, in the order of the targets table. */
const targetsOf = ({ ratios, startupSpeedup, oursMemory, extra }) => ({
  ...Object.fromEntries(
    concurrencies.map((concurrency) => [
      `asFastAsOfficial_c${concurrency}`,
      verdictOf(ratios[`c${concurrency}`].oursOverOfficial, 1),
    ])
  ),
  within15PercentOfFloor_c32: verdictOf(ratios.c32.oursOverFloor, 0.85),
  startupNoSlower: verdictOf(startupSpeedup, 1),
  rssFlat: oursMemory?.flat === undefined ? 'n/a' : oursMemory.flat ? 'met' : 'missed',
  onlyKitZodKy: extra.length === 0 ? 'met' : 'missed',
});

/**
 * One connector's entry of results.json `pairs`: both sides' summaries with their start-up and
 * footprint, the floor, the ratios, the targets, and what failed.
 */
export const summarizePair = ({ pair, network, startupRuns, footprint, root }) => {
  const ours = summarizeSide(network, 'ours');
  const official = summarizeSide(network, 'official');
  const floor = summarizeSide(network, 'floor');
  const ratios = sendRatios(network);
  const startupSpeedup = pairedStartupRatio(startupRuns);
  const extra = extraRuntimeDependencies(footprint.ours);

  return {
    key: pair.key,
    label: pair.provider.label,
    ours: {
      package: footprint.ours.package,
      lib: path.relative(root, pair.ours.lib),
      ...ours,
      startup: summarizeStartup(startupRuns.ours),
      footprint: footprint.ours,
    },
    official: pair.official
      ? {
          package: footprint.official?.package,
          ...official,
          startup: summarizeStartup(startupRuns.official),
          footprint: footprint.official,
        }
      : undefined,
    floor,
    ratios: {
      ...ratios,
      startupOfficialOverOurs: startupSpeedup,
      cpuOursOverOfficial: ratioOf(ours?.cpuMicrosPerCall, official?.cpuMicrosPerCall),
      cpuOursOverFloor: ratioOf(ours?.cpuMicrosPerCall, floor?.cpuMicrosPerCall),
    },
    targets: targetsOf({ ratios, startupSpeedup, oursMemory: ours?.memory, extra }),
    extraRuntimeDependencies: extra,
    request: network?.request,
    networkRan: Boolean(network),
    failures: network?.failures ?? {},
    failed: network?.failed,
  };
};

// ── the routing connector ───────────────────────────────────────────────────────────────────────

/** The median of the single connectors' figure `of(pair)` (ours, or official with `side`), ignoring those without one. */
const medianOf = (pairs, of) => median(pairs.map(of));

/**
 * What the router is compared with at start-up, from the pairs of the same run: the median of our
 * single connectors (medians of their runs) and the official connector that was slowest to start;
 * with the router's start-up ratio to each, paired run by run (its probes alternated with each pair's).
 */
const singleConnectorsOf = (pairs, pairStartups) => {
  const routerOver = (pair, side) => startupTimeRatios(pairStartups[pair.key]?.router, pairStartups[pair.key]?.[side]);
  const withOfficial = pairs.filter((pair) => Number.isFinite(pair.official?.startup?.importAndCreateMs));
  const slowest = withOfficial.reduce(
    (slowest, pair) =>
      !slowest || pair.official.startup.importAndCreateMs > slowest.official.startup.importAndCreateMs ? pair : slowest,
    undefined
  );
  return {
    connectors: pairs.length,
    startupRouterOver: Object.fromEntries(
      pairs.map((pair) => [
        pair.key,
        { ours: ratioSummary(routerOver(pair, 'ours')), official: ratioSummary(routerOver(pair, 'official')) },
      ])
    ),
    /** Every run's router ÷ our connector of that run, all pairs pooled. */
    startupRouterOverOurs: ratioSummary(pairs.flatMap((pair) => routerOver(pair, 'ours'))),
    ours: {
      importAndCreateMs: medianOf(pairs, (pair) => pair.ours.startup?.importAndCreateMs),
      processReadyMs: medianOf(pairs, (pair) => pair.ours.startup?.processReadyMs),
      rss: medianOf(pairs, (pair) => pair.ours.startup?.rss),
      libBytes: medianOf(pairs, (pair) => pair.ours.footprint.lib.bytes),
      libGzipBytes: medianOf(pairs, (pair) => pair.ours.footprint.lib.gzipBytes),
      tarballBytes: medianOf(pairs, (pair) => pair.ours.footprint.tarball.size),
      tarballUnpackedBytes: medianOf(pairs, (pair) => pair.ours.footprint.tarball.unpackedSize),
    },
    slowestOfficial: slowest && {
      key: slowest.key,
      label: slowest.label,
      package: slowest.official.package,
      startup: slowest.official.startup,
      footprint: slowest.official.footprint,
      startupRouterOverOfficial: ratioSummary(routerOver(slowest, 'official')),
    },
  };
};

/**
 * The router's entry of results.json (`router`): its footprint and start-up beside the single
 * connectors (paired run by run with the single connector of the routed provider, with our single
 * connectors and with the slowest official of the same run), and its send path against that single
 * connector and the floor. Start-up ratios are of times (router ÷ other: below 1, the router is ready
 * sooner); send ratios are of sends/s (router ÷ other: below 1, the router sends fewer per second).
 */
export const summarizeRouter = ({ router, footprint, startupRuns, pairStartups, network, pairs, root }) => {
  const startup = summarizeStartup(startupRuns.router);
  const singles = singleConnectorsOf(pairs, pairStartups);
  // The single connector's runs alternating with the router's: its pair's, or the router's own step.
  const singlePair = router.single && pairs.find((pair) => pair.key === router.single.key);
  const singleStartup = startupRuns.withSingle
    ? summarizeStartup(startupRuns.withSingle.single)
    : singlePair?.ours.startup;
  const startupRouterOverSingle = startupRuns.withSingle
    ? pairedStartupTimeRatio(startupRuns.withSingle.router, startupRuns.withSingle.single)
    : singlePair && singles.startupRouterOver[singlePair.key].ours;
  const routerSide = summarizeSide(network, 'router');
  const single = summarizeSide(network, 'single');
  const floor = summarizeSide(network, 'floor');
  const extra = extraRuntimeDependencies(footprint.router);
  return {
    key: router.key,
    label: router.label,
    package: footprint.router.package,
    lib: path.relative(root, router.ours.lib),
    footprint: footprint.router,
    startup,
    ...routerSide,
    sendPath: router.single
      ? { route: `* → ${router.single.key}`, providers: Object.keys(router.config.providers) }
      : { skipped: router.singleMissing },
    single: router.single
      ? {
          key: router.single.key,
          label: router.single.label,
          package: footprint.single?.package,
          lib: path.relative(root, router.single.lib),
          startup: singleStartup,
          footprint: footprint.single,
          ...single,
        }
      : undefined,
    floor,
    singleConnectors: singles,
    ratios: {
      startupRouterOverSingle,
      startupRouterOverOurs: singles.startupRouterOverOurs,
      startupRouterOverSlowestOfficial: singles.slowestOfficial?.startupRouterOverOfficial,
      libRouterOverSingle: ratioOf(footprint.router.lib.bytes, footprint.single?.lib.bytes),
      libRouterOverOursMedian: ratioOf(footprint.router.lib.bytes, singles.ours.libBytes),
      ...sendRatiosOf(network, 'router', { routerOverSingle: 'single', routerOverFloor: 'floor' }),
      cpuRouterOverSingle: ratioOf(routerSide?.cpuMicrosPerCall, single?.cpuMicrosPerCall),
      cpuRouterMinusSingleMicros:
        Number.isFinite(routerSide?.cpuMicrosPerCall) && Number.isFinite(single?.cpuMicrosPerCall)
          ? routerSide.cpuMicrosPerCall - single.cpuMicrosPerCall
          : undefined,
      cpuRouterOverFloor: ratioOf(routerSide?.cpuMicrosPerCall, floor?.cpuMicrosPerCall),
    },
    extraRuntimeDependencies: extra,
    request: network?.request,
    differencesFromSingle: network?.differencesFromSingle,
    networkRan: Boolean(network),
    failures: network?.failures ?? {},
    failed: network?.failed,
  };
};

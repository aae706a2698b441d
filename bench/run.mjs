// `pnpm bench`: our connectors against Logto's official ones and against a bare fetch of the same
// request, on this machine, in one run. Not a test: nothing here asserts; it measures and reports.
// Method and how to read the figures: bench/README.md. This file holds the options and the order of
// the steps; discovery, measurement, statistics and tables live in src/ (see "Files" there).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { discoverConnectors, discoverRouter } from './src/discovery.mjs';
import { logtoCoreSource } from './src/footprint.mjs';
import { progress } from './src/harness.mjs';
import {
  concurrencies,
  measureFootprint,
  measurePerSend,
  measureRouterFootprint,
  measureRouterStartup,
  measureStartup,
} from './src/measure.mjs';
import { providers } from './src/providers.mjs';
import { markdownOf, runHeader, tablesOf, terminalReport } from './src/report.mjs';
import { summarizePair, summarizeRouter } from './src/statistics.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');

const option = (name) => process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = option('only')?.split(',');
/** A/B runs of a change not yet in the packages: `<dir>/<folder>.js` replaces our lib/index.js (not the footprint). */
const oursLibDir = option('ours-lib') && path.resolve(option('ours-lib'));

// Sized for ~4–6 minutes with seven pairs and the router on 2 cores; `--quick` is a smoke run of the same steps.
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

const describeMachine = () => {
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

/** One step for every pair, by connector key; one pair after the other, so that no measurement shares the machine with another. */
const forEachPair = async (covered, step) => {
  const byKey = {};
  for (const pair of covered) {
    byKey[pair.key] = await step(pair);
  }
  return byKey;
};

const main = async () => {
  const startedAt = new Date();
  const { covered, skipped } = discoverConnectors({ root, benchDir, only, oursLibDir });
  // The routing connector, beside the single ones (no official counterpart): footprint, start-up, and
  // its send path through one provider when that provider's single connector is built.
  const { router, skipped: routerSkipped } = discoverRouter({ root, only, oursLibDir });
  if (routerSkipped) skipped.push(routerSkipped);
  progress(
    `sms-suite bench${quick ? ' (quick)' : ''}: ${covered.length} connector(s): ${covered.map(({ key }) => key).join(', ') || 'none'}${router ? `, and the ${router.key} (${router.folder})` : ''}`
  );
  for (const { folder, reason } of skipped) progress(`  not covered: ${folder}: ${reason}`);
  if (router?.singleMissing) progress(`  ${router.folder}: no send path: ${router.singleMissing}`);
  if (covered.length === 0 && !router) {
    progress('nothing to measure');
    process.exitCode = 1;
    return;
  }
  const loadBefore = os.loadavg();

  progress('footprint: bundle, tarball (npm pack --dry-run), runtime packages');
  const footprints = await forEachPair(covered, measureFootprint);
  const routerFootprint = router && (await measureRouterFootprint(router));
  progress(
    `start-up: fresh node, import lib/index.js + createConnector, ${settings.startupRuns} runs per side${router ? ` (the router's alternating with every pair's)` : ''}`
  );
  const startups = await forEachPair(covered, (pair) => measureStartup(pair, settings, router?.ours.lib));
  const routerStartup = router && (await measureRouterStartup(router, settings, startups));
  const { networks, routerNetwork, transportNote } = await measurePerSend(covered, settings, router);

  const pairs = covered.map((pair) =>
    summarizePair({
      pair,
      network: networks[pair.key],
      startupRuns: startups[pair.key],
      footprint: footprints[pair.key],
      root,
    })
  );
  const routerSummary =
    router &&
    summarizeRouter({
      router,
      footprint: routerFootprint,
      startupRuns: routerStartup,
      pairStartups: startups,
      network: routerNetwork,
      pairs,
      root,
    });
  const tables = tablesOf(pairs, settings, routerSummary);

  const results = {
    date: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machine: describeMachine(),
    loadAverage: { before: loadBefore, after: os.loadavg() },
    settings: { ...settings, concurrencies, quick },
    transport: transportNote,
    oursFrom: oursLibDir ? path.relative(root, oursLibDir) : 'packages/connector-*-sms/lib/index.js',
    logtoCore: logtoCoreSource,
    covered: covered.map(({ key, folder, official }) => ({
      key,
      folder,
      official: official ? `${providers[key].official}@${official.version}` : null,
    })),
    notCovered: skipped,
    pairs,
    router: routerSummary,
    raw: {
      ...Object.fromEntries(covered.map(({ key }) => [key, { network: networks[key], startup: startups[key] }])),
      ...(router && { [router.key]: { network: routerNetwork, startup: routerStartup } }),
    },
    markdown: markdownOf(tables),
  };
  // Only a full run of the packages as they are updates results.json; partial and A/B runs stay local.
  const outFile = path.join(benchDir, quick || only || oursLibDir ? 'results.local.json' : 'results.json');
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);

  const header = runHeader(results, oursLibDir && path.relative(root, oursLibDir));
  process.stdout.write(terminalReport({ header, results, tables }));
  progress(`\nwrote ${path.relative(root, outFile)} (${results.durationSeconds} s)`);
};

await main();

// Then what the destination policy costs per send (bench/policy.mjs, README "Destination policy"), in
// a process of its own; partial and A/B runs leave it out.
if (!only && !oursLibDir) {
  const { spawnSync } = await import('node:child_process');
  const policyRun = spawnSync(process.execPath, [path.join(benchDir, 'policy.mjs'), ...(quick ? ['--quick'] : [])], {
    stdio: 'inherit',
  });
  if (policyRun.status !== 0) process.exitCode = 1;
}

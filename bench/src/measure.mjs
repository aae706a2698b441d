// The measurement steps of run.mjs, each returning raw figures (summaries are statistics.mjs's job):
// footprint, start-up in fresh processes, and per send (timed rounds, CPU, memory) through the local
// responder, every send checked against the responder's own count. For each pair (ours, official,
// floor), and for the routing connector (router, our single connector of the routed provider, floor).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { footprintOf } from './footprint.mjs';
import { hasOpenssl, makeCertificate, progress, rotate, startResponder, startWorker, withTimeout } from './harness.mjs';

const probePath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'startup-probe.mjs');

/** The concurrency levels of the timed rounds: one send at a time, and 32 loops sending back to back. */
export const concurrencies = [1, 32];

// ── footprint ───────────────────────────────────────────────────────────────────────────────────

/**
 * The measuring steps every send path shares, for the sides whose worker started: timed rounds, CPU
 * rounds, memory; an interrupted step is recorded, and the workers are stopped either way.
 */
const measureSides = async (run, candidates, outcome, settings) => {
  const sides = candidates.filter((side) => run.workers[side]);
  for (const side of sides) outcome.sides[side] = { runs: { 1: [], 32: [] }, cpu: [] };
  try {
    await runTimedRounds(run, sides, outcome, settings);
    await runCpuRounds(run, sides, outcome, settings);
    await runMemory(run, sides, outcome, settings);
  } catch (error) {
    outcome.failed = `interrupted: ${error.message}`;
  }
  await stopWorkers(run.workers);
  return outcome;
};

export const measureFootprint = async (pair) => ({
  ours: await footprintOf(pair.ours.dir),
  official: pair.official ? await footprintOf(pair.official.dir) : undefined,
});

/** The router's footprint, and that of the single connector it is timed against. */
export const measureRouterFootprint = async (router) => ({
  router: await footprintOf(router.ours.dir),
  single: router.single ? await footprintOf(router.single.dir) : undefined,
});

// ── start-up ────────────────────────────────────────────────────────────────────────────────────

/** One fresh `node` process that imports the bundle and creates the connector; its own timings plus the wall time. */
const probeStartup = (modulePath) =>
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

/** `runs` probes of every side (`{ side: modulePath }`), the sides alternating so that all see the same background load. */
const alternatingProbes = async (libs, runs) => {
  const sides = Object.keys(libs);
  const results = Object.fromEntries(sides.map((side) => [side, []]));
  for (let run = 0; run < runs; run += 1) {
    for (const side of rotate(sides, run)) {
      results[side].push(await probeStartup(libs[side]));
    }
  }
  return results;
};

/**
 * Every probe run by side, ours and official alternating; and the routing connector's bundle
 * (`routerLib`) as a third side when the run covers it, so that every start-up ratio of the router
 * to a single connector is paired run by run, under the same load.
 */
export const measureStartup = async (pair, settings, routerLib) => ({
  official: [],
  ...(await alternatingProbes(
    {
      ours: pair.ours.lib,
      ...(pair.official && { official: pair.official.lib }),
      ...(routerLib && { router: routerLib }),
    },
    settings.startupRuns
  )),
});

/**
 * The router's start-up runs: those it made inside the pairs' start-up (`startups`, by connector key),
 * and, when the pair of its single connector did not run (`--only=router`), a step of its own, the
 * router alternating with that single connector (`withSingle`), so that this ratio is paired too.
 */
export const measureRouterStartup = async (router, settings, startups) => {
  const inPairs = Object.values(startups).flatMap((runs) => runs.router ?? []);
  const singleRan = router.single && startups[router.single.key];
  if (singleRan || (!router.single && inPairs.length > 0)) return { router: inPairs };
  const withSingle = {
    single: [],
    ...(await alternatingProbes(
      { router: router.ours.lib, ...(router.single && { single: router.single.lib }) },
      settings.startupRuns
    )),
  };
  return { router: [...inPairs, ...withSingle.router], withSingle };
};

// ── per send: checks at the responder ───────────────────────────────────────────────────────────

const countsOf = async (responder, key) => (await responder.call('counts')).counts[key];

/** One send through the side, checked at the responder: exactly one matching request, no refusal. */
const verify = async (worker, responder, key) => {
  const before = await countsOf(responder, key);
  const reply = await withTimeout(worker.call('verify'), 30_000, 'verification send');
  const after = await countsOf(responder, key);
  const answered = after.answered - before.answered;
  const refused = after.refused - before.refused;
  if (!reply.ok || !reply.value.ok) {
    return {
      ok: false,
      reason: `the send failed: ${reply.error ?? reply.value.error}${refused ? ` (the responder refused ${refused} request(s): wrong method or path)` : ''}`,
    };
  }
  if (answered !== 1 || refused !== 0) {
    return {
      ok: false,
      reason: `the send resolved but the responder saw ${answered} matching and ${refused} refused request(s) instead of one: it did not go through the local provider`,
    };
  }
  return { ok: true };
};

/**
 * Asks the responder to keep the provider's next request byte for byte. Resolves once the capture is
 * armed, with `captured` still pending: wrapped in an object, because an async function would
 * otherwise wait for the capture itself, which only comes with the next send.
 */
const armCapture = async (responder, key) => {
  const id = responder.nextId();
  const armed = responder.wait(`${id}:armed`);
  const captured = responder.wait(id);
  responder.send({ id, cmd: 'capture', provider: key });
  await armed;
  return { captured };
};

// ── per send: the pair's worker processes ───────────────────────────────────────────────────────

/** A failure that ends the pair, with the side it belongs to (`pair` when it belongs to none). */
const sideFailure = (side, message) => Object.assign(new Error(message), { side });

/** Asks every worker to exit, and kills those that do not answer. */
const stopWorkers = (workers) =>
  Promise.all(
    Object.values(workers).map((worker) =>
      withTimeout(worker.call('exit'), 5000, 'exit').catch(() => {
        worker.child.kill();
      })
    )
  );

// Each start below puts its worker into `workers` as soon as the process runs, so that whatever fails
// next, stopWorkers reaches it.

/**
 * A connector side (`workers[side]`, process `name`) loaded with its module, config and message, and
 * verified by one send to provider `key`; resolves with that send's request as the responder
 * captured it, byte for byte. Throws a failure of the side when it does not load or its send fails.
 */
const startCaptured = async ({ side, name, key, modulePath, config, message }, transport, responder, workers) => {
  workers[side] = await startWorker(name, transport);
  const init = await workers[side].call('init', { side, modulePath, config, message });
  if (!init.ok) throw sideFailure(side, `${side} did not load: ${init.error}`);
  const { captured } = await armCapture(responder, key);
  const check = await verify(workers[side], responder, key);
  if (!check.ok) throw sideFailure(side, `${side}: ${check.reason}`);
  const { request } = await withTimeout(captured, 5000, 'request capture');
  return request;
};

/** Ours first: its first request, captured byte for byte, is the floor's request. */
const startOurs = (pair, transport, responder, workers) =>
  startCaptured(
    {
      side: 'ours',
      name: `${pair.key}/ours`,
      key: pair.key,
      modulePath: pair.ours.lib,
      config: pair.provider.config,
      message: pair.provider.message,
    },
    transport,
    responder,
    workers
  );

/** The bare `fetch` of ours' captured request; the reason when its check fails (the pair goes on without it). */
const startFloor = async (key, request, transport, responder, workers, name = `${key}/floor`) => {
  workers.floor = await startWorker(name, transport);
  await workers.floor.call('init', { side: 'floor', request });
  const check = await verify(workers.floor, responder, key);
  if (check.ok) return undefined;
  // Out of the pair, but its process must still end, or the bench could not exit.
  await workers.floor.call('exit').catch(() => workers.floor.child.kill());
  delete workers.floor;
  return check.reason;
};

/** The official package; the reason when it is not installed, does not load or fails its check. */
const startOfficial = async (pair, transport, responder, workers) => {
  if (!pair.official) return `${pair.provider.official} is not installed in bench/node_modules`;
  workers.official = await startWorker(`${pair.key}/official`, transport);
  const init = await workers.official.call('init', {
    side: 'official',
    modulePath: pair.official.lib,
    config: pair.provider.config,
    message: pair.provider.message,
  });
  const check = init.ok
    ? await verify(workers.official, responder, pair.key)
    : { ok: false, reason: `did not load: ${init.error}` };
  if (check.ok) return undefined;
  await workers.official.call('exit').catch(() => undefined);
  delete workers.official;
  return check.reason;
};

/** What the responder saw of ours' request, recorded with the results (not the body itself). */
const requestShape = (request) => ({
  method: request.method,
  url: request.url,
  headerNames: request.rawHeaders.filter((_, index) => index % 2 === 0),
  bodyBytes: Buffer.from(request.body, 'base64').length,
});

// ── per send: the timed steps ───────────────────────────────────────────────────────────────────

/**
 * Warm-up, then the timed sends, at one concurrency. Valid only when no send was rejected and the
 * responder answered exactly the warm-up and timed sends, refusing none.
 */
const timedRun = async ({ key, workers, responder }, side, concurrency, { warmup, count }) => {
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

/** Every round: each concurrency, each side in turn, the order rotated every round. */
const runTimedRounds = async (run, sides, outcome, settings) => {
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const concurrency of concurrencies) {
      const counts = concurrency === 1 ? settings.c1 : settings.c32;
      for (const side of rotate(sides, round)) {
        outcome.sides[side].runs[concurrency].push(await timedRun(run, side, concurrency, counts));
      }
    }
  }
};

/** CPU per `createConnector` + `sendMessage`, one at a time, measured inside the warm worker. */
const runCpuRounds = async ({ key, workers }, sides, outcome, settings) => {
  for (let round = 0; round < settings.cpu.rounds; round += 1) {
    for (const side of rotate(sides, round)) {
      const reply = await withTimeout(
        workers[side].call('cpu', { count: settings.cpu.count }),
        120_000,
        `${key}/${side} CPU`
      );
      outcome.sides[side].cpu.push(reply.ok ? reply.value : { error: reply.error });
    }
  }
};

/** What differs between two captured requests: method, URL, body, or a header (by name, case-insensitive). */
const requestDifferences = (left, right) => {
  const headersOf = (request) => {
    const headers = new Map();
    for (let index = 0; index < request.rawHeaders.length; index += 2) {
      const name = request.rawHeaders[index].toLowerCase();
      headers.set(name, [headers.get(name), request.rawHeaders[index + 1]].filter(Boolean).join(', '));
    }
    return headers;
  };
  const differences = ['method', 'url', 'body'].filter((field) => left[field] !== right[field]);
  const leftHeaders = headersOf(left);
  const rightHeaders = headersOf(right);
  for (const name of new Set([...leftHeaders.keys(), ...rightHeaders.keys()])) {
    if (leftHeaders.get(name) !== rightHeaders.get(name)) differences.push(`header ${name}`);
  }
  return differences;
};

/** Memory samples over a long run of sends, for the connectors only: the floor holds no connector. */
const runMemory = async ({ key, workers, responder }, sides, outcome, settings) => {
  for (const side of sides.filter((name) => name !== 'floor')) {
    const before = await countsOf(responder, key);
    const reply = await withTimeout(workers[side].call('memory', settings.memory), 300_000, `${key}/${side} memory`);
    const after = await countsOf(responder, key);
    outcome.sides[side].memory = reply.ok
      ? { ...reply.value, answered: after.answered - before.answered }
      : { error: reply.error };
  }
};

/**
 * One pair through the responder: start and verify every side, then the timed rounds, CPU and
 * memory. A side that fails its check is left out and its reason kept in `failures`; when ours
 * fails, the whole pair does (`failed`), since the floor is made of ours' request.
 */
export const measurePair = async (pair, transport, responder, settings) => {
  const { key } = pair;
  const outcome = { sides: {}, failures: {} };
  const workers = {};

  try {
    const request = await startOurs(pair, transport, responder, workers);
    outcome.request = requestShape(request);
    const floorFailure = await startFloor(key, request, transport, responder, workers);
    if (floorFailure) outcome.failures.floor = floorFailure;
    const officialFailure = await startOfficial(pair, transport, responder, workers);
    if (officialFailure) outcome.failures.official = officialFailure;
  } catch (error) {
    await stopWorkers(workers);
    outcome.failures[error.side ?? 'pair'] = error.message;
    outcome.failed = error.message;
    return outcome;
  }

  return measureSides({ key, workers, responder }, ['ours', 'official', 'floor'], outcome, settings);
};

// ── per send: the routing connector ───────────────────────────────────────────────────────────────

/**
 * The router's send path: the router (its bench config routes `*` to one provider), our single
 * connector of that provider with that provider's own config, and the bare `fetch` of the router's
 * request, through the same responder and with the same timed rounds, CPU and memory steps as a
 * pair. The router's failure ends the step; the single connector's or the floor's leaves it out.
 */
export const measureRouterSend = async (router, transport, responder, settings) => {
  const { key } = router.single;
  const { message } = router.provider;
  const outcome = { provider: key, sides: {}, failures: {} };
  const workers = {};

  try {
    const request = await startCaptured(
      { side: 'router', name: `router/router`, key, modulePath: router.ours.lib, config: router.config, message },
      transport,
      responder,
      workers
    );
    outcome.request = requestShape(request);
    try {
      const singleRequest = await startCaptured(
        {
          side: 'single',
          name: `router/single`,
          key,
          modulePath: router.single.lib,
          config: router.provider.config,
          message,
        },
        transport,
        responder,
        workers
      );
      // The router sends through the single connector's provider code: the same bytes are expected.
      outcome.differencesFromSingle = requestDifferences(request, singleRequest);
    } catch (error) {
      if (error.side !== 'single') throw error;
      outcome.failures.single = error.message;
      await workers.single?.call('exit').catch(() => workers.single.child.kill());
      delete workers.single;
    }
    const floorFailure = await startFloor(key, request, transport, responder, workers, 'router/floor');
    if (floorFailure) outcome.failures.floor = floorFailure;
  } catch (error) {
    await stopWorkers(workers);
    outcome.failures[error.side ?? 'router'] = error.message;
    outcome.failed = error.message;
    return outcome;
  }

  return measureSides({ key, workers, responder }, ['router', 'single', 'floor'], outcome, settings);
};

// ── per send: every pair ────────────────────────────────────────────────────────────────────────

const describeTransport = ({ protocols, hosts, port }) =>
  `HTTPS (${protocols.join('; ') || 'no request answered'}, keep-alive; throw-away self-signed P-256 certificate trusted through NODE_EXTRA_CA_CERTS) to a responder process on 127.0.0.1:${port}; ${hosts.join(', ')} resolve to 127.0.0.1 in the sending processes${port === 443 ? '' : `, and their port 443 is redirected to ${port}`}`;

/**
 * Every pair through one responder, behind a throw-away certificate for every provider host, then
 * the router's send path (when `router` has a single connector to be timed against). Returns the raw
 * outcome by connector key, the router's, and a sentence on the transport (or on why there was none).
 */
export const measurePerSend = async (covered, settings, router) => {
  const networks = {};
  let routerNetwork;
  if (!hasOpenssl()) {
    const transportNote =
      'openssl was not found: no certificate could be generated, so the per-send, CPU and RSS measurements were skipped';
    progress(`per send: skipped: ${transportNote}`);
    return { networks, transportNote };
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sms-bench-'));
  const hosts = [
    ...new Set([...covered.flatMap((pair) => pair.provider.hosts), ...(router?.single ? router.provider.hosts : [])]),
  ];
  let responder;
  try {
    const certificate = makeCertificate(tmp, hosts);
    const started = await startResponder(certificate);
    responder = started.responder;
    const transport = { cert: certificate.cert, hosts, port: started.port };
    for (const pair of covered) {
      progress(
        `per send: ${pair.key} (${settings.rounds} round(s) × c1/c32 × ours, official, floor; CPU; ${settings.memory.count.toLocaleString('en-US')} sends for RSS)`
      );
      networks[pair.key] = await measurePair(pair, transport, responder, settings);
      for (const [side, reason] of Object.entries(networks[pair.key].failures))
        progress(`  ${side}: FAILED: ${reason}`);
    }
    if (router?.single) {
      progress(
        `per send: ${router.key} (route * → ${router.single.key}; ${settings.rounds} round(s) × c1/c32 × router, ${router.single.key} (ours, single), floor; CPU; ${settings.memory.count.toLocaleString('en-US')} sends for RSS)`
      );
      routerNetwork = await measureRouterSend(router, transport, responder, settings);
      for (const [side, reason] of Object.entries(routerNetwork.failures)) progress(`  ${side}: FAILED: ${reason}`);
    }
    const { protocols } = await responder.call('counts');
    return { networks, routerNetwork, transportNote: describeTransport({ protocols, hosts, port: started.port }) };
  } finally {
    responder?.send({ cmd: 'exit' });
    rmSync(tmp, { recursive: true, force: true });
  }
};

// The measurement steps of run.mjs, each returning raw figures (summaries are statistics.mjs's job):
// footprint, start-up in fresh processes, and per send (timed rounds, CPU, memory) through the local
// responder, every send checked against the responder's own count.
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

export const measureFootprint = async (pair) => ({
  ours: await footprintOf(pair.ours.dir),
  official: pair.official ? await footprintOf(pair.official.dir) : undefined,
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

/** Every probe run by side, ours and official alternating so that both see the same background load. */
export const measureStartup = async (pair, settings) => {
  const runs = { ours: [], official: [] };
  const sides = pair.official ? ['ours', 'official'] : ['ours'];
  for (let run = 0; run < settings.startupRuns; run += 1) {
    for (const side of rotate(sides, run)) {
      runs[side].push(await probeStartup(pair[side].lib));
    }
  }
  return runs;
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

/** Ours first: its first request, captured byte for byte, is the floor's request. */
const startOurs = async (pair, transport, responder, workers) => {
  const { key } = pair;
  workers.ours = await startWorker(`${key}/ours`, transport);
  const init = await workers.ours.call('init', {
    side: 'ours',
    modulePath: pair.ours.lib,
    config: pair.provider.config,
    message: pair.provider.message,
  });
  if (!init.ok) throw sideFailure('ours', `ours did not load: ${init.error}`);
  const { captured } = await armCapture(responder, key);
  const check = await verify(workers.ours, responder, key);
  if (!check.ok) throw sideFailure('ours', `ours: ${check.reason}`);
  const { request } = await withTimeout(captured, 5000, 'request capture');
  return request;
};

/** The bare `fetch` of ours' captured request; the reason when its check fails (the pair goes on without it). */
const startFloor = async (key, request, transport, responder, workers) => {
  workers.floor = await startWorker(`${key}/floor`, transport);
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

  const sides = ['ours', 'official', 'floor'].filter((side) => workers[side]);
  for (const side of sides) outcome.sides[side] = { runs: { 1: [], 32: [] }, cpu: [] };
  const run = { key, workers, responder };
  try {
    await runTimedRounds(run, sides, outcome, settings);
    await runCpuRounds(run, sides, outcome, settings);
    await runMemory(run, sides, outcome, settings);
  } catch (error) {
    outcome.failed = `interrupted: ${error.message}`;
  }
  await stopWorkers(workers);
  return outcome;
};

// ── per send: every pair ────────────────────────────────────────────────────────────────────────

const describeTransport = ({ protocols, hosts, port }) =>
  `HTTPS (${protocols.join('; ') || 'no request answered'}, keep-alive; throw-away self-signed P-256 certificate trusted through NODE_EXTRA_CA_CERTS) to a responder process on 127.0.0.1:${port}; ${hosts.join(', ')} resolve to 127.0.0.1 in the sending processes${port === 443 ? '' : `, and their port 443 is redirected to ${port}`}`;

/**
 * Every pair through one responder, behind a throw-away certificate for every provider host. Returns
 * the raw outcome by connector key and a sentence on the transport (or on why there was none).
 */
export const measurePerSend = async (covered, settings) => {
  const networks = {};
  if (!hasOpenssl()) {
    const transportNote =
      'openssl was not found: no certificate could be generated, so the per-send, CPU and RSS measurements were skipped';
    progress(`per send: skipped: ${transportNote}`);
    return { networks, transportNote };
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sms-bench-'));
  const hosts = [...new Set(covered.flatMap((pair) => pair.provider.hosts))];
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
    const { protocols } = await responder.call('counts');
    return { networks, transportNote: describeTransport({ protocols, hosts, port: started.port }) };
  } finally {
    responder?.send({ cmd: 'exit' });
    rmSync(tmp, { recursive: true, force: true });
  }
};

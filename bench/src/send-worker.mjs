// One side of a pair (ours, official, or the bare-fetch floor) in a process of its own, driven by
// the orchestrator over IPC so the sides can be run in turns (interleaved rounds) without sharing a
// heap, a JIT or a connection pool. Started with `--expose-gc --import ./redirect.mjs`.
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

let sendOnce; // () => Promise<unknown>: one send as Logto does it
let createAndSend; // () => Promise<unknown>: createConnector + sendMessage, as on a cold Logto request

const describeError = (error) => {
  if (!(error instanceof Error)) return String(error);
  const code = error.code ? ` [${error.code}]` : '';
  let data = '';
  if (error.data !== undefined) {
    try {
      const json = JSON.stringify(error.data);
      data = error.message.includes(json) ? '' : ` ${json}`;
    } catch {
      data = ' (unserialisable data)';
    }
  }
  return `${error.name}${code}: ${error.message}${data}`.slice(0, 600);
};

const init = async ({ side, modulePath, config, message, request }) => {
  if (side === 'floor') {
    const skipped = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);
    const headers = [];
    for (let index = 0; index < request.rawHeaders.length; index += 2) {
      const name = request.rawHeaders[index];
      if (!skipped.has(name.toLowerCase())) headers.push([name, request.rawHeaders[index + 1]]);
    }
    const body = Buffer.from(request.body, 'base64');
    const init = { method: request.method, headers, ...(body.length > 0 && { body }) };
    sendOnce = async () => {
      const response = await fetch(request.url, init);
      const bytes = await response.arrayBuffer();
      if (!response.ok)
        throw new Error(`HTTP ${response.status}: ${Buffer.from(bytes).toString('utf8').slice(0, 200)}`);
      return bytes;
    };
    createAndSend = sendOnce;
    return {};
  }
  const startedAt = performance.now();
  const { default: createConnector } = await import(pathToFileURL(modulePath).href);
  const getConfig = async () => config;
  const connector = await createConnector({ getConfig });
  const loadMs = performance.now() - startedAt;
  sendOnce = () => connector.sendMessage(message);
  createAndSend = async () => {
    const fresh = await createConnector({ getConfig });
    return fresh.sendMessage(message);
  };
  return { loadMs };
};

const percentile = (sorted, fraction) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];

const run = async ({ concurrency, count }) => {
  const latencies = new Float64Array(count);
  let next = 0;
  let errors = 0;
  let firstError;
  const lane = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const startedAt = performance.now();
      try {
        await sendOnce();
      } catch (error) {
        errors += 1;
        firstError ??= describeError(error);
      }
      latencies[index] = performance.now() - startedAt;
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - startedAt;
  latencies.sort();
  return {
    concurrency,
    count,
    wallMs,
    sendsPerSecond: (count / wallMs) * 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    firstError,
  };
};

/** CPU of this process per createConnector + sendMessage, one at a time; the responder's CPU is elsewhere. */
const cpu = async ({ count }) => {
  globalThis.gc();
  let errors = 0;
  let firstError;
  const before = process.cpuUsage();
  const startedAt = performance.now();
  for (let index = 0; index < count; index += 1) {
    try {
      await createAndSend();
    } catch (error) {
      errors += 1;
      firstError ??= describeError(error);
    }
  }
  const used = process.cpuUsage(before);
  const wallMs = performance.now() - startedAt;
  return {
    count,
    cpuMicrosPerCall: (used.user + used.system) / count,
    userMicrosPerCall: used.user / count,
    systemMicrosPerCall: used.system / count,
    wallMicrosPerCall: (wallMs * 1000) / count,
    errors,
    firstError,
  };
};

const sampleMemory = (sends) => {
  globalThis.gc();
  globalThis.gc();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { sends, rss, heapUsed, external, arrayBuffers };
};

/** RSS and heap after a forced GC, every `every` sends, over `count` sends at `concurrency`, after `warmup` sends. */
const memory = async ({ warmup, count, concurrency, every }) => {
  const warm = await run({ concurrency, count: warmup });
  const samples = [sampleMemory(0)];
  let errors = warm.errors;
  let firstError = warm.firstError;
  for (let done = 0; done < count; done += every) {
    const chunk = await run({ concurrency, count: Math.min(every, count - done) });
    errors += chunk.errors;
    firstError ??= chunk.firstError;
    samples.push(sampleMemory(done + chunk.count));
  }
  return { samples, errors, firstError };
};

const commands = {
  init,
  verify: async () => {
    try {
      const result = await sendOnce();
      return { ok: true, result: typeof result === 'object' ? Object.keys(result ?? {}).slice(0, 8) : typeof result };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  },
  run,
  cpu,
  memory,
  exit: async () => {
    setImmediate(() => process.exit(0));
    return {};
  },
};

process.on('message', async ({ id, cmd, ...args }) => {
  try {
    process.send({ id, ok: true, value: await commands[cmd](args) });
  } catch (error) {
    process.send({ id, ok: false, error: describeError(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });

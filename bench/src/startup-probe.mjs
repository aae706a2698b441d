// A fresh Node process that does what Logto does at start-up for one connector: import lib/index.js
// and call createConnector once. Prints one JSON line; the orchestrator takes the median of runs.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const modulePath = process.argv[2];
const beforeImport = performance.now();
const { default: createConnector } = await import(pathToFileURL(modulePath).href);
const afterImport = performance.now();
const connector = await createConnector({ getConfig: async () => ({}) });
const ready = performance.now();
if (typeof connector?.sendMessage !== 'function') {
  throw new Error('createConnector did not return an SMS connector');
}
process.stdout.write(
  `${JSON.stringify({
    importMs: afterImport - beforeImport,
    createMs: ready - afterImport,
    importAndCreateMs: ready - beforeImport,
    // performance.now() counts from the process's time origin: Node's own bootstrap included.
    processReadyMs: ready,
    rss: process.memoryUsage().rss,
  })}\n`
);

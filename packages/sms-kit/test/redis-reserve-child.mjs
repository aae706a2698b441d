// One Logto instance in miniature, for redis-two-processes.test.ts: loads the bundled Redis store
// (argv[2], the esbuild output), connects to argv[3], prints `ready`, and on the line `go <now>` from
// stdin fires argv[5] reserves at once against the counter argv[4] (limit argv[6]), then prints
// `{"ok":n,"tripped":n,"errors":[...]}` and exits.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [bundle, url, key, attempts, max] = process.argv.slice(2);
const { createRedisStore } = await import(pathToFileURL(bundle).href);
const store = createRedisStore(url);

// Connect before the race, as a running instance would be.
await store.reserve(
  [{ key: `${key}:warm-up:${process.pid}`, windowMs: 60_000, max: 1 }],
  Date.now(),
  Date.now() + 5_000
);
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
const [line] = await once(lines, 'line');
lines.close();
const now = Number(line.split(' ')[1]);

const counter = { key, windowMs: 60_000, max: Number(max) };
const results = await Promise.all(
  Array.from({ length: Number(attempts) }, () =>
    store.reserve([counter], now, Date.now() + 5_000).then(
      (result) => (result.ok ? 'ok' : 'tripped'),
      (error) => `error: ${error.message}`
    )
  )
);
const count = (kind) => results.filter((result) => result === kind).length;
process.stdout.write(
  `${JSON.stringify({ ok: count('ok'), tripped: count('tripped'), errors: results.filter((result) => result.startsWith('error')) })}\n`
);
await store.close();

// Where does a side spend its CPU? `node bench/profile.mjs <provider> [ours|official|floor] [sends] [concurrency] [--module=<ours' bundle>]`
// runs the side against the local responder under `--cpu-prof` and prints the functions with the
// most self time (and the bundle/package they come from). The .cpuprofile is kept for Chrome DevTools.
// `router` as the provider profiles the routing connector with the bench's router config (`*` → Twilio);
// its floor is the bare fetch of the router's request; it has no official side.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { makeCertificate, progress, startResponder, startWorker } from './src/harness.mjs';
import { providers, routedProviderKey, routerConfigFor } from './src/providers.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');
const moduleOverride = process.argv.find((argument) => argument.startsWith('--module='))?.slice('--module='.length);
const [key = 'twilio', side = 'ours', sendsArgument = '5000', concurrencyArgument = '1'] = process.argv
  .slice(2)
  .filter((argument) => !argument.startsWith('--'));
const isRouter = key === 'router';
const provider = isRouter
  ? { ...providers[routedProviderKey], config: routerConfigFor(routedProviderKey) }
  : providers[key];
if (!provider) throw new Error(`unknown provider ${key}: one of ${[...Object.keys(providers), 'router'].join(', ')}`);
if (isRouter && side === 'official') throw new Error('the router has no official counterpart: ours or floor');
/** The responder counts and captures by provider: the router's requests are its routed provider's. */
const responderKey = isRouter ? routedProviderKey : key;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sms-bench-profile-'));
const certificate = makeCertificate(tmp, provider.hosts);
const { responder, port } = await startResponder(certificate);
const transport = { cert: certificate.cert, hosts: provider.hosts, port };

const libOf = (which) =>
  which === 'ours' && moduleOverride
    ? path.resolve(moduleOverride)
    : which === 'ours'
      ? path.join(root, 'packages', `connector-${key}-sms`, 'lib/index.js')
      : path.join(benchDir, 'node_modules', provider.official, 'lib/index.js');

let request;
if (side === 'floor') {
  const capturer = await startWorker('capture', transport);
  await capturer.call('init', {
    side: 'ours',
    modulePath: libOf('ours'),
    config: provider.config,
    message: provider.message,
  });
  const id = responder.nextId();
  const armed = responder.wait(`${id}:armed`);
  const captured = responder.wait(id);
  responder.send({ id, cmd: 'capture', provider: responderKey });
  await armed;
  await capturer.call('verify');
  ({ request } = await captured);
  await capturer.call('exit');
}

const profileDir = path.join(tmp, 'profile');
const worker = await startWorker(`${key}/${side}`, transport, [
  '--cpu-prof',
  `--cpu-prof-dir=${profileDir}`,
  '--cpu-prof-interval=200',
]);
const init = await worker.call('init', {
  side,
  modulePath: side === 'floor' ? undefined : libOf(side),
  config: provider.config,
  message: provider.message,
  request,
});
if (!init.ok) throw new Error(init.error);
await worker.call('run', { concurrency: Number(concurrencyArgument), count: 500 });
const result = await worker.call('run', { concurrency: Number(concurrencyArgument), count: Number(sendsArgument) });
progress(
  `${key}/${side}: ${Math.round(result.value.sendsPerSecond)} sends/s at concurrency ${concurrencyArgument}, errors ${result.value.errors}`
);
await worker.call('exit');
await new Promise((resolve) => worker.child.on('exit', resolve));
responder.send({ cmd: 'exit' });

const file = path.join(
  profileDir,
  readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))
);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const selfSamples = new Map();
for (const sample of profile.samples) selfSamples.set(sample, (selfSamples.get(sample) ?? 0) + 1);
const total = profile.samples.length;
const byFunction = new Map();
const byOrigin = new Map();
const originOf = (url) => {
  if (!url) return '(native/idle)';
  if (url.startsWith('node:'))
    return url.replace(/^node:internal\/deps\/(\w+).*/, 'node:$1 (bundled)').replace(/^(node:[\w/]+).*$/, '$1');
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  return url.startsWith('file:') ? path.relative(root, fileURLToPath(url)) : url;
};
for (const node of profile.nodes) {
  const count = selfSamples.get(node.id) ?? 0;
  if (!count) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const name = `${functionName || '(anonymous)'} ${url ? `${originOf(url)}:${lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  const origin = functionName === '(idle)' ? '(idle)' : originOf(url);
  byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + count);
}
const top = (map, limit) =>
  [...map.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, limit)
    .map(([name, count]) => `${((count / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n');
process.stdout.write(
  `\nself time by origin\n${top(byOrigin, 15)}\n\nself time by function\n${top(byFunction, 30)}\n\nprofile: ${file}\n`
);

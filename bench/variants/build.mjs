// A/B runs of a kit change before anyone edits the kit: builds every connector from its src with one
// kit variant swapped in, into bench/.tmp/<variant>/<folder>.js (gitignored). Then
//   node bench/variants/build.mjs node-https && node bench/run.mjs --ours-lib=bench/.tmp/node-https
// measures that build as "ours" (footprint still from the packages). Not part of `pnpm bench`.
//   fetch       the kit's ky call replaced by a bare fetch with the same options
//   fetch-lazy  fetch + createRedactor built lazily
//   node-https  send() on node:http(s) + createRedactor built lazily (what bench/README.md proposes)
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const kitSource = `${path.join(root, 'packages/sms-kit/src')}${path.sep}`;

const variants = {
  fetch: {},
  'fetch-lazy': { redact: 'redact-lazy.ts' },
  'node-https': { http: 'http-node-https.ts', redact: 'redact-lazy.ts' },
};

const names = process.argv.slice(2);
for (const name of names.length ? names : Object.keys(variants)) {
  const swaps = variants[name];
  if (!swaps) throw new Error(`unknown variant ${name}: one of ${Object.keys(variants).join(', ')}`);
  const swapKitModules = {
    name: 'swap-kit-modules',
    setup(builder) {
      builder.onResolve({ filter: /^\.\/(http|redact)$/ }, ({ path: request, importer }) => {
        const swap = swaps[request.slice(2)];
        return swap && importer.startsWith(kitSource) ? { path: path.join(here, swap) } : undefined;
      });
    },
  };
  for (const folder of readdirSync(path.join(root, 'packages')).filter((entry) => /^connector-.+-sms$/.test(entry))) {
    const entry = path.join(root, 'packages', folder, 'src/index.ts');
    if (!existsSync(entry)) continue;
    // eslint-disable-next-line no-await-in-loop
    await build({
      entryPoints: [entry],
      outfile: path.join(root, 'bench/.tmp', name, `${folder}.js`),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['@logto/connector-kit', 'zod', 'ky'],
      alias: name === 'fetch' || name === 'fetch-lazy' ? { ky: path.join(here, 'ky-as-fetch.mjs') } : {},
      plugins: [swapKitModules],
      tsconfig: path.join(root, 'tsconfig.base.json'),
      logLevel: 'warning',
      legalComments: 'none',
    });
  }
  process.stderr.write(`built bench/.tmp/${name}/\n`);
}

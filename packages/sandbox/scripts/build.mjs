// Bundles the sms-sandbox command into one executable ESM file, lib/sms-sandbox.js; the root build
// runs this script. The shared kit is inlined; @logto/connector-kit and zod stay imports, as in the
// CLI and the connectors, so that the bundle never carries a second copy of Logto's own classes.
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(packageDir, '../..');

export default async function build() {
  const outfile = path.join(packageDir, 'lib/sms-sandbox.js');
  await esbuild({
    entryPoints: [path.join(packageDir, 'src/bin.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: ['@logto/connector-kit', 'zod'],
    tsconfig: path.join(root, 'tsconfig.base.json'),
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
    legalComments: 'none',
  });
  chmodSync(outfile, 0o755);
  return [path.relative(root, outfile)];
}

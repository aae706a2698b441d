// Bundles the CLI into one executable ESM file, lib/sms-connector.js. The shared kit and the sandbox
// are inlined; @logto/connector-kit, zod and ky stay imports so that the CLI and the connectors it
// loads share one ConnectorError and one ZodError class (logtoResponseFor relies on instanceof).
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(packageDir, '../..');

export default async function build() {
  const outfile = path.join(packageDir, 'lib/sms-connector.js');
  await esbuild({
    entryPoints: [path.join(packageDir, 'src/main.ts')],
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

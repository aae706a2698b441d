// Builds every connector into one ESM file, lib/index.js, the only entry Logto's loader imports.
// The shared kit and libphonenumber-js are inlined; @logto/connector-kit, zod and ky stay imports,
// because a bundled connector-kit breaks `instanceof ConnectorError` inside Logto (errors become HTTP 500).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const external = ['@logto/connector-kit', 'zod', 'ky'];

const connectorDirs = readdirSync(path.join(root, 'packages'))
  .filter((name) => name.startsWith('connector-'))
  .map((name) => path.join(root, 'packages', name))
  .filter((dir) => existsSync(path.join(dir, 'src/index.ts')));

const bundle = async (dir) => {
  const outfile = path.join(dir, 'lib/index.js');
  await build({
    entryPoints: [path.join(dir, 'src/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external,
    tsconfig: path.join(root, 'tsconfig.base.json'),
    logLevel: 'warning',
    legalComments: 'none',
  });
  const code = readFileSync(outfile, 'utf8');
  if (!code.includes('from "@logto/connector-kit"')) {
    throw new Error(`${outfile}: @logto/connector-kit must stay an import`);
  }
  if (/class ConnectorError\b/.test(code) || /from "libphonenumber-js/.test(code)) {
    throw new Error(`${outfile}: bundles connector-kit or leaves libphonenumber-js external`);
  }
  return path.relative(root, outfile);
};

const built = await Promise.all(connectorDirs.map(bundle));

// Other packages (the CLI, …) build themselves with a scripts/build.mjs of their own.
for (const name of readdirSync(path.join(root, 'packages'))) {
  const script = path.join(root, 'packages', name, 'scripts/build.mjs');
  if (!name.startsWith('connector-') && existsSync(script)) {
    const { default: buildPackage } = await import(script);
    built.push(...(await buildPackage()));
  }
}

console.log(`built ${built.length} bundles:\n  ${built.join('\n  ')}`);

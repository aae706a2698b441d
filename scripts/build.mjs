// Builds every connector into one ESM file, lib/index.js, the only entry Logto's loader imports.
// The shared kit and libphonenumber-js are inlined; @logto/connector-kit and zod stay imports, resolved
// from Logto's own node_modules: a bundled connector-kit breaks `instanceof ConnectorError` inside
// Logto (errors become HTTP 500), a bundled zod breaks Logto's rendering of config errors. Nothing else
// may be imported: whatever a connector leaves external runs at the version the Logto instance ships
// (ky 1.2.3 in Logto 1.43, whose abort handling lost timeouts), so the kit sends through node:http(s).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const external = ['@logto/connector-kit', 'zod'];

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
  // Static imports start a line in esbuild's output; dynamic ones and require() may sit anywhere.
  const packageImports = [
    ...code.matchAll(/^(?:import|export)\b[^;"]*?(?:\bfrom\s*)?"([^"]+)";/gm),
    ...code.matchAll(/\b(?:import|require)\(\s*"([^"]+)"\s*\)/g),
  ]
    .map(([, specifier]) => specifier)
    .filter((specifier) => !specifier.startsWith('.'))
    .filter((specifier) => !specifier.startsWith('node:'));
  const unexpected = packageImports.filter((specifier) => !external.includes(specifier));
  if (unexpected.length > 0) {
    throw new Error(
      `${outfile}: imports ${[...new Set(unexpected)].join(', ')}; only ${external.join(' and ')} may stay external`
    );
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

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
// Imported with import() only when a connector's config uses it, from the Logto instance's own
// node_modules: `redis` (node-redis 4.6.14 in Logto core 1.43) for send limits shared through Redis.
// A static import would load it for everyone; the check below refuses one.
export const loadedOnDemand = ['redis'];

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
    external: [...external, ...loadedOnDemand],
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
  const isPackage = (specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:');
  const staticImports = [...code.matchAll(/^(?:import|export)\b[^;"]*?(?:\bfrom\s*)?"([^"]+)";/gm)]
    .map(([, specifier]) => specifier)
    .filter(isPackage);
  const dynamicImports = [...code.matchAll(/\b(?:import|require)\(\s*"([^"]+)"\s*\)/g)]
    .map(([, specifier]) => specifier)
    .filter(isPackage);
  const unexpected = [
    ...staticImports.filter((specifier) => !external.includes(specifier)),
    ...dynamicImports.filter((specifier) => !external.includes(specifier) && !loadedOnDemand.includes(specifier)),
  ];
  if (unexpected.length > 0) {
    throw new Error(
      `${outfile}: imports ${[...new Set(unexpected)].join(', ')}; only ${external.join(' and ')} may stay external (and ${loadedOnDemand.join(', ')} through import())`
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

// Bundles a command of this repository (the CLI, the sandbox) into one executable ESM file, or a module
// plain Node scripts import (the catalog, for the bench). The kit and the other workspace code are
// inlined; @logto/connector-kit and zod stay imports, as in the
// connectors, so that a command and the connectors it loads share one ConnectorError and one ZodError
// class (logtoResponseFor relies on instanceof).
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `entry` and `outfile` relative to `packageDir`; returns the bundle's path relative to the repository.
 * `executable: false` for a module other scripts import (the catalog the bench reads).
 */
export const bundleBin = async ({ packageDir, entry, outfile, executable = true }) => {
  const target = path.join(packageDir, outfile);
  await build({
    entryPoints: [path.join(packageDir, entry)],
    outfile: target,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: ['@logto/connector-kit', 'zod'],
    tsconfig: path.join(repositoryRoot, 'tsconfig.base.json'),
    ...(executable && { banner: { js: '#!/usr/bin/env node' } }),
    logLevel: 'warning',
    legalComments: 'none',
  });
  if (executable) {
    chmodSync(target, 0o755);
  }
  return path.relative(repositoryRoot, target);
};

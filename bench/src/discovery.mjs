// Which connectors the run covers: every provider of the catalog with a build and a bench profile,
// paired with its official package as installed in bench/node_modules.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { catalog } from '../../packages/catalog/lib/catalog.js';
import { providers } from './providers.mjs';

/** The official package's entry point as its package.json names it, or undefined when it is not installed. */
const installedOfficial = (benchDir, provider) => {
  const dir = path.join(benchDir, 'node_modules', provider.official);
  const packageFile = path.join(dir, 'package.json');
  if (!existsSync(packageFile)) return undefined;
  const officialPackage = JSON.parse(readFileSync(packageFile, 'utf8'));
  const lib = path.join(dir, officialPackage.main ?? 'lib/index.js');
  return existsSync(lib) ? { dir, lib, version: officialPackage.version } : undefined;
};

/** Ours as built, unless an A/B run supplies `<oursLibDir>/<folder>.js` for this connector. */
const oursLib = (builtLib, oursLibDir, folder) => {
  const variant = oursLibDir && path.join(oursLibDir, `${folder}.js`);
  return variant && existsSync(variant) ? variant : builtLib;
};

/**
 * `covered`: the pairs to measure ({ key, folder, provider, ours: { dir, lib }, official? });
 * `skipped`: the connector folders left out, with the reason (those not in `only` are left out silently).
 */
export const discoverConnectors = ({ root, benchDir, only, oursLibDir }) => {
  const covered = [];
  const skipped = [];
  for (const { name: key } of catalog) {
    const folder = `connector-${key}-sms`;
    const dir = path.join(root, 'packages', folder);
    const lib = path.join(dir, 'lib/index.js');
    if (only && !only.includes(key)) continue;
    if (!existsSync(lib)) {
      skipped.push({ folder, reason: 'no lib/index.js (not built yet)' });
      continue;
    }
    const provider = providers[key];
    if (!provider) {
      skipped.push({ folder, reason: 'no provider profile in bench/src/providers.mjs' });
      continue;
    }
    covered.push({
      key,
      folder,
      provider,
      ours: { dir, lib: oursLib(lib, oursLibDir, folder) },
      official: installedOfficial(benchDir, provider),
    });
  }
  return { covered, skipped };
};

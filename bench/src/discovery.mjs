// Which connectors the run covers: every provider of the catalog with a build and a bench profile,
// paired with its official package as installed in bench/node_modules; and the catalog's routing
// connector, which has no official counterpart and is measured beside our single connectors.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { catalog, routerEntry } from '../../packages/catalog/lib/catalog.js';
import { providers, routedProviderKey, routerConfigFor } from './providers.mjs';

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

/**
 * The routing connector (the catalog's `routerEntry`, `packages/connector-router-sms`), or the reason
 * it is left out. `single` is our single connector of the provider its bench config routes to (`*` →
 * Twilio): the router's start-up runs alternate with it, and its send path is timed against it and
 * against the bare `fetch` of the router's request. Without that connector's build or profile the
 * router keeps its footprint and start-up, and `singleMissing` says why it has no send path.
 * `--only` covers the router when it names `router`; an A/B run takes `<dir>/connector-router-sms.js`.
 */
export const discoverRouter = ({ root, only, oursLibDir }) => {
  const key = routerEntry.name;
  const folder = `connector-${key}-sms`;
  if (only && !only.includes(key)) return {};
  const dir = path.join(root, 'packages', folder);
  const lib = path.join(dir, 'lib/index.js');
  if (!existsSync(lib)) return { skipped: { folder, reason: 'no lib/index.js (not built yet)' } };

  const singleFolder = `connector-${routedProviderKey}-sms`;
  const singleDir = path.join(root, 'packages', singleFolder);
  const singleLib = path.join(singleDir, 'lib/index.js');
  const provider = providers[routedProviderKey];
  const singleMissing = !existsSync(singleLib)
    ? `${singleFolder} has no lib/index.js`
    : !provider
      ? `no ${routedProviderKey} profile in bench/src/providers.mjs`
      : undefined;
  return {
    router: {
      key,
      folder,
      label: routerEntry.title,
      packageName: routerEntry.packageName,
      ours: { dir, lib: oursLib(lib, oursLibDir, folder) },
      single: singleMissing
        ? undefined
        : {
            key: routedProviderKey,
            folder: singleFolder,
            label: provider.label,
            dir: singleDir,
            lib: oursLib(singleLib, oursLibDir, singleFolder),
          },
      singleMissing,
      provider,
      config: provider && routerConfigFor(routedProviderKey),
    },
  };
};

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  ConnectorError,
  ConnectorErrorCodes,
  ConnectorType,
  type ConnectorMetadata,
  type SendMessageFunction,
} from '@logto/connector-kit';
import {
  isProviderName,
  officialConnectorIds,
  providerNames,
  routerEntry,
  type ProviderName,
} from '@sms-suite/catalog';
import type { ZodTypeAny } from 'zod';

import { CliError, UsageError } from './errors';
import { didYouMean } from './suggest';

/** The repository root: this file is packages/cli/src/connectors.ts, bundled into packages/cli/lib/. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const packagesDir = path.join(repoRoot, 'packages');
export const buildCommand = 'npx --yes pnpm@10 build';

/** The routing connector's short name: `-c router`, packages/connector-router-sms. */
export type RouterName = typeof routerEntry.name;
export const routerName: RouterName = routerEntry.name;

/** The suite's connectors, by their catalog short names: one per provider, then the router. */
export type ConnectorName = ProviderName | RouterName;
export const connectorNames: readonly ConnectorName[] = [...providerNames, routerName];
export const isConnectorName = (value: string): value is ConnectorName => isProviderName(value) || value === routerName;

export const connectorDirOf = (name: ConnectorName) => path.join(packagesDir, `connector-${name}-sms`);

/** `twilio`, `twilio-sms`, `connector-twilio-sms`, `@sms-suite/connector-twilio-sms` → `twilio`. */
const shortNameOf = (spec: string): string =>
  spec
    .trim()
    .toLowerCase()
    .replace(/^@sms-suite\//, '')
    .replace(/^connector-/, '')
    .replace(/-sms$/, '');

const looksLikePath = (spec: string) =>
  spec.includes('/') || spec.includes('\\') || spec.startsWith('.') || spec.startsWith('~');

export type ConnectorRef = { dir: string; name?: ConnectorName; label: string };

/** A connector named on the command line: a short name, a package name, or a package directory. */
export const resolveConnector = (spec: string): ConnectorRef => {
  const short = shortNameOf(spec);
  if (!looksLikePath(spec) && isConnectorName(short)) {
    const dir = connectorDirOf(short);
    if (!existsSync(path.join(dir, 'package.json'))) {
      throw new CliError(
        `the ${short} connector is not in this checkout (no packages/connector-${short}-sms/package.json)`,
        1,
        'update the checkout, or pass the path of a connector package directory'
      );
    }
    return { dir, name: short, label: short };
  }
  const dir = path.resolve(spec);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    if (!existsSync(path.join(dir, 'package.json'))) {
      throw new CliError(`${spec} is not a connector package directory (no package.json in it)`);
    }
    const inRepo = readdirSync(packagesDir).find((entry) => path.join(packagesDir, entry) === dir);
    const name = inRepo ? shortNameOf(inRepo) : undefined;
    return { dir, ...(name && isConnectorName(name) && { name }), label: name && isConnectorName(name) ? name : spec };
  }
  if (looksLikePath(spec)) {
    throw new CliError(`connector directory not found: ${spec}`);
  }
  throw new UsageError(
    `unknown connector "${spec}"${didYouMean(short, connectorNames)}: use one of ${connectorNames.join(', ')}, or the path of a connector package directory`
  );
};

export type RepoConnector = { name: ConnectorName; dir: string; built: boolean };

/** The suite's connectors present in this checkout (packages/connector-<name>-sms), in catalog order. */
export const repoConnectors = (): RepoConnector[] =>
  connectorNames
    .map((name) => ({ name, dir: connectorDirOf(name) }))
    .filter(({ dir }) => existsSync(path.join(dir, 'package.json')))
    .map((entry) => ({ ...entry, built: existsSync(path.join(entry.dir, 'lib/index.js')) }));

export type PackageJson = { name?: string; version?: string; dependencies?: Record<string, string> };

export const readPackageJson = (dir: string): PackageJson => {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch (error: unknown) {
    throw new CliError(`cannot read ${path.join(dir, 'package.json')}: ${(error as Error).message}`);
  }
};

export type LoadedConnector = {
  ref: ConnectorRef;
  dir: string;
  entry: string;
  packageName: string;
  version: string;
  kitRange?: string;
  metadata: ConnectorMetadata;
  configGuard: ZodTypeAny;
  sendMessage: SendMessageFunction;
  /** The bundle carries its own ConnectorError class: inside Logto every error it throws becomes HTTP 500. */
  bundlesKit: boolean;
  /** Source files newer than lib/index.js: the bundle may not be what the user is editing. */
  stale: boolean;
  /**
   * The connector as Logto builds it for end users' sends: createConnector with a getConfig that
   * returns the saved config, so `sendMessage(data)` takes no second argument (not the console test).
   */
  withSavedConfig: (config: unknown) => Promise<SendMessageFunction>;
};

/** What Logto passes as getConfig when the console tests a connector: calling it throws not_implemented. */
export const notImplemented = () => {
  throw new ConnectorError(ConnectorErrorCodes.NotImplemented);
};

const newestSourceTime = (dir: string): number => {
  const source = path.join(dir, 'src');
  if (!existsSync(source)) {
    return 0;
  }
  let newest = 0;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && entry.name !== 'fixtures') {
        walk(full);
      } else if (entry.isFile() && /\.ts$/.test(entry.name) && !/test/i.test(entry.name)) {
        newest = Math.max(newest, statSync(full).mtimeMs);
      }
    }
  };
  walk(source);
  return newest;
};

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/**
 * Loads a connector the way Logto does: `import(<dir>/lib/index.js)` (main and exports are ignored),
 * the default export called with a getConfig that throws, and the module checked like Logto's
 * validateConnectorModule.
 */
export const loadConnector = async (ref: ConnectorRef): Promise<LoadedConnector> => {
  const { dir } = ref;
  const packageJson = readPackageJson(dir);
  const entry = path.join(dir, 'lib/index.js');
  const shown = path.relative(process.cwd(), entry) || entry;
  if (!existsSync(entry)) {
    throw new CliError(`${shown} not found: the connector is not built`, 1, `run the build first: ${buildCommand}`);
  }

  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  } catch (error: unknown) {
    throw new CliError(`cannot load ${shown}: ${reasonOf(error)}`, 1, 'Logto would skip this connector at startup');
  }
  // ESM `export default`, or CJS `exports.default` (Logto accepts both).
  const createConnector =
    typeof module.default === 'function'
      ? module.default
      : (module.default as { default?: unknown } | undefined)?.default;
  if (typeof createConnector !== 'function') {
    throw new CliError(`${shown} has no default export function (createConnector): Logto cannot load it`);
  }

  let connector: { type?: unknown; metadata?: ConnectorMetadata; configGuard?: ZodTypeAny; sendMessage?: unknown };
  try {
    connector = (await createConnector({ getConfig: notImplemented })) as typeof connector;
  } catch (error: unknown) {
    throw new CliError(
      `createConnector of ${packageJson.name ?? shown} failed: ${reasonOf(error)}`,
      1,
      'createConnector must not call getConfig or do any I/O'
    );
  }
  if (!connector?.metadata) {
    throw new CliError(`${packageJson.name ?? shown} returned no metadata (Logto: invalid_metadata)`);
  }
  if (!connector.configGuard || typeof connector.configGuard.safeParse !== 'function') {
    throw new CliError(`${packageJson.name ?? shown} returned no configGuard (Logto: invalid_config_guard)`);
  }
  if (connector.type !== ConnectorType.Sms) {
    throw new CliError(`${packageJson.name ?? shown} is a ${String(connector.type)} connector, not an SMS connector`);
  }
  if (typeof connector.sendMessage !== 'function') {
    throw new CliError(`${packageJson.name ?? shown} has no sendMessage function`);
  }

  const code = readFileSync(entry, 'utf8');
  return {
    ref,
    dir,
    entry,
    packageName: packageJson.name ?? path.basename(dir),
    version: packageJson.version ?? '0.0.0',
    kitRange: packageJson.dependencies?.['@logto/connector-kit'],
    metadata: connector.metadata,
    configGuard: connector.configGuard,
    sendMessage: connector.sendMessage as SendMessageFunction,
    bundlesKit: /class ConnectorError\b/.test(code),
    stale: newestSourceTime(dir) > statSync(entry).mtimeMs,
    withSavedConfig: async (config) => {
      const created = (await createConnector({ getConfig: async () => config })) as { sendMessage: unknown };
      return created.sendMessage as SendMessageFunction;
    },
  };
};

/**
 * The suite's router, wherever it was loaded from (`-c router`, its directory, an installed copy):
 * its config nests provider configs under `providers.<name>.config`.
 */
export const isRouterConnector = (connector: Pick<LoadedConnector, 'metadata'>): boolean =>
  connector.metadata.id === routerEntry.metadata.id;

/** `Twilio SMS (SMS Suite) · sms-suite-twilio · @sms-suite/connector-twilio-sms 0.1.0` */
export const describeConnector = (connector: LoadedConnector): string =>
  `${connector.metadata.name.en ?? connector.metadata.id} · id ${connector.metadata.id} · ${connector.packageName} ${connector.version}`;

/** Warnings worth printing before using a loaded connector. */
export const loadWarnings = (connector: LoadedConnector): string[] => [
  ...(connector.stale
    ? [
        `${path.relative(process.cwd(), connector.entry)} is older than the connector's src/: run ${buildCommand} to test your latest changes`,
      ]
    : []),
  ...(connector.bundlesKit
    ? [
        'this bundle contains its own copy of @logto/connector-kit: inside Logto every error it throws becomes HTTP 500 "Internal server error." (keep the kit external)',
      ]
    : []),
  ...(officialConnectorIds.has(connector.metadata.id)
    ? [`metadata id "${connector.metadata.id}" is an official Logto id: Logto refuses two connectors with one id`]
    : []),
];

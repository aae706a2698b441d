import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { repoRoot } from '../connectors';
import { CliError, exitCodes } from '../errors';

export const readJsonFile = (file: string): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const stringField = (json: Record<string, unknown> | undefined, key: string): string | undefined =>
  typeof json?.[key] === 'string' ? json[key] : undefined;

export const enginesNodeOf = (json: Record<string, unknown> | undefined): string | undefined => {
  const engines = json?.engines;
  return engines && typeof engines === 'object' ? stringField(engines as Record<string, unknown>, 'node') : undefined;
};

/** The folder of the first `node_modules/<name>` a file in `fromDir` resolves, walking up as Node does. */
export const resolvePackageDir = (fromDir: string, name: string): string | undefined => {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      return realpathSync(candidate);
    }
    if (dir === path.dirname(dir)) {
      return undefined;
    }
  }
};

export type LogtoInstance = {
  root: string;
  coreDir: string;
  connectorsDir: string;
  /** @logto/core's version: the Logto release. */
  version?: string;
  /** What Logto declares it runs on (packages/core's engines.node, else the root's). */
  enginesNode?: string;
};

/** The instance `--logto` names: the checks `logto connector add -p` makes. */
export const readLogtoInstance = (logtoPath: string): LogtoInstance => {
  const root = path.resolve(logtoPath);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new CliError(`Logto instance not found: ${logtoPath} is not a directory`);
  }
  const coreDir = path.join(root, 'packages/core');
  const core = readJsonFile(path.join(coreDir, 'package.json'));
  if (core?.name !== '@logto/core') {
    throw new CliError(
      `${logtoPath} is not a Logto instance (no packages/core/package.json named "@logto/core")`,
      exitCodes.failure,
      'pass the root directory of your Logto installation, the one holding packages/core (/etc/logto in the Docker image)'
    );
  }
  const enginesNode = enginesNodeOf(core) ?? enginesNodeOf(readJsonFile(path.join(root, 'package.json')));
  return {
    root,
    coreDir,
    connectorsDir: path.join(coreDir, 'connectors'),
    ...(stringField(core, 'version') && { version: stringField(core, 'version') }),
    ...(enginesNode && { enginesNode }),
  };
};

export type LoaderSource = {
  /** Its real folder (links resolved). */
  dir: string;
  /** Where it was found (packages/core/node_modules/@logto/cli is a link in a pnpm install). */
  foundAt: string;
  version: string;
  /** `instance`: the @logto/cli Logto itself imports; `bundled`: the one this repository ships. */
  origin: 'instance' | 'bundled';
  /** The @logto/connector-kit version the loader's version check compares with. */
  kitVersion?: string;
};

const cliAt = (dir: string, origin: LoaderSource['origin']): LoaderSource | undefined => {
  const json = readJsonFile(path.join(dir, 'package.json'));
  if (json?.name !== '@logto/cli' || !existsSync(path.join(dir, 'lib/connector/index.js'))) {
    return undefined;
  }
  const real = realpathSync(dir);
  const kitDir = resolvePackageDir(path.join(real, 'lib/connector'), '@logto/connector-kit');
  const kitVersion = kitDir ? stringField(readJsonFile(path.join(kitDir, 'package.json')), 'version') : undefined;
  return {
    dir: real,
    foundAt: dir,
    version: stringField(json, 'version') ?? '?',
    origin,
    ...(kitVersion && { kitVersion }),
  };
};

/** Where a Logto instance keeps the @logto/cli core imports its loader from, in the order `doctor` looks. */
export const instanceCliCandidates = (instance: LogtoInstance): string[] => [
  // What packages/core resolves (a pnpm link to packages/cli in a checkout and in the Docker image).
  path.join(instance.coreDir, 'node_modules/@logto/cli'),
  path.join(instance.root, 'packages/cli'),
  path.join(instance.root, 'node_modules/@logto/cli'),
];

/** The instance's own @logto/cli when it has one (with a built lib/), else the one this repository ships. */
export const findLoader = (instance: LogtoInstance): LoaderSource => {
  for (const candidate of instanceCliCandidates(instance)) {
    const found = cliAt(candidate, 'instance');
    if (found) {
      return found;
    }
  }
  const bundled = path.dirname(createRequire(path.join(repoRoot, 'package.json')).resolve('@logto/cli/package.json'));
  const found = cliAt(bundled, 'bundled');
  if (!found) {
    throw new CliError(`cannot find @logto/cli in ${bundled}`, exitCodes.failure, 'run "npx --yes pnpm@10 install"');
  }
  return found;
};

/** The @logto/connector-kit core resolves: the one the instance's connectors import. */
export const instanceKit = (instance: LogtoInstance): { dir: string; version?: string } | undefined => {
  const dir = resolvePackageDir(instance.coreDir, '@logto/connector-kit');
  return dir ? { dir, version: stringField(readJsonFile(path.join(dir, 'package.json')), 'version') } : undefined;
};

export type ConnectorPackage = { name: string; path: string };
export type ConnectorFactory = {
  metadata: { id: string; name?: Record<string, string> };
  type: string;
  path: string;
};

export type LogtoLoader = {
  getConnectorPackagesFromDirectory: (directory: string) => Promise<ConnectorPackage[]>;
  loadConnectorFactories: (packages: ConnectorPackage[], ignoreVersionMismatch: boolean) => Promise<ConnectorFactory[]>;
  /** semver's satisfies, the loader's own (what its version check calls). */
  satisfies: (version: string, range: string) => boolean;
};

/** Logto's discovery and loader, imported from `source` (its lib/utils.js and lib/connector/index.js). */
export const importLoader = async (source: LoaderSource): Promise<LogtoLoader> => {
  const utils = (await import(pathToFileURL(path.join(source.dir, 'lib/utils.js')).href)) as Pick<
    LogtoLoader,
    'getConnectorPackagesFromDirectory'
  >;
  const connector = (await import(pathToFileURL(path.join(source.dir, 'lib/connector/index.js')).href)) as Pick<
    LogtoLoader,
    'loadConnectorFactories'
  >;
  const semver = createRequire(path.join(source.dir, 'lib/connector/loader.js'))('semver') as {
    satisfies: (version: string, range: string) => boolean;
  };
  return {
    getConnectorPackagesFromDirectory: utils.getConnectorPackagesFromDirectory,
    loadConnectorFactories: connector.loadConnectorFactories,
    satisfies: (version, range) => semver.satisfies(version, range),
  };
};

/** `KEY=value` lines of a .env file, as dotenv reads them (quotes, `export`, comments). */
export const parseDotEnv = (text: string): Record<string, string> => {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([\w.-]+)\s*[=:]\s*(.*)?\s*$/.exec(line);
    if (!match) {
      continue;
    }
    let value = (match[2] ?? '').trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') {
        value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
      }
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    values[match[1]!] = value;
  }
  return values;
};

/**
 * The .env Logto reads: core calls `dotenv.config({ path: await findUp('.env') })` from its working
 * directory, packages/core (`npm start` runs there), so the first .env from packages/core up to the
 * instance's root. Variables already in the environment win over it, as with dotenv.
 */
export const findDotEnv = (instance: LogtoInstance): string | undefined => {
  for (let dir = instance.coreDir; ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.env');
    if (existsSync(file) && statSync(file).isFile()) {
      return file;
    }
    if (dir === instance.root || dir === path.dirname(dir)) {
      return undefined;
    }
  }
};

export type EnvironmentValue = { value: string; from: string };

/** A variable as Logto sees it: this process's environment first, then the instance's .env. */
export const logtoEnvironment = (instance: LogtoInstance) => {
  const dotEnvFile = findDotEnv(instance);
  let dotEnv: Record<string, string> = {};
  if (dotEnvFile) {
    try {
      dotEnv = parseDotEnv(readFileSync(dotEnvFile, 'utf8'));
    } catch {
      // Unreadable: as if absent (dotenv ignores it too).
    }
  }
  return (name: string): EnvironmentValue | undefined => {
    const fromEnvironment = process.env[name];
    if (fromEnvironment !== undefined && fromEnvironment !== '') {
      return { value: fromEnvironment, from: 'the environment' };
    }
    const fromFile = dotEnv[name];
    return fromFile !== undefined && fromFile !== '' && dotEnvFile
      ? { value: fromFile, from: path.relative(instance.root, dotEnvFile) || dotEnvFile }
      : undefined;
  };
};

/** `yes()` of @silverhand/essentials, which Logto's EnvSet uses for its boolean variables. */
export const isYes = (value: string | undefined): boolean =>
  Boolean(value) && ['1', 'true', 'y', 'yes', 'yep', 'yeah'].includes(value!.toLowerCase());

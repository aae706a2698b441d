import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadConnectorFactories } from '@logto/cli/lib/connector/index.js';
import { getConnectorPackagesFromDirectory } from '@logto/cli/lib/utils.js';
import { catalog } from '@sms-suite/catalog';
import { promisify } from 'node:util';

/**
 * A fake Logto instance is a directory laid out like Logto (`packages/core/connectors/<package>`),
 * outside the repository, whose `packages/core/node_modules` holds Logto core's runtime packages at
 * the versions core resolves: the installed connectors' bare imports resolve there, as in Logto, and
 * never walk up to this repository's own pins.
 */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type ConnectorPackage = {
  /** `twilio` for packages/connector-twilio-sms: the name the sandbox and the CLI use. */
  name: string;
  directory: string;
  packageName: string;
};

/** Every connector of the catalog: a new catalog row is covered with no change here. */
export const connectorPackages = (): ConnectorPackage[] =>
  catalog.map(({ name, packageName }) => ({
    name,
    directory: path.join(repositoryRoot, 'packages', `connector-${name}-sms`),
    packageName,
  }));

const run = promisify(execFile);

/**
 * The packages a connector may import at run time, at the versions Logto core 1.43 resolves them
 * (logto-contract.md §1). A connector runs against these in Logto, whatever this repository pins.
 */
export const logtoCoreRuntime = {
  '@logto/connector-kit': '5.1.1',
  zod: '3.24.3',
  ky: '1.2.3',
  // Imported on demand by a connector whose send limits use Redis.
  redis: '4.6.14',
} as const;
export type LogtoRuntimePackage = keyof typeof logtoCoreRuntime;

/** The folder of the package that owns a resolved file: the nearest folder above it with a named package.json. */
export const packageDirectoryOf = (file: string): string => {
  for (let directory = path.dirname(file); directory !== path.dirname(directory); directory = path.dirname(directory)) {
    const manifest = path.join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      typeof (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'string'
    ) {
      return directory;
    }
  }
  throw new Error(`no package owns ${file}`);
};

export const packageVersionOf = (directory: string): string =>
  (JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The real folders core's node_modules links to: the connector-kit the @logto/cli loader imports (so
 * `instanceof ConnectorError` in a test means what it means in Logto), the zod that kit imports, and
 * the ky and redis pinned here to core's versions.
 */
export const logtoRuntimeSources = (): Record<LogtoRuntimePackage, string> => {
  const fromCompat = createRequire(path.join(repositoryRoot, 'packages/compat/package.json'));
  const loaderKit = createRequire(fromCompat.resolve('@logto/cli/package.json')).resolve('@logto/connector-kit');
  return {
    '@logto/connector-kit': realpathSync(packageDirectoryOf(loaderKit)),
    zod: realpathSync(packageDirectoryOf(createRequire(loaderKit).resolve('zod'))),
    ky: realpathSync(packageDirectoryOf(fromCompat.resolve('ky'))),
    redis: realpathSync(packageDirectoryOf(fromCompat.resolve('redis'))),
  };
};

const linkLogtoRuntime = (core: string) => {
  for (const [name, source] of Object.entries(logtoRuntimeSources())) {
    const link = path.join(core, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(source, link, 'dir');
  }
};

/**
 * A new folder for a fake Logto instance, one per test file (jest runs files in parallel). It lies
 * outside the repository: a bare import the instance's core cannot satisfy must fail, not quietly
 * find the repository's node_modules.
 */
export const createFakeLogto = (): string => {
  const instance = mkdtempSync(path.join(tmpdir(), 'sms-suite-fake-logto-'));
  if (!path.relative(repositoryRoot, realpathSync(instance)).startsWith('..')) {
    throw new Error(
      `${instance} is inside the repository (TMPDIR=${tmpdir()}): its connectors would resolve the repository's packages`
    );
  }
  return instance;
};

export const removeFakeLogto = (instance: string | undefined) => {
  if (instance) {
    rmSync(instance, { recursive: true, force: true });
  }
};

/** `@sms-suite/connector-twilio-sms` → `@sms-suite-connector-twilio-sms`, the folder `logto connector add` extracts into. */
export const installedDirectoryName = (packageName: string) => packageName.replace('/', '-');

/**
 * Installs the connectors the way an admin does: `pnpm pack` in each package, the tarball renamed to
 * start with `connector-` (what `logto connector add` requires of local files), then the published
 * `logto connector add <absolute paths> -p <instance>`, which extracts each into
 * `packages/core/connectors/<package name with / → ->` without installing any dependency. The
 * instance's `packages/core/node_modules` gets Logto core's runtime packages first.
 */
export const installPacked = async (instance: string, packages: ConnectorPackage[]): Promise<string> => {
  rmSync(instance, { recursive: true, force: true });
  const core = path.join(instance, 'packages/core');
  const tarballs = path.join(instance, 'tarballs');
  mkdirSync(core, { recursive: true });
  mkdirSync(tarballs, { recursive: true });
  writeFileSync(path.join(core, 'package.json'), JSON.stringify({ name: '@logto/core' }));
  linkLogtoRuntime(core);

  const packed = await Promise.all(
    packages.map(async ({ directory, packageName }) => {
      if (!existsSync(path.join(directory, 'lib/index.js'))) {
        throw new Error(`${directory}/lib/index.js is missing: run the build first (npx --yes pnpm@10 build)`);
      }
      const destination = path.join(tarballs, installedDirectoryName(packageName));
      mkdirSync(destination);
      await run('npx', ['--yes', 'pnpm@10', 'pack', '--pack-destination', destination], { cwd: directory });
      const [file] = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
      if (!file) {
        throw new Error(`pnpm pack produced no tarball for ${packageName}`);
      }
      const renamed = path.join(tarballs, `connector-${file}`);
      renameSync(path.join(destination, file), renamed);
      return renamed;
    })
  );

  const logto = createRequire(path.join(repositoryRoot, 'package.json')).resolve('@logto/cli/bin/logto.js');
  await run(process.execPath, [logto, 'connector', 'add', ...packed, '-p', instance], { cwd: instance });
  return path.join(core, 'connectors');
};

/** The loader and the test must share one @logto/connector-kit, or `instanceof ConnectorError` proves nothing. */
export const connectorKitCopies = (): string[] => {
  const fromRoot = createRequire(path.join(repositoryRoot, 'package.json'));
  const fromCli = createRequire(fromRoot.resolve('@logto/cli/package.json'));
  return [...new Set([fromRoot.resolve('@logto/connector-kit'), fromCli.resolve('@logto/connector-kit')])];
};

type LoadedFactories = Awaited<ReturnType<typeof loadConnectorFactories>>;

/**
 * What a Logto instance does at start-up with `connectorsDirectory`: discovery, then the loader with
 * its version check on. The loader's own output is kept quiet; its `skip` lines are returned, so a
 * test can say why a connector did not load.
 */
export const loadLikeLogto = async (
  connectorsDirectory: string
): Promise<{ factories: LoadedFactories; skipped: string[] }> => {
  const discovered = await getConnectorPackagesFromDirectory(connectorsDirectory);
  const skipped: string[] = [];
  const originalError = console.error;
  const originalLog = console.log;
  const capture = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.includes('skip')) {
      skipped.push(line);
    }
  };
  console.error = capture;
  console.log = capture;
  try {
    // false: the loader's version check is on, as in a Logto instance.
    return { factories: await loadConnectorFactories(discovered, false), skipped };
  } finally {
    console.error = originalError;
    console.log = originalLog;
  }
};

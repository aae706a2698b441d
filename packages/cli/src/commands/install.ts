import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { catalogEntry, isProviderName } from '@sms-suite/catalog';

import { parseCommandArgs, requiredOption } from '../args';
import {
  buildCommand,
  loadConnector,
  isRouterConnector,
  loadWarnings,
  notImplemented,
  repoConnectors,
  resolveConnector,
  type LoadedConnector,
} from '../connectors';
import { CliError, exitCodes } from '../errors';
import { formatTable, type Output } from '../output';
import { satisfies } from '../semver';
import { readTar, stripFirstComponent } from '../tar';
import type { Command } from './command';

const help = `Usage: sms-connector install --logto <path-to-logto> [connectors...]

Packs connectors of this repository (all of them when none is named) and installs them into
<path-to-logto>/packages/core/connectors the way "logto connector add" does: the packed tarball is
extracted into a directory named after the package ("/" replaced by "-"), replacing an older copy,
without node_modules (bare imports resolve to Logto's own @logto/connector-kit and zod).

Arguments:
  connectors               twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage, router, or
                           the directory of a connector package; all built connectors when omitted

Options:
      --logto <path>       the root of a Logto instance (its packages/core/package.json must be
                           named "@logto/core")
      --verbose            stack traces of unexpected errors
  -h, --help               this help

Warns about an official connector for the same provider, any installed package with the same
metadata id, and a Logto whose @logto/connector-kit the connector does not accept. Restart Logto
afterwards: it loads connectors once, at startup.

Logto enables one SMS connector at a time. "router" (SMS router) is that one connector for several
providers: it routes each number by country and fails over, with every provider of the suite bundled
in it, so its providers' own connectors need not be installed next to it.

Examples:
  sms-connector install --logto ~/logto
  sms-connector install --logto /srv/logto twilio aliyun`;

const execFileAsync = promisify(execFile);

const readJson = (file: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

/** The checks `logto connector add -p` makes before touching anything. */
const logtoConnectorsDir = (logtoPath: string): string => {
  const root = path.resolve(logtoPath);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new CliError(`Logto instance not found: ${logtoPath} is not a directory`);
  }
  const corePackage = readJson(path.join(root, 'packages/core/package.json'));
  if (corePackage?.name !== '@logto/core') {
    throw new CliError(
      `refusing to install into ${logtoPath}: it is not a Logto instance (no packages/core/package.json named "@logto/core")`,
      exitCodes.failure,
      'pass the root directory of your Logto installation, the one holding packages/core'
    );
  }
  return path.join(root, 'packages/core/connectors');
};

/** Logto's loader skips packages whose name is not `connector-…` or `@scope/connector-…`. */
const discoverable = (name: string) => /^(@[^/]+\/)?connector-/.test(name);
export const installDirName = (packageName: string) => packageName.replace(/\//g, '-');

const packAll = async (connectors: LoadedConnector[], destination: string): Promise<Map<string, string>> => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(
      npm,
      ['pack', ...connectors.map(({ dir }) => dir), '--pack-destination', destination, '--json'],
      {
        cwd: destination,
        shell: process.platform === 'win32',
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          npm_config_update_notifier: 'false',
          npm_config_fund: 'false',
          npm_config_loglevel: 'error',
        },
      }
    ));
  } catch (error: unknown) {
    const { code, stderr } = error as { code?: unknown; stderr?: string };
    if (code === 'ENOENT') {
      throw new CliError('npm is not on the PATH: it is needed to pack the connectors');
    }
    const reason =
      (stderr ?? '').split('\n').find((line) => /error/i.test(line)) ?? String((error as Error).message).split('\n')[0];
    throw new CliError(`npm pack failed: ${reason}`);
  }
  const packed = JSON.parse(stdout) as Array<{ name: string; filename: string }>;
  return new Map(packed.map(({ name, filename }) => [name, path.join(destination, filename)]));
};

/** Extracts like `logto connector add`: strip the top directory, replace an existing copy. */
const extract = (tarball: string, target: string): void => {
  const entries = readTar(readFileSync(tarball)).map((entry) => ({
    ...entry,
    relative: stripFirstComponent(entry.path),
  }));
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const entry of entries) {
    if (!entry.relative) {
      continue;
    }
    const destination = path.join(target, entry.relative);
    if (entry.type === 'directory') {
      mkdirSync(destination, { recursive: true });
    } else {
      mkdirSync(path.dirname(destination), { recursive: true });
      writeFileSync(destination, entry.data, { mode: (entry.mode & 0o777) | 0o600 });
    }
  }
};

type Installed = { dirName: string; dir: string; packageName?: string };

/** Every package Logto would discover in the connectors directory (symlinks followed). */
const installedPackages = (connectorsDir: string): Installed[] =>
  readdirSync(connectorsDir)
    .map((dirName) => ({ dirName, dir: path.join(connectorsDir, dirName) }))
    .filter(({ dir }) => {
      try {
        return statSync(dir).isDirectory() && existsSync(path.join(dir, 'package.json'));
      } catch {
        return false;
      }
    })
    .map((entry) => {
      const name = readJson(path.join(entry.dir, 'package.json'))?.name;
      return { ...entry, ...(typeof name === 'string' && { packageName: name }) };
    });

/** The metadata id of an installed package, if its bundle mentions `id` at all and loads. */
const installedIdMatches = async (installed: Installed, id: string): Promise<'same' | 'maybe' | 'no'> => {
  const entry = path.join(installed.dir, 'lib/index.js');
  if (!existsSync(entry) || !readFileSync(entry, 'utf8').includes(id)) {
    return 'no';
  }
  try {
    const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
    const create = (
      typeof module.default === 'function' ? module.default : (module.default as { default?: unknown })?.default
    ) as ((options: { getConfig: () => never }) => Promise<{ metadata?: { id?: string } }>) | undefined;
    const connector = await create?.({ getConfig: notImplemented });
    return connector?.metadata?.id === id ? 'same' : 'no';
  } catch {
    return 'maybe';
  }
};

const hostKitVersion = (logtoRoot: string): string | undefined => {
  const version = readJson(
    path.join(logtoRoot, 'packages/core/node_modules/@logto/connector-kit/package.json')
  )?.version;
  return typeof version === 'string' ? version : undefined;
};

const run = async (argv: string[], out: Output): Promise<number> => {
  const args = parseCommandArgs('install', argv, { logto: { type: 'string' } }, { positionals: true });
  if (args.values.help) {
    out.print(help);
    return exitCodes.ok;
  }
  const logtoPath = requiredOption(args, 'install', 'logto', '~/logto');
  const connectorsDir = logtoConnectorsDir(logtoPath);
  const logtoRoot = path.resolve(logtoPath);
  const { style } = out;

  const refs =
    args.positionals.length > 0
      ? args.positionals.map((spec) => resolveConnector(spec))
      : repoConnectors().map(({ name, dir }) => ({ dir, name, label: name }));
  if (refs.length === 0) {
    throw new CliError('no connector in this checkout to install', exitCodes.failure, `run ${buildCommand} first`);
  }
  // Everything is checked before anything is written: a missing build stops the whole install.
  const connectors: LoadedConnector[] = [];
  for (const ref of refs) {
    const connector = await loadConnector(ref);
    loadWarnings(connector).forEach((warning) => out.warn(`${connector.packageName}: ${warning}`));
    if (!discoverable(connector.packageName)) {
      throw new CliError(
        `${connector.packageName}: Logto only loads packages named connector-… or @scope/connector-…, so it would skip this one`
      );
    }
    if (!connectors.some(({ packageName }) => packageName === connector.packageName)) {
      connectors.push(connector);
    }
  }

  const kitVersion = hostKitVersion(logtoRoot);
  for (const connector of connectors) {
    if (kitVersion && connector.kitRange && satisfies(kitVersion, connector.kitRange) === false) {
      out.warn(
        `${connector.packageName} requires @logto/connector-kit ${connector.kitRange}, but this Logto has ${kitVersion}: Logto skips it at startup (upgrade Logto, or start it with IGNORE_CONNECTOR_VERSION_CHECK=1)`
      );
    }
  }

  mkdirSync(connectorsDir, { recursive: true });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'sms-connector-install-'));
  const rows: string[][] = [];
  try {
    out.print(`Packing ${connectors.length} connector${connectors.length === 1 ? '' : 's'} with npm pack…`);
    const tarballs = await packAll(connectors, scratch);
    for (const connector of connectors) {
      const tarball = tarballs.get(connector.packageName);
      if (!tarball) {
        throw new CliError(`npm pack produced no tarball for ${connector.packageName}`);
      }
      const dirName = installDirName(connector.packageName);
      const target = path.join(connectorsDir, dirName);
      const replaced = existsSync(target);
      extract(tarball, target);
      rows.push([
        style.green('✔'),
        `${connector.packageName} ${connector.version}`,
        `id ${connector.metadata.id}`,
        `→ ${path.join('packages/core/connectors', dirName)}${replaced ? ' (replaced)' : ''}`,
      ]);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  formatTable(rows).forEach((line) => out.print(line));

  const installed = installedPackages(connectorsDir);
  for (const connector of connectors) {
    const row = connector.ref.name && isProviderName(connector.ref.name) ? catalogEntry(connector.ref.name) : undefined;
    for (const { packageName, id } of row?.official ?? []) {
      const present = installed.find((entry) => entry.packageName === packageName);
      if (present) {
        out.print(
          `  ${style.yellow('⚠')} the official ${row?.title ?? ''} connector (${packageName}, id ${id}) is installed too, in ${present.dirName}: both appear in the console; a tenant has one SMS connector at a time, so pick "${connector.metadata.name.en ?? connector.metadata.id}" when you set it up`
        );
      }
    }
    for (const other of installed.filter(({ dirName }) => dirName !== installDirName(connector.packageName))) {
      const match = await installedIdMatches(other, connector.metadata.id);
      if (match !== 'no') {
        out.print(
          `  ${style.red('⚠')} ${other.dirName}${other.packageName ? ` (${other.packageName})` : ''} ${match === 'same' ? 'has' : 'may have'} the same metadata id "${connector.metadata.id}" as ${connector.packageName}: Logto refuses duplicate ids (connector.more_than_one_connector_factory) — remove one of the two directories`
        );
      }
    }
  }

  const router = connectors.find((connector) => isRouterConnector(connector));
  if (router) {
    const routerTitle = router.metadata.name.en ?? router.metadata.id;
    const others = connectors.length - 1;
    out.print(
      `  ${style.cyan('note')} Logto enables one SMS connector at a time: pick "${routerTitle}" to route by country and fail over between providers (every provider of the suite is bundled in it)${others > 0 ? `, or one of the ${others} provider connector${others === 1 ? '' : 's'} for a single provider` : ''}`
    );
  }
  out.print(
    `${style.green('✔ installed')} ${connectors.length} connector${connectors.length === 1 ? '' : 's'} into ${connectorsDir}`
  );
  out.print('Restart Logto to load them: it reads packages/core/connectors once, at startup.');
  return exitCodes.ok;
};

export const installCommand: Command = {
  name: 'install',
  summary: 'pack connectors and install them into a Logto instance, like "logto connector add"',
  help,
  run,
};

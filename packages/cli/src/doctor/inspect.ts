import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

import {
  isDiscoverableName,
  kitName,
  kitRangeFinding,
  noKitDependencyFinding,
  skipFinding,
  type Finding,
  type SkippedPackage,
} from './findings';
import {
  enginesNodeOf,
  resolvePackageDir,
  type ConnectorFactory,
  type ConnectorPackage,
  type LoaderSource,
  type LogtoInstance,
  type LogtoLoader,
} from './logto-instance';

/** What Logto does with a folder of packages/core/connectors. */
export type LogtoAction =
  /** Discovered and loaded: it is listed in the console. */
  | 'loads'
  /** Discovered, then skipped by the loader with a `[load-connector] skip` line. */
  | 'skips'
  /** Not discovered: its package name does not match. */
  | 'ignores'
  /** Its package.json makes the discovery of every connector fail. */
  | 'breaks-discovery'
  /** Not loaded because another package.json breaks the discovery. */
  | 'blocked';

export type ConnectorReport = {
  /** The folder in packages/core/connectors. */
  folder: string;
  path: string;
  packageName?: string;
  version?: string;
  logto: LogtoAction;
  id?: string;
  type?: string;
  title?: string;
  enginesNode?: string;
  verdict: 'ok' | 'warning' | 'problem';
  findings: Finding[];
};

export type Inspection = {
  connectors: ConnectorReport[];
  /** Findings about the connectors together: discovery, id clashes, several SMS connectors. */
  instance: Finding[];
  /** The kit version the version check compares with. */
  kitVersion?: string;
  ignoreVersionCheck: boolean;
};

type Manifest = { json: Record<string, unknown>; name: string } | { error: string };

const readManifest = (dir: string): Manifest => {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'package.json'), 'utf8');
  } catch (error: unknown) {
    return { error: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error: unknown) {
    return { error: `is not valid JSON (${(error as Error).message})` };
  }
  if (!json || typeof json !== 'object' || typeof (json as { name?: unknown }).name !== 'string') {
    return { error: 'has no "name" string' };
  }
  return { json: json as Record<string, unknown>, name: (json as { name: string }).name };
};

type Candidate = { folder: string; dir: string; manifest: Manifest };

/** Every folder Logto's discovery reads: an immediate sub-directory (links followed) with a package.json. */
const candidatesIn = (connectorsDir: string): Candidate[] => {
  if (!existsSync(connectorsDir)) {
    return [];
  }
  return readdirSync(connectorsDir)
    .map((folder) => ({ folder, dir: path.join(connectorsDir, folder) }))
    .filter(({ dir }) => {
      try {
        return statSync(dir).isDirectory() && existsSync(path.join(dir, 'package.json'));
      } catch {
        return false;
      }
    })
    .map((entry) => ({ ...entry, manifest: readManifest(entry.dir) }));
};

const ansiCode = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const stripAnsi = (text: string) => text.replace(ansiCode, '');

/** Runs `task` with console output captured (Logto's loader logs through console), returning the lines. */
const capturingConsole = async <T>(
  task: () => Promise<T>
): Promise<{ result?: T; error?: unknown; lines: string[] }> => {
  const lines: string[] = [];
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const capture = (...args: unknown[]) => {
    lines.push(stripAnsi(args.map(String).join(' ')));
  };
  Object.assign(console, { log: capture, info: capture, warn: capture, error: capture });
  try {
    return { result: await task(), lines };
  } catch (error: unknown) {
    return { error, lines };
  } finally {
    Object.assign(console, original);
  }
};

const dependenciesOf = (json: Record<string, unknown>): Record<string, string> => {
  const { dependencies } = json;
  return dependencies && typeof dependencies === 'object'
    ? Object.fromEntries(
        Object.entries(dependencies).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      )
    : {};
};

const isInside = (parent: string, child: string) => {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

const bundlesKit = (dir: string): boolean => {
  try {
    return /class ConnectorError\b/.test(readFileSync(path.join(dir, 'lib/index.js'), 'utf8'));
  } catch {
    return false;
  }
};

export type InspectOptions = {
  instance: LogtoInstance;
  source: LoaderSource;
  loader: LogtoLoader;
  /** The @logto/connector-kit core resolves (what the connectors import). */
  coreKit?: { dir: string; version?: string };
  ignoreVersionCheck: boolean;
};

/**
 * Discovery and loading as Logto runs them at startup, with Logto's own functions, and the reasons
 * behind every skip; then what Logto's core checks afterwards (duplicate ids) and what loads but
 * will not work (a bundled connector-kit).
 */
export const inspectConnectors = async ({
  instance,
  source,
  loader,
  coreKit,
  ignoreVersionCheck,
}: InspectOptions): Promise<Inspection> => {
  const { connectorsDir, root } = instance;
  const candidates = candidatesIn(connectorsDir);
  const instanceFindings: Finding[] = [];
  const reports = new Map<string, ConnectorReport>(
    candidates.map(({ folder, dir, manifest }) => {
      const json = 'json' in manifest ? manifest.json : undefined;
      const version = typeof json?.version === 'string' ? json.version : undefined;
      const enginesNode = enginesNodeOf(json);
      return [
        dir,
        {
          folder,
          path: dir,
          ...('name' in manifest && { packageName: manifest.name }),
          ...(version && { version }),
          ...(enginesNode && { enginesNode }),
          logto: 'skips',
          verdict: 'ok',
          findings: [],
        },
      ];
    })
  );
  const add = (dir: string, finding: Finding) => reports.get(dir)?.findings.push(finding);

  // 1. Discovery: Logto's own, then the reason for a failure, package by package.
  let discovered: ConnectorPackage[] | undefined;
  let discoveryError: string | undefined;
  if (existsSync(connectorsDir)) {
    try {
      discovered = await loader.getConnectorPackagesFromDirectory(connectorsDir);
    } catch (error: unknown) {
      discoveryError = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    }
  }
  const broken = candidates.filter(({ manifest }) => 'error' in manifest);
  if (discoveryError !== undefined) {
    for (const { dir, folder, manifest } of broken) {
      const report = reports.get(dir)!;
      report.logto = 'breaks-discovery';
      add(dir, {
        severity: 'problem',
        code: 'invalid-package-json',
        message: `its package.json ${'error' in manifest ? manifest.error : ''}: Logto's discovery reads every package.json in packages/core/connectors and throws on this one, so Logto loads NO connector at all, not even the valid ones (at startup: "Error while initializing app")`,
        fix: `fix ${path.join('packages/core/connectors', folder, 'package.json')} (valid JSON with a string "name"), or remove the folder; restart Logto`,
      });
    }
    instanceFindings.push({
      severity: 'problem',
      code: 'discovery-fails',
      message: `Logto's discovery of packages/core/connectors fails${broken.length > 0 ? ` on ${broken.map(({ folder }) => `${folder}/package.json`).join(', ')}` : ''} ("${discoveryError}"): Logto loads no connector at all`,
      fix:
        broken.length > 0
          ? `fix or remove ${broken.length === 1 ? 'that folder' : 'those folders'}; restart Logto`
          : 'make every package.json in packages/core/connectors readable, valid JSON with a string "name"',
    });
  }
  const discoveredPaths = new Set((discovered ?? []).map(({ path: dir }) => dir));
  // What Logto loads: its discovery's answer; when that fails, what it would load once the culprit is fixed.
  const toLoad: ConnectorPackage[] =
    discovered ??
    candidates.flatMap(({ dir, manifest }) =>
      'name' in manifest && isDiscoverableName(manifest.name) ? [{ name: manifest.name, path: dir }] : []
    );
  for (const { dir, manifest } of candidates) {
    if (
      'name' in manifest &&
      !isDiscoverableName(manifest.name) &&
      (discovered === undefined || !discoveredPaths.has(dir))
    ) {
      const report = reports.get(dir)!;
      report.logto = 'ignores';
      const suggested = manifest.name.startsWith('@')
        ? `${manifest.name.split('/')[0]}/connector-${manifest.name.split('/')[1] ?? ''}`
        : `connector-${manifest.name}`;
      add(dir, {
        severity: 'problem',
        code: 'name-not-discovered',
        message: `Logto ignores it without a word: its package name "${manifest.name}" does not start with "connector-" (or "@scope/connector-"), the names Logto's discovery looks for`,
        fix: `rename the package to "${suggested}" in its package.json (or install a version so named), or remove the folder if it is not a connector; restart Logto`,
      });
    }
  }

  // 2. The version check, as the loader makes it, with the kit version of this instance.
  const kitVersion =
    source.origin === 'instance' ? (source.kitVersion ?? coreKit?.version) : (coreKit?.version ?? source.kitVersion);
  const versionRefused = new Set<string>();
  for (const pkg of toLoad) {
    const candidate = candidates.find(({ dir }) => dir === pkg.path);
    const json = candidate && 'json' in candidate.manifest ? candidate.manifest.json : {};
    const range = dependenciesOf(json)[kitName];
    let finding: Omit<Finding, 'severity'> | undefined;
    if (range === undefined) {
      finding = noKitDependencyFinding(pkg.name);
    } else if (!range.startsWith('workspace:') && kitVersion && !safeSatisfies(loader, kitVersion, range)) {
      finding = kitRangeFinding(pkg.name, range, kitVersion);
    }
    if (!finding) {
      continue;
    }
    if (ignoreVersionCheck && finding.code === 'kit-range') {
      add(pkg.path, {
        severity: 'warning',
        code: 'kit-range-ignored',
        message: `it requires ${kitName} ${range}, but this Logto has ${kitVersion}: Logto loads it only because IGNORE_CONNECTOR_VERSION_CHECK is set ("highly discouraged in production")`,
        fix: `install a version of ${pkg.name} that accepts ${kitName} ${kitVersion}`,
      });
    } else {
      versionRefused.add(pkg.path);
    }
  }

  // 3. The loader. Logto's own @logto/cli checks the version itself; the bundled one would compare
  // with its own kit, so the packages this instance's kit refuses are left out and its check is off.
  const ownCheck = source.origin === 'instance';
  const loading = ownCheck ? toLoad : toLoad.filter(({ path: dir }) => !versionRefused.has(dir));
  const loaded = await capturingConsole(async () =>
    loader.loadConnectorFactories(loading, ownCheck ? ignoreVersionCheck : true)
  );
  const factories: ConnectorFactory[] = loaded.result ?? [];
  if (loaded.error !== undefined) {
    instanceFindings.push({
      severity: 'problem',
      code: 'loader-fails',
      message: `Logto's loader fails for every connector: ${String(loaded.error instanceof Error ? loaded.error.message : loaded.error).split('\n')[0]} (a connector threw something that is not an Error while loading)`,
      fix: 'remove connectors one at a time to find the one that throws, and ask its author',
    });
  }
  const skipLines = loaded.lines.flatMap((line) => {
    const match = /\[load-connector\] skip (.+?) due to error: ([\s\S]*)$/.exec(line);
    return match ? [{ name: match[1]!, message: match[2]!.trim(), line: line.replace(/^\s*error\s+/, '').trim() }] : [];
  });

  for (const pkg of toLoad) {
    const report = reports.get(pkg.path)!;
    const candidate = candidates.find(({ dir }) => dir === pkg.path)!;
    const json = 'json' in candidate.manifest ? candidate.manifest.json : {};
    const realDir = realpathSync(pkg.path);
    const skipped: SkippedPackage = {
      name: pkg.name,
      dir: pkg.path,
      realDir,
      linkedFromOutside: !isInside(realpathSync(root), realDir),
      dependencies: dependenciesOf(json),
    };
    const factory = factories.find(({ path: dir }) => dir === pkg.path);
    const blocked = discoveryError !== undefined;
    if (factory) {
      report.logto = blocked ? 'blocked' : 'loads';
      report.id = factory.metadata.id;
      report.type = factory.type;
      const title = factory.metadata.name?.en;
      if (title) {
        report.title = title;
      }
      if (bundlesKit(realDir)) {
        add(pkg.path, {
          severity: 'problem',
          code: 'bundled-connector-kit',
          message: `its lib/index.js carries its own copy of ${kitName} (class ConnectorError): Logto loads it, but no error it throws is Logto's ConnectorError, so every failed send or config test (invalid config, rate limit, …) becomes HTTP 500 "Internal server error." instead of a 400/429 with its message`,
          fix: `install a build of ${pkg.name} that imports ${kitName} instead of bundling it (ask its author: keep it external)`,
        });
      } else {
        const ownKit = resolvePackageDir(realDir, kitName);
        if (ownKit && coreKit && ownKit !== coreKit.dir) {
          add(pkg.path, {
            severity: 'problem',
            code: 'own-connector-kit',
            message: `it imports its own copy of ${kitName} (${ownKit}), not Logto's: Logto loads it, but its errors are not Logto's ConnectorError, so failed sends and config tests become HTTP 500 "Internal server error."`,
            fix: isInside(realDir, ownKit)
              ? `delete ${path.relative(realDir, ownKit)} from the connector's folder (rm -rf '${ownKit}'); restart Logto`
              : 'copy the package itself into packages/core/connectors instead of linking it',
          });
        }
      }
      continue;
    }
    report.logto = blocked ? 'blocked' : 'skips';
    if (versionRefused.has(pkg.path) && !ownCheck) {
      const range = skipped.dependencies[kitName];
      add(pkg.path, {
        severity: 'problem',
        ...(range === undefined ? noKitDependencyFinding(pkg.name) : kitRangeFinding(pkg.name, range, kitVersion!)),
        logtoLog: `[load-connector] skip ${pkg.name} due to error: ${range === undefined ? `Cannot find ${kitName} in connector's dependency` : `Connector requires ${kitName} to be ${range}, but the version here is ${kitVersion}.`}`,
      });
      continue;
    }
    const skip = skipLines.find(({ name }) => name === pkg.name);
    if (skip) {
      skipLines.splice(skipLines.indexOf(skip), 1);
      add(pkg.path, skipFinding(skipped, skip.message, skip.line));
    } else if (loaded.error === undefined) {
      add(pkg.path, {
        severity: 'problem',
        code: 'not-loaded',
        message: 'Logto does not load it, and its loader logs no reason',
        fix: 'run Logto and read its start-up log',
      });
    }
  }

  // 4. What core checks once the factories are loaded: two factories with one id.
  const loadedReports = [...reports.values()].filter(({ logto }) => logto === 'loads' || logto === 'blocked');
  const byId = new Map<string, ConnectorReport[]>();
  for (const report of loadedReports) {
    if (report.id !== undefined) {
      byId.set(report.id, [...(byId.get(report.id) ?? []), report]);
    }
  }
  for (const [id, sharing] of byId) {
    if (sharing.length < 2) {
      continue;
    }
    for (const report of sharing) {
      const others = sharing.filter((other) => other !== report);
      add(report.path, {
        severity: 'problem',
        code: 'duplicate-id',
        message: `its metadata id "${id}" is also the id of ${others.map((other) => `${other.packageName ?? other.folder} (folder ${other.folder})`).join(', ')}: Logto refuses two connectors with one id (connector.more_than_one_connector_factory, HTTP 422), so every connector request fails for every connector, and Logto may not start`,
        fix: `keep one of them: remove the folder ${sharing.map(({ folder }) => `packages/core/connectors/${folder}`).join(' or ')}; restart Logto`,
      });
    }
  }

  // 5. One SMS connector per tenant.
  const sms = factories
    .map((factory) => reports.get(factory.path))
    .filter((report): report is ConnectorReport => report?.type === 'Sms' && report.logto === 'loads');
  if (sms.length > 1) {
    instanceFindings.push({
      severity: 'warning',
      code: 'several-sms-connectors',
      message: `${sms.length} SMS connectors will load: ${sms.map((report) => `${report.title ?? report.id ?? report.folder} (${report.packageName ?? report.folder})`).join(', ')}. A tenant uses one SMS connector at a time: the admin picks which in the console (Connectors → SMS connector); Logto lists ${sms[0]!.title ?? sms[0]!.id} first`,
      fix: 'nothing to do if that is intended; otherwise remove the folders of the ones nobody should pick',
    });
  }

  // Blocked by a broken discovery: say so on every other connector too.
  if (discoveryError !== undefined) {
    for (const report of reports.values()) {
      if (report.logto !== 'breaks-discovery' && report.logto !== 'ignores') {
        report.logto = 'blocked';
        report.findings.unshift({
          severity: 'problem',
          code: 'blocked-by-discovery',
          message: `Logto does not load it: the discovery fails on ${broken.map(({ folder }) => `${folder}/package.json`).join(', ') || 'another package'}, so no connector loads`,
          fix: `fix or remove ${broken.map(({ folder }) => `packages/core/connectors/${folder}`).join(', ') || 'the package.json Logto cannot read'}; restart Logto`,
        });
      }
    }
  }

  const connectors = [...reports.values()].sort((left, right) => left.folder.localeCompare(right.folder));
  return { connectors, instance: instanceFindings, ...(kitVersion && { kitVersion }), ignoreVersionCheck };
};

/** `problem` when any finding is one, `warning` when there are only warnings, else `ok`. */
export const verdictOf = (findings: readonly Finding[]): ConnectorReport['verdict'] =>
  findings.some(({ severity }) => severity === 'problem') ? 'problem' : findings.length > 0 ? 'warning' : 'ok';

const safeSatisfies = (loader: LogtoLoader, version: string, range: string): boolean => {
  try {
    return loader.satisfies(version, range);
  } catch {
    return false;
  }
};

import path from 'node:path';

/** A problem stops a connector from loading or working (exit 1); a warning does not. */
export type Severity = 'problem' | 'warning';

export type Finding = {
  severity: Severity;
  /** Stable, for --json: what kind of finding it is. */
  code: string;
  /** What Logto will do and why, in words. */
  message: string;
  fix?: string;
  /** The line Logto itself logs for it, when it logs one. */
  logtoLog?: string;
};

export const kitName = '@logto/connector-kit';
/** The kit range the contract recommends (Logto 1.35 and later). */
export const recommendedKitRange = '>=4.7.0 <6';

/** Logto's discovery rule (getConnectorPackagesFromDirectory): `connector-…` or `@scope/connector-…`. */
export const isDiscoverableName = (name: string): boolean =>
  name.startsWith('connector-') || Boolean(name.split('/')[1]?.startsWith('connector-'));

/** `dayjs/plugin/utc` → `dayjs`, `@scope/pkg/sub` → `@scope/pkg`. */
export const packageOfSpecifier = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
};

const isBareSpecifier = (specifier: string) =>
  !specifier.startsWith('.') &&
  !specifier.startsWith('/') &&
  !specifier.startsWith('file:') &&
  !/^[A-Za-z]:/.test(specifier);

export type SkippedPackage = {
  name: string;
  dir: string;
  /** The folder's real path (symlinks resolved): where its bare imports resolve from. */
  realDir: string;
  /** The real path lies outside the Logto instance. */
  linkedFromOutside: boolean;
  dependencies: Record<string, string>;
};

const shellQuote = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

const missingDependency = (pkg: SkippedPackage, dependency: string, importer: string): Finding => {
  const declared = pkg.dependencies[dependency];
  const spec = `${dependency}${declared ? `@${declared}` : ''}`;
  const from = path.relative(pkg.realDir, importer);
  const importedBy = from && !from.startsWith('..') ? ` (imported by ${from})` : '';
  if (dependency === kitName || dependency === 'zod') {
    return {
      severity: 'problem',
      code: 'missing-dependency',
      message: `it imports "${dependency}"${importedBy}, which it must take from Logto, but Logto's own copy cannot be found from ${pkg.realDir}${pkg.linkedFromOutside ? ' (the folder is a link to a directory outside this Logto instance, and a package resolves its imports from its real location)' : ''}: Logto skips it`,
      fix: pkg.linkedFromOutside
        ? `copy the package itself into packages/core/connectors instead of linking it (never install a copy of ${dependency} into the connector's folder: Logto's error handling needs its own)`
        : `check that packages/core/node_modules/${dependency} exists in this Logto instance (reinstall Logto's dependencies); never install a copy of ${dependency} into the connector's folder`,
    };
  }
  const ownCopies = [kitName, 'zod'].filter((name) => pkg.dependencies[name] !== undefined);
  return {
    severity: 'problem',
    code: 'missing-dependency',
    message: `it needs the package "${dependency}"${importedBy}, which this Logto instance does not have (Logto's "connector add" never runs npm install, and Logto core does not ship it)${pkg.linkedFromOutside ? `; its folder is a link to ${pkg.realDir}, outside this Logto instance, where its imports resolve` : ''}: Logto skips it`,
    fix: `install a build of ${pkg.name} that bundles its dependencies (ask its author), or install ${dependency} into the connector's folder: cd ${shellQuote(pkg.realDir)} && npm install --omit=dev --omit=peer --no-save ${shellQuote(spec)}${ownCopies.length > 0 ? `, then rm -rf ${ownCopies.map((name) => `node_modules/${name}`).join(' ')} (npm installs them too; the connector must use Logto's own)` : ''}; in Docker, do it in an image built FROM Logto's or on the volume that holds the connectors, or it is lost with the container; restart Logto`,
  };
};

/** A `[load-connector] skip` message of Logto's loader, in words, with the fix. */
export const skipFinding = (pkg: SkippedPackage, message: string, logtoLog: string): Finding => {
  const withLog = (finding: Omit<Finding, 'severity' | 'logtoLog'>): Finding => ({
    severity: 'problem',
    ...finding,
    logtoLog,
  });

  const range = /^Connector requires @logto\/connector-kit to be (.+), but the version here is (.+)\.$/m.exec(message);
  if (range) {
    return withLog(kitRangeFinding(pkg.name, range[1]!, range[2]!));
  }
  if (message.startsWith(`Cannot find ${kitName} in connector's dependency`)) {
    return withLog(noKitDependencyFinding(pkg.name));
  }
  const notFound = /Cannot find (?:package|module) '([^']+)' imported from (\S+)/.exec(message);
  if (notFound) {
    const [, specifier, importer] = notFound as unknown as [string, string, string];
    if (isBareSpecifier(specifier)) {
      return { ...missingDependency(pkg, packageOfSpecifier(specifier), importer), logtoLog };
    }
    const missing = specifier.startsWith('file:')
      ? new URL(specifier).pathname
      : path.resolve(path.dirname(importer), specifier);
    const relative = path.relative(pkg.dir, missing);
    if (relative === path.join('lib', 'index.js')) {
      return withLog({
        code: 'no-entry',
        message:
          'it has no lib/index.js, the only file Logto imports ("main" and "exports" are ignored): Logto skips it',
        fix: `install the published package, or build it so that lib/index.js exists (the tarball of "npm pack" must contain it); restart Logto`,
      });
    }
    return withLog({
      code: 'missing-file',
      message: `its ${path.relative(pkg.realDir, importer) || importer} imports ${relative.startsWith('..') ? missing : relative}, which is not in the package: Logto skips it`,
      fix: `reinstall ${pkg.name} from its published tarball (the file is missing from this copy, or from the package's "files"); restart Logto`,
    });
  }
  if (/^Cannot load connector from .*the connector package may be broken\.?$/.test(message)) {
    return withLog({
      code: 'no-default-export',
      message:
        'its lib/index.js has no default export function (createConnector; ESM "export default" or CJS "exports.default"): Logto skips it',
      fix: `install a correct build of ${pkg.name} (ask its author)`,
    });
  }
  const connectorError = /^ConnectorError: (\w+)/.exec(message)?.[1];
  const kitErrors: Record<string, string> = {
    not_implemented:
      'its createConnector calls getConfig while Logto loads it (at load time Logto passes a getConfig that throws not_implemented)',
    invalid_metadata: 'its createConnector returns no metadata',
    invalid_config_guard: 'its createConnector returns no configGuard',
    unexpected_type: 'its createConnector returns a type that is not Email, Sms or Social',
  };
  if (connectorError && kitErrors[connectorError]) {
    return withLog({
      code: `connector-${connectorError.replace(/_/g, '-')}`,
      message: `${kitErrors[connectorError]}: Logto skips it`,
      fix: `install a correct build of ${pkg.name} (ask its author: createConnector must return { metadata, type, configGuard, sendMessage } without reading the config)`,
    });
  }
  return withLog({
    code: 'load-error',
    message: `loading it fails with "${message.split('\n')[0]}": Logto skips it`,
    fix: `reinstall ${pkg.name}, or ask its author about this error; restart Logto`,
  });
};

export const kitRangeFinding = (name: string, range: string, logtoKit: string) => ({
  code: 'kit-range',
  message: `it requires ${kitName} ${range} (its package.json dependencies), but this Logto has ${logtoKit}: Logto's version check skips it`,
  fix: `install a version of ${name} that accepts ${kitName} ${logtoKit} (a connector should declare "${recommendedKitRange}"), or run a Logto whose kit is in ${range}; starting Logto with IGNORE_CONNECTOR_VERSION_CHECK=1 loads it anyway (discouraged in production)`,
});

export const noKitDependencyFinding = (name: string) => ({
  code: 'kit-not-in-dependencies',
  message: `its package.json does not list ${kitName} in "dependencies" (peerDependencies do not count): Logto's version check skips it`,
  fix: `install a version of ${name} whose package.json has "${kitName}": "${recommendedKitRange}" in dependencies (ask its author)`,
});

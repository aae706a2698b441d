// What each connector costs on disk and in a Logto install: the bundle, the packed tarball, and the
// runtime packages it pulls in (walked through node_modules the way Node resolves them), split into
// those Logto core already ships and those that are new to an install.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { isBuiltin } from 'node:module';

const run = promisify(execFile);

/**
 * Direct runtime dependencies of Logto core (`packages/core/package.json` of logto-io/logto, v1.30.1;
 * workspace-only packages left out). A package of a connector's closure with one of these names, and
 * that package's own dependencies, is already in a Logto install.
 */
export const logtoCoreDependencies = [
  '@authenio/samlify-node-xmllint',
  '@aws-sdk/client-s3',
  '@azure/storage-blob',
  '@google-cloud/storage',
  '@koa/cors',
  '@logto/affiliate',
  '@logto/connector-kit',
  '@logto/js',
  '@logto/language-kit',
  '@silverhand/essentials',
  '@silverhand/slonik',
  '@simplewebauthn/server',
  '@withtyped/client',
  'camelcase',
  'camelcase-keys',
  'chalk',
  'clean-deep',
  'date-fns',
  'decamelize',
  'deepmerge',
  'dotenv',
  'etag',
  'fast-xml-parser',
  'find-up',
  'got',
  'hash-wasm',
  'helmet',
  'http-errors',
  'i18next',
  'iconv-lite',
  'jose',
  'koa',
  'koa-body',
  'koa-compose',
  'koa-compress',
  'koa-logger',
  'koa-mount',
  'koa-proxies',
  'koa-router',
  'koa-send',
  'ky',
  'lru-cache',
  'nanoid',
  'node-forge',
  'oidc-provider',
  'openapi-types',
  'otplib',
  'p-map',
  'p-retry',
  'pg-protocol',
  'pkg-dir',
  'pluralize',
  'qrcode',
  'raw-body',
  'redis',
  'roarr',
  'samlify',
  'semver',
  'snake-case',
  'snakecase-keys',
  'tinypool',
  'zod',
];
export const logtoCoreSource = 'logto-io/logto packages/core/package.json (v1.30.1): dependencies';

/**
 * What our connectors may import at run time (docs/CONTRIBUTING.md); everything else is bundled.
 * `redis` is imported with import() only when a config's send limits use Redis, from Logto core's own
 * node_modules (core ships node-redis), as scripts/build.mjs allows: no package new to a Logto install.
 */
export const allowedRuntimeDependencies = ['@logto/connector-kit', 'zod', 'redis'];

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Node's lookup: `<ancestor>/node_modules/<name>` for every ancestor that is not itself node_modules. */
const resolvePackageDir = (fromDir, name) => {
  let dir = fromDir;
  for (;;) {
    if (path.basename(dir) !== 'node_modules') {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) {
        return realpathSync(candidate);
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
};

const runtimeDependencyNames = (pkg) => {
  const optionalPeers = new Set(
    Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta?.optional)
      .map(([name]) => name)
  );
  return [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((name) => !optionalPeers.has(name)),
  ];
};

/** Distinct packages (name@version) reachable from `rootDir` through runtime dependencies. */
export const dependencyClosure = (rootDir) => {
  const found = new Map();
  const missing = new Set();
  const queue = [realpathSync(rootDir)];
  while (queue.length > 0) {
    const dir = queue.shift();
    const pkg = readJson(path.join(dir, 'package.json'));
    for (const name of new Set(runtimeDependencyNames(pkg))) {
      const depDir = resolvePackageDir(dir, name);
      if (!depDir) {
        if (!(pkg.optionalDependencies ?? {})[name]) missing.add(name);
        continue;
      }
      const dep = readJson(path.join(depDir, 'package.json'));
      const key = `${dep.name}@${dep.version}`;
      if (!found.has(key)) {
        found.set(key, { name: dep.name, version: dep.version, dir: depDir });
        queue.push(depDir);
      }
    }
  }
  return { packages: [...found.values()], missing: [...missing] };
};

const directorySize = (dir) => {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') total += directorySize(full);
    } else if (entry.isFile()) {
      total += statSync(full).size;
    }
  }
  return total;
};

/** Splits a closure into what Logto core already ships and what an install of the connector adds. */
const splitByLogto = (closure) => {
  const provided = new Set();
  for (const entry of closure.packages.filter(({ name }) => logtoCoreDependencies.includes(name))) {
    provided.add(`${entry.name}@${entry.version}`);
    for (const inner of dependencyClosure(entry.dir).packages) provided.add(`${inner.name}@${inner.version}`);
  }
  const added = closure.packages.filter(({ name, version }) => !provided.has(`${name}@${version}`));
  return {
    total: closure.packages.length,
    inLogtoCore: closure.packages.length - added.length,
    added: added.map(({ name, version }) => `${name}@${version}`).sort(),
    addedBytes: added.reduce((sum, { dir }) => sum + directorySize(dir), 0),
    missing: closure.missing,
  };
};

const npmPack = async (dir) => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, npm_config_loglevel: 'silent', npm_config_update_notifier: 'false' },
  });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  return {
    size: info.size,
    unpackedSize: info.unpackedSize,
    entryCount: info.entryCount,
    files: info.files.map(({ path: file, size }) => ({ path: file, size })),
  };
};

/**
 * `npm pack --dry-run --json`: the tarball as it would be published (scripts not run). npm exits 1
 * without a word on some installed copies (seen on @logto/connector-http-sms 0.2.1 inside the pnpm
 * store); a plain copy of the same files packs fine, so that is the fallback.
 */
const packed = async (dir) => {
  try {
    return await npmPack(dir);
  } catch {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'sms-bench-pack-'));
    try {
      cpSync(dir, copy, {
        recursive: true,
        dereference: true,
        filter: (source) => path.basename(source) !== 'node_modules',
      });
      return { ...(await npmPack(copy)), packedFrom: 'a copy of the installed package' };
    } catch (error) {
      return { error: String(error.message ?? error).split('\n')[0] };
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
};

/** Bare specifiers the bundle imports (static, re-exported or dynamic), node built-ins left out. */
export const bareImportsOf = (code) => {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const names = new Set();
  for (const pattern of patterns) {
    for (const [, specifier] of code.matchAll(pattern)) {
      if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) continue;
      names.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  }
  return [...names].sort();
};

export const footprintOf = async (packageDir) => {
  const realDir = realpathSync(packageDir);
  const pkg = readJson(path.join(realDir, 'package.json'));
  const libFile = path.join(realDir, 'lib/index.js');
  const code = readFileSync(libFile);
  const closure = dependencyClosure(realDir);
  return {
    package: `${pkg.name}@${pkg.version}`,
    lib: { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length },
    tarball: await packed(realDir),
    dependencies: Object.keys(pkg.dependencies ?? {}).sort(),
    imports: bareImportsOf(code.toString('utf8')),
    runtimePackages: splitByLogto(closure),
  };
};

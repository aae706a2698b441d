import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

/**
 * The packages `pnpm publish -r` publishes, packed the way it packs them: one `pnpm pack -r` over
 * every package of the workspace that is not `"private": true`, read back entry by entry. Shared by
 * the tarball and publint tests (each packs into its own folder: jest runs test files in parallel).
 */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type PackageJson = Record<string, unknown> & { name: string; version: string; private?: boolean };

export type WorkspacePackage = {
  /** `connector-twilio-sms` for packages/connector-twilio-sms. */
  dir: string;
  directory: string;
  packageJson: PackageJson;
};

export const workspacePackages = (): WorkspacePackage[] =>
  readdirSync(path.join(repositoryRoot, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map(({ name: dir }) => {
      const directory = path.join(repositoryRoot, 'packages', dir);
      const packageJson = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as PackageJson;
      return { dir, directory, packageJson };
    });

export const publishablePackages = (): WorkspacePackage[] =>
  workspacePackages().filter(({ packageJson }) => packageJson.private !== true);

/** Entries of a .tgz by path inside the package (`package/` stripped), regular files only. */
export const readTarball = (tarball: Buffer): Map<string, Buffer> => {
  const tar = gunzipSync(tarball);
  const entries = new Map<string, Buffer>();
  const field = (start: number, length: number) =>
    tar
      .subarray(start, start + length)
      .toString('utf8')
      .replace(/\0[^]*$/, '');
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length && tar[offset] !== 0) {
    const size = Number.parseInt(field(offset + 124, 12).trim() || '0', 8);
    const type = field(offset + 156, 1) || '0';
    const prefix = field(offset + 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(offset, 100)}` : field(offset, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    longName = undefined;
    if (type === 'x') {
      // A pax header: its `path` record, if any, names the next entry.
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else if (type === '0' || type === '7') {
      entries.set(name.replace(/^[^/]+\//, ''), Buffer.from(body));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
};

const run = promisify(execFile);

/**
 * pnpm 10, the one the test command runs under when it is on the PATH (`npx --yes pnpm@10 jest`
 * puts it there), else through npx, as the compatibility harness does.
 */
const pnpm = async (args: string[], cwd: string) => {
  const options = { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } };
  if (process.env.npm_config_user_agent?.startsWith('pnpm/10.')) {
    try {
      return await run('pnpm', args, options);
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code !== 'ENOENT') {
        throw error;
      }
    }
  }
  return run('npx', ['--yes', 'pnpm@10', ...args], options);
};

export type PackedPackage = WorkspacePackage & {
  tarball: string;
  /** Path inside the package → contents. */
  entries: Map<string, Buffer>;
};

/** Packs every publishable package into `destination` with one `pnpm pack -r` (packs run concurrently). */
export const packPublishable = async (destination: string): Promise<PackedPackage[]> => {
  const packages = publishablePackages();
  const { stdout } = await pnpm(
    [
      '--recursive',
      ...packages.flatMap(({ packageJson }) => ['--filter', packageJson.name]),
      'pack',
      '--workspace-concurrency',
      String(packages.length),
      '--pack-destination',
      destination,
      '--json',
    ],
    repositoryRoot
  );
  // One object for one package, an array for several.
  const reported = [
    JSON.parse(stdout) as { name: string; filename: string } | Array<{ name: string; filename: string }>,
  ]
    .flat()
    .map(({ name, filename }) => [name, path.resolve(destination, filename)] as const);
  const tarballs = new Map(reported);
  return packages.map((workspacePackage) => {
    const tarball = tarballs.get(workspacePackage.packageJson.name);
    if (!tarball) {
      throw new Error(`pnpm pack reported no tarball for ${workspacePackage.packageJson.name}: ${stdout}`);
    }
    return { ...workspacePackage, tarball, entries: readTarball(readFileSync(tarball)) };
  });
};

/**
 * Packs every publishable package once for the calling test file, in a temp folder removed after it:
 * the built bundles must exist (the test command builds first). Read `packed` inside tests.
 */
export const packedForThisFile = (prefix: string): { packed: PackedPackage[] } => {
  const state: { packed: PackedPackage[] } = { packed: [] };
  let destination: string | undefined;
  beforeAll(async () => {
    for (const { dir, directory } of publishablePackages()) {
      if (!existsSync(path.join(directory, 'lib/index.js'))) {
        throw new Error(`packages/${dir}/lib/index.js is missing: run the build first (npx --yes pnpm@10 build)`);
      }
    }
    destination = mkdtempSync(path.join(tmpdir(), prefix));
    state.packed = await packPublishable(destination);
  }, 120_000);
  afterAll(() => {
    if (destination) {
      rmSync(destination, { recursive: true, force: true });
    }
  });
  return state;
};

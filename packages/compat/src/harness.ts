import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * A directory laid out like a Logto instance (`packages/core/connectors/<package>`), inside the
 * repository so that the installed connectors' bare imports (`@logto/connector-kit`, `zod`, `ky`)
 * resolve to the same copies the @logto/cli loader uses, as they resolve to core's copies in Logto.
 */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type ConnectorPackage = {
  /** `twilio` for packages/connector-twilio-sms: the name the sandbox and the CLI use. */
  name: string;
  directory: string;
  packageName: string;
};

/** Every connector in the repository, found by folder: a new connector is covered with no change here. */
export const connectorPackages = (): ConnectorPackage[] =>
  readdirSync(path.join(repositoryRoot, 'packages'))
    .filter((folder) => /^connector-.+-sms$/.test(folder))
    .map((folder) => {
      const directory = path.join(repositoryRoot, 'packages', folder);
      const { name: packageName } = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as {
        name: string;
      };
      return { name: folder.replace(/^connector-/, '').replace(/-sms$/, ''), directory, packageName };
    });

const run = promisify(execFile);

/**
 * Installs the connectors the way an admin does: `pnpm pack` in each package, the tarball renamed to
 * start with `connector-` (what `logto connector add` requires of local files), then the published
 * `logto connector add <absolute paths> -p <instance>`, which extracts each into
 * `packages/core/connectors/<package name with / → ->` without installing any dependency.
 */
export const installPacked = async (instance: string, packages: ConnectorPackage[]): Promise<string> => {
  rmSync(instance, { recursive: true, force: true });
  const core = path.join(instance, 'packages/core');
  const tarballs = path.join(instance, 'tarballs');
  mkdirSync(core, { recursive: true });
  mkdirSync(tarballs, { recursive: true });
  writeFileSync(path.join(core, 'package.json'), JSON.stringify({ name: '@logto/core' }));

  const packed = await Promise.all(
    packages.map(async ({ directory, packageName }) => {
      if (!existsSync(path.join(directory, 'lib/index.js'))) {
        throw new Error(`${directory}/lib/index.js is missing: run the build first (npx --yes pnpm@10 build)`);
      }
      const destination = path.join(tarballs, packageName.replace('/', '-'));
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

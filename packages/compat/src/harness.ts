import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Packs each connector with npm (what `logto connector add` consumes) and extracts it like the CLI does. */
export const installPacked = (instance: string, packages: ConnectorPackage[]): string => {
  rmSync(instance, { recursive: true, force: true });
  const core = path.join(instance, 'packages/core');
  const connectors = path.join(core, 'connectors');
  const tarballs = path.join(instance, 'tarballs');
  mkdirSync(connectors, { recursive: true });
  mkdirSync(tarballs, { recursive: true });
  writeFileSync(path.join(core, 'package.json'), JSON.stringify({ name: '@logto/core' }));

  for (const { directory, packageName } of packages) {
    if (!existsSync(path.join(directory, 'lib/index.js'))) {
      throw new Error(`${directory}/lib/index.js is missing: run the build first (npx --yes pnpm@10 build)`);
    }
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', tarballs], {
        cwd: directory,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
    ) as Array<{ filename: string }>;
    if (!packed) {
      throw new Error(`npm pack produced nothing in ${directory}`);
    }
    const target = path.join(connectors, packageName.replace('/', '-'));
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(tarballs, path.basename(packed.filename)), '-C', target, '--strip-components=1']);
  }
  return connectors;
};

/** The loader and the test must share one @logto/connector-kit, or `instanceof ConnectorError` proves nothing. */
export const connectorKitCopies = (): string[] => {
  const fromRoot = createRequire(path.join(repositoryRoot, 'package.json'));
  const fromCli = createRequire(fromRoot.resolve('@logto/cli/package.json'));
  return [...new Set([fromRoot.resolve('@logto/connector-kit'), fromCli.resolve('@logto/connector-kit')])];
};

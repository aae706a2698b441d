import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { packedForThisFile, publishablePackages, repositoryRoot, workspacePackages } from './packed';

/**
 * What `pnpm publish -r` would publish, after `pnpm build`: every publishable package's tarball holds
 * exactly its bundle, logo, README, LICENSE and package.json. (npm, which `sms-connector install`
 * packs with, is held to the same `files` by packages/cli/test/install.test.ts.)
 */

// The Mozilla Public License 2.0 as Mozilla publishes it in its own packages (web-ext,
// webextension-polyfill, eslint-plugin-no-unsanitized ship this file byte for byte); the SPDX list's
// licenseText differs only in Exhibit A's example URL (https), one trailing space and the final newline.
const mpl20Sha256 = '1f256ecad192880510e84ad60474eab7589218784b9a50bc7ceee34c2b91f1d5';
const expectedFiles = ['LICENSE', 'README.md', 'lib/index.js', 'logo.svg', 'package.json'];

const rootLicense = readFileSync(path.join(repositoryRoot, 'LICENSE'));
const publishable = publishablePackages();

describe('LICENSE', () => {
  it('is the Mozilla Public License 2.0 text, unchanged', () => {
    expect(createHash('sha256').update(rootLicense).digest('hex')).toBe(mpl20Sha256);
    expect(rootLicense.toString('utf8')).toMatch(/^Mozilla Public License Version 2\.0\n={34}\n/);
  });

  it.each(publishable.map(({ dir }) => dir))('packages/%s/LICENSE is a copy of the root LICENSE', (dir) => {
    const copy = path.join(repositoryRoot, 'packages', dir, 'LICENSE');
    expect(existsSync(copy) && readFileSync(copy).equals(rootLicense)).toBe(true);
  });

  it('every package says MPL-2.0; only the connectors are publishable', () => {
    expect(publishable.map(({ dir }) => dir).sort()).toEqual(
      readdirSync(path.join(repositoryRoot, 'packages'))
        .filter((name) => /^connector-[a-z]+-sms$/.test(name))
        .sort()
    );
    for (const { dir, packageJson } of workspacePackages()) {
      expect({ dir, license: packageJson.license }).toEqual({ dir, license: 'MPL-2.0' });
    }
  });
});

describe('packed tarballs', () => {
  const files = packedForThisFile('sms-suite-tarballs-');

  const byDir = (dir: string) => files.packed.find((entry) => entry.dir === dir)!;

  it.each(publishable.map(({ dir }) => dir))(
    '%s: exactly its bundle, logo, README, LICENSE and package.json',
    (dir) => {
      const { directory, entries, packageJson } = byDir(dir);
      expect([...entries.keys()].sort()).toEqual(expectedFiles);
      expect(entries.get('LICENSE')!.equals(rootLicense)).toBe(true);
      for (const file of ['lib/index.js', 'logo.svg', 'README.md']) {
        expect({ file, same: entries.get(file)!.equals(readFileSync(path.join(directory, file))) }).toEqual({
          file,
          same: true,
        });
      }
      const manifest = JSON.parse(entries.get('package.json')!.toString('utf8')) as Record<string, unknown>;
      expect(manifest).toMatchObject({ name: packageJson.name, version: packageJson.version, license: 'MPL-2.0' });
      // pnpm replaces workspace: ranges on packing; none may reach the registry.
      expect(JSON.stringify(manifest)).not.toContain('workspace:');
    }
  );
});

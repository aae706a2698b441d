import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

import { packPublishable, publishablePackages, type PackedPackage } from './packed';

/**
 * publint (https://publint.dev) on the tarball `pnpm publish -r` would publish, for every publishable
 * package, after `pnpm build`: an error or a warning fails; suggestions are printed. Then the
 * release metadata every publishable package carries alike.
 */

const publishable = publishablePackages();

describe('publint', () => {
  let destination: string;
  let packed: PackedPackage[];

  beforeAll(async () => {
    for (const { dir, directory } of publishable) {
      if (!existsSync(path.join(directory, 'lib/index.js'))) {
        throw new Error(`packages/${dir}/lib/index.js is missing: run the build first (npx --yes pnpm@10 build)`);
      }
    }
    destination = mkdtempSync(path.join(tmpdir(), 'sms-suite-publint-'));
    packed = await packPublishable(destination);
  }, 120_000);

  afterAll(() => {
    if (destination) {
      rmSync(destination, { recursive: true, force: true });
    }
  });

  it.each(publishable.map(({ dir }) => dir))('%s: no error and no warning', async (dir) => {
    const { tarball } = packed.find((entry) => entry.dir === dir)!;
    const bytes = readFileSync(tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      level: 'suggestion',
    });
    const listOf = (type: string) =>
      messages
        .filter((message) => message.type === type)
        .map((message) => `${message.code}: ${formatMessage(message, pkg, { color: false }) ?? ''}`);
    const suggestions = listOf('suggestion');
    if (suggestions.length > 0) {
      console.info(`publint suggestions for ${dir}:\n  ${suggestions.join('\n  ')}`);
    }
    expect({ errors: listOf('error'), warnings: listOf('warning') }).toEqual({ errors: [], warnings: [] });
  });
});

describe('release metadata', () => {
  const repositoryUrls = new Set(
    publishable.map(({ packageJson }) => (packageJson.repository as { url?: unknown } | undefined)?.url)
  );

  it('one repository URL for every publishable package', () => {
    expect(repositoryUrls.size).toBe(1);
    expect([...repositoryUrls][0]).toMatch(/^git\+https:\/\/\S+\.git$/);
  });

  it.each(publishable.map(({ dir }) => dir))(
    '%s: repository directory, engines, keywords, public access and a changelog entry for its version',
    (dir) => {
      const { directory, packageJson } = publishable.find((entry) => entry.dir === dir)!;
      expect(packageJson).toMatchObject({
        license: 'MPL-2.0',
        repository: { type: 'git', url: expect.any(String), directory: `packages/${dir}` },
        engines: { node: expect.stringMatching(/^>=20/) },
        description: expect.stringMatching(/\S/),
        keywords: expect.arrayContaining(['logto', 'connector', 'sms']),
        files: expect.arrayContaining(['lib/index.js', 'logo.svg', 'README.md', 'LICENSE']),
        publishConfig: { access: 'public' },
      });
      const changelog = readFileSync(path.join(directory, 'CHANGELOG.md'), 'utf8');
      expect(changelog.startsWith(`# ${packageJson.name}\n\n## ${packageJson.version}\n`)).toBe(true);
    }
  );
});

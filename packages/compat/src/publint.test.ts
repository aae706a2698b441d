import { readFileSync } from 'node:fs';
import path from 'node:path';

import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

import { packedForThisFile, publishablePackages } from './packed';

/**
 * publint (https://publint.dev) on the tarball `pnpm publish -r` would publish, for every publishable
 * package, after `pnpm build`: an error or a warning fails; suggestions are printed. Then the
 * release metadata every publishable package carries alike.
 */

const publishable = publishablePackages();

describe('publint', () => {
  const files = packedForThisFile('sms-suite-publint-');

  it.each(publishable.map(({ dir }) => dir))('%s: no error and no warning', async (dir) => {
    const { tarball } = files.packed.find((entry) => entry.dir === dir)!;
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

import { readFileSync } from 'node:fs';

import { providerConfigGuard } from '@sms-suite/sms-kit';

import { metadata } from './index';
import { tencent, tencentSmsRegions } from './provider';

const tencentConfigGuard = providerConfigGuard(tencent);

const file = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

describe('package', () => {
  const readme = file('README.md');

  it('ships a README whose title is the connector name, English first, then 简体中文', () => {
    expect(readme.startsWith(`# ${metadata.name.en}\n`)).toBe(true);
    const english = readme.indexOf('\n## English\n');
    const chinese = readme.indexOf('\n## 简体中文\n');
    expect(english).toBeGreaterThan(0);
    expect(chinese).toBeGreaterThan(readme.indexOf('### 6. Install into Logto'));
    expect(readme.indexOf('### 6. 安装到 Logto')).toBeGreaterThan(chinese);
  });

  it('has README config examples that validate, in both languages', () => {
    const examples = [...readme.matchAll(/```json\n([^]*?)```/g)].map((match) => JSON.parse(match[1] ?? '') as unknown);
    expect(examples).toHaveLength(4);
    for (const example of examples) {
      expect(tencentConfigGuard.safeParse(example).success).toBe(true);
    }
  });

  it('documents every region the guard accepts and the single {1} placeholder', () => {
    for (const region of tencentSmsRegions) {
      expect(readme).toContain(`\`${region}\``);
    }
    expect(readme).toContain('exactly one variable');
    expect(readme).toContain('恰好有一个变量');
  });

  it('ships an SVG logo', () => {
    expect(file('logo.svg')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\n$/);
  });

  it('declares the package the way Logto loads it', () => {
    const manifest = JSON.parse(file('package.json')) as { dependencies?: Record<string, string> };
    expect(manifest).toEqual({
      name: '@sms-suite/connector-tencent-sms',
      version: expect.any(String),
      description: expect.any(String),
      type: 'module',
      main: './lib/index.js',
      exports: './lib/index.js',
      files: ['lib/index.js', 'logo.svg', 'README.md'],
      license: 'MPL-2.0',
      keywords: expect.any(Array),
      // Exactly these: the kit sends through node:http(s), so nothing else is installed next to Logto.
      dependencies: { '@logto/connector-kit': '>=5.0.1 <6', zod: '3.24.3' },
      // The kit is bundled into lib/index.js: a build-time dependency only.
      devDependencies: { '@sms-suite/sms-kit': 'workspace:*' },
      engines: { node: '>=20.11' },
    });
    expect(manifest.dependencies).not.toHaveProperty('ky');
  });
});

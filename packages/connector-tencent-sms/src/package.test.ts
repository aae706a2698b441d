import { providerConfigGuard } from '@sms-suite/sms-kit';
import { expectLoadableConnectorPackage, packageFile } from '@sms-suite/sms-kit/testing';

import { metadata } from './index';
import { tencent, tencentSmsRegions } from './provider';

const tencentConfigGuard = providerConfigGuard(tencent);

const packageFolder = new URL('..', import.meta.url);

describe('package', () => {
  const readme = packageFile(packageFolder, 'README.md');

  it('ships a README whose title is the connector name, English first, then 简体中文', () => {
    expect(readme.startsWith(`# ${metadata.name.en}\n`)).toBe(true);
    // The sections of both parts are checked for every connector in packages/compat/src/readmes.test.ts.
    const chinese = readme.indexOf('\n# 腾讯云短信 (SMS Suite)\n');
    expect(chinese).toBeGreaterThan(readme.indexOf('## 6. Install the connector into Logto'));
    expect(readme.indexOf('## 6. 将连接器安装到 Logto')).toBeGreaterThan(chinese);
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

  it('declares the package the way Logto loads it, with an SVG logo', () => {
    expectLoadableConnectorPackage(packageFolder, '@sms-suite/connector-tencent-sms');
  });
});

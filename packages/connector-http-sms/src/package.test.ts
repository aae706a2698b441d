import { parseConfig, providerConfigGuard, providerFormItems } from '@sms-suite/sms-kit';
import { expectLoadableConnectorPackage, packageFile } from '@sms-suite/sms-kit/testing';

import { metadata } from './index';
import { httpSms } from './provider';
import { gatewayErrorCodes, gatewayErrorOf } from './reply';

const httpSmsConfigGuard = providerConfigGuard(httpSms);
const httpSmsFormItems = providerFormItems(httpSms);

const packageFolder = new URL('..', import.meta.url);

describe('package', () => {
  const readme = packageFile(packageFolder, 'README.md');
  const chineseStart = readme.indexOf('\n# HTTP 短信 (SMS Suite)\n');
  const english = readme.slice(0, chineseStart);
  const chinese = readme.slice(chineseStart);
  const jsonBlocks = [...readme.matchAll(/```json\n([^]*?)```/g)].map((match) => JSON.parse(match[1] ?? '') as unknown);

  it('ships a README whose title is the connector name, English first, then 简体中文', () => {
    expect(readme.startsWith(`# ${metadata.name.en}\n`)).toBe(true);
    expect(chineseStart).toBeGreaterThan(english.indexOf('## 6. Install the connector into Logto'));
    expect(chinese).toContain('## 6. 将连接器安装到 Logto');
  });

  it('has README config examples that validate, in both languages', () => {
    const configs = jsonBlocks.filter((block) => typeof block === 'object' && block !== null && 'endpoint' in block);
    expect(configs).toHaveLength(4);
    for (const config of configs) {
      expect(() => parseConfig(httpSmsConfigGuard, config)).not.toThrow();
    }
  });

  it('documents an error body the connector reads, in both languages', () => {
    const errorBodies = jsonBlocks.filter((block) => gatewayErrorOf(block) !== undefined);
    expect(errorBodies).toHaveLength(2);
    expect(errorBodies.map(gatewayErrorOf)).toEqual([
      { code: 'invalid_recipient', message: '+1 650 253 0000 is a landline' },
      { code: 'invalid_recipient', message: '+1 650 253 0000 is a landline' },
    ]);
  });

  it.each([
    ['English', english],
    ['简体中文', chinese],
  ])('documents every config key, body field and contract code (%s)', (_, text) => {
    for (const { key } of httpSmsFormItems) {
      expect(text).toContain(`| \`${key}\` |`);
    }
    for (const field of ['to', 'type', 'payload', 'ip', 'phoneNumber', 'message']) {
      expect(text).toContain(`| \`${field}\` |`);
    }
    for (const code of Object.keys(gatewayErrorCodes)) {
      expect(text).toContain(`\`${code}\``);
    }
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'Retry-After', 'X-Request-Id']) {
      expect(text).toContain(header);
    }
  });

  it('declares the package the way Logto loads it, with an SVG logo', () => {
    // The devDependency is the independent Standard Webhooks implementation the signing tests verify against.
    expectLoadableConnectorPackage(packageFolder, '@sms-suite/connector-http-sms', {
      '@sms-suite/sms-kit': 'workspace:*',
      standardwebhooks: '1.0.0',
    });
  });
});

import { readFileSync } from 'node:fs';

import { ConnectorErrorCodes, connectorConfigFormItemGuard, TemplateType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  parseConfig,
  providerConfigGuard,
  providerFormItems,
  sharedConfigKeys,
  templateTypes,
} from '@sms-suite/sms-kit';
import { configRejection } from '@sms-suite/sms-kit/testing';
import { ZodError } from 'zod';

import { aliyun, defaultEndpoint, internationalEndpoint, placeholderTemplateCode } from './provider';
import { testConfig } from '../test/support';

const aliyunConfigGuard = providerConfigGuard(aliyun);
const aliyunFormItems = providerFormItems(aliyun);
const { secretKeys } = aliyun;

const invalidConfig = (config: unknown) => configRejection(aliyunConfigGuard, config);

describe('aliyunConfigGuard', () => {
  it('accepts a saved config of the official connector: type, { china, overseas } and strictPhoneRegionNumberCheck', () => {
    const saved = {
      accessKeyId: 'LTAI5tFakeKeyId0123456',
      accessKeySecret: 'secret',
      signName: '阿里云',
      strictPhoneRegionNumberCheck: true,
      templates: [
        { type: 2, usageType: 'SignIn', templateCode: { china: 'SMS_1', overseas: 'SMS_2' } },
        { type: 2, usageType: 'Register', templateCode: 'SMS_3' },
        { type: 2, usageType: 'ForgotPassword', templateCode: 'SMS_4' },
        { type: 6, usageType: 'Generic', templateCode: 'SMS_5' },
      ],
    };
    expect(parseConfig(aliyunConfigGuard, saved)).toEqual(saved);
  });

  it('accepts every new optional field', () => {
    const config = {
      ...testConfig,
      endpoint: internationalEndpoint,
      timeout: 5000,
      defaultRegion: 'hk',
    };
    expect(parseConfig(aliyunConfigGuard, config)).toEqual({ ...config, defaultRegion: 'HK' });
  });

  it.each(['http://127.0.0.1:4010', 'http://localhost:4010/aliyun', internationalEndpoint])(
    'accepts the endpoint %s',
    (endpoint) => {
      expect(parseConfig(aliyunConfigGuard, { ...testConfig, endpoint }).endpoint).toBe(endpoint);
    }
  );

  it('accepts a config whose optional fields the console removed', () => {
    const { endpoint, timeout, defaultRegion, ...rest } = parseConfig(aliyunConfigGuard, testConfig);
    expect([endpoint, timeout, defaultRegion]).toEqual([undefined, undefined, undefined]);
    expect(rest).toEqual(testConfig);
  });

  it('accepts a one-sided { china } or { overseas } template code', () => {
    const config = {
      ...testConfig,
      templates: [
        { usageType: 'Generic', templateCode: { china: 'SMS_1' } },
        { usageType: 'SignIn', templateCode: { overseas: 'SMS_2' } },
      ],
    };
    expect(parseConfig(aliyunConfigGuard, config).templates).toEqual(config.templates);
  });

  it('accepts the legacy "Test" usage type as the Generic fallback', () => {
    const config = { ...testConfig, templates: [{ usageType: 'Test', templateCode: 'SMS_1' }] };
    expect(parseConfig(aliyunConfigGuard, config).templates).toEqual(config.templates);
  });

  it('trims pasted values', () => {
    const parsed = parseConfig(aliyunConfigGuard, {
      ...testConfig,
      accessKeyId: '  LTAI5tFakeKeyId0123456 ',
      signName: ' 阿里云 ',
      templates: [{ usageType: 'Generic', templateCode: ' SMS_1 ' }],
    });
    expect([parsed.accessKeyId, parsed.signName, parsed.templates?.[0]?.templateCode]).toEqual([
      'LTAI5tFakeKeyId0123456',
      '阿里云',
      'SMS_1',
    ]);
  });

  const { accessKeyId: _id, ...withoutId } = testConfig;
  const { accessKeySecret: _secret, ...withoutSecret } = testConfig;
  const { signName: _sign, ...withoutSign } = testConfig;
  const { templates: _templates, ...withoutTemplates } = testConfig;

  it.each<[string, string, unknown, RegExp]>([
    ['no accessKeyId', 'accessKeyId', withoutId, /Required/],
    ['an empty accessKeyId', 'accessKeyId', { ...testConfig, accessKeyId: '  ' }, /AccessKey ID/],
    ['no accessKeySecret', 'accessKeySecret', withoutSecret, /Required/],
    ['an empty accessKeySecret', 'accessKeySecret', { ...testConfig, accessKeySecret: '' }, /AccessKey secret/],
    ['no signName', 'signName', withoutSign, /Required/],
    ['an empty signName', 'signName', { ...testConfig, signName: '' }, /approved SMS signature/],
    ['no templates', 'templates', withoutTemplates, /Required/],
    ['an empty template list', 'templates', { ...testConfig, templates: [] }, /at least a "Generic"/],
    [
      'no Generic template',
      'templates',
      { ...testConfig, templates: [{ usageType: 'SignIn', templateCode: 'SMS_1' }] },
      /"Generic" template without "locale"/,
    ],
    [
      'only a localized Generic template',
      'templates',
      { ...testConfig, templates: [{ usageType: 'Generic', locale: 'en', templateCode: 'SMS_1' }] },
      /"Generic" template without "locale"/,
    ],
    [
      'a template without templateCode',
      'templates.0.templateCode',
      { ...testConfig, templates: [{ usageType: 'Generic' }] },
      /templateCode must be a template code such as "SMS_154950909", or \{ "china"/,
    ],
    [
      'a numeric templateCode',
      'templates.0.templateCode',
      { ...testConfig, templates: [{ usageType: 'Generic', templateCode: 154950909 }] },
      /templateCode must be a template code/,
    ],
    [
      'an empty templateCode',
      'templates.0.templateCode',
      { ...testConfig, templates: [{ usageType: 'Generic', templateCode: '' }] },
      /must not be empty/,
    ],
    [
      'an empty china code',
      'templates.0.templateCode.china',
      { ...testConfig, templates: [{ usageType: 'Generic', templateCode: { china: '', overseas: 'SMS_2' } }] },
      /must not be empty/,
    ],
    [
      'an empty { } templateCode',
      'templates.0.templateCode',
      { ...testConfig, templates: [{ usageType: 'Generic', templateCode: {} }] },
      /needs "china", "overseas" or both/,
    ],
    [
      'a template without usageType',
      'templates.1.usageType',
      { ...testConfig, templates: [{ usageType: 'Generic', templateCode: 'SMS_1' }, { templateCode: 'SMS_2' }] },
      /Required/,
    ],
    [
      'a malformed locale',
      'templates.1.locale',
      {
        ...testConfig,
        templates: [
          { usageType: 'Generic', templateCode: 'SMS_1' },
          { usageType: 'SignIn', locale: 'english!', templateCode: 'SMS_2' },
        ],
      },
      /language tag/,
    ],
    ['an http endpoint', 'endpoint', { ...testConfig, endpoint: 'http://dysmsapi.aliyuncs.com' }, /https:\/\//],
    ['an endpoint that is not a URL', 'endpoint', { ...testConfig, endpoint: 'dysmsapi.aliyuncs.com' }, /absolute URL/],
    ['a timeout of 0', 'timeout', { ...testConfig, timeout: 0 }, /at least 1 ms/],
    ['a timeout above 60 s', 'timeout', { ...testConfig, timeout: 120_000 }, /at most 60000 ms/],
    ['a timeout that is not a number', 'timeout', { ...testConfig, timeout: 'soon' }, /number of milliseconds/],
    ['an unknown defaultRegion', 'defaultRegion', { ...testConfig, defaultRegion: 'China' }, /ISO 3166/],
    [
      'a non-boolean strictPhoneRegionNumberCheck',
      'strictPhoneRegionNumberCheck',
      { ...testConfig, strictPhoneRegionNumberCheck: 'yes' },
      /Expected boolean/,
    ],
  ])('rejects %s as invalid_config naming %s', (_case, path, config, message) => {
    const error = invalidConfig(config);
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toBeInstanceOf(ZodError);
    const issue = (error.data as ZodError).issues.find((entry) => entry.path.join('.') === path);
    expect(issue?.message).toMatch(message);

    const response = logtoResponseFor(error);
    expect(response.status).toBe(400);
    expect(response.code).toBe('connector.invalid_config');
    expect(response.toast).toContain("The connector's config is invalid.");
    expect(response.toast).toContain(`Error in key path "${path}"`);
  });

  it('rejects a config that is not an object', () => {
    expect(logtoResponseFor(invalidConfig(undefined)).code).toBe('connector.invalid_config');
    expect(logtoResponseFor(invalidConfig('{"accessKeyId":"x"}')).code).toBe('connector.invalid_config');
  });

  it('never echoes a secret in its validation errors', () => {
    const error = invalidConfig({ ...testConfig, signName: '', templates: 'SMS_1', endpoint: 'ftp://x' });
    const visible = [JSON.stringify(error.data), error.message, logtoResponseFor(error).toast].join('\n');
    expect(visible).toContain('Error in key path "signName"');
    expect(visible).not.toContain(testConfig.accessKeySecret);
    expect(visible).not.toContain(testConfig.accessKeyId);
  });
});

describe('aliyunFormItems', () => {
  it('are valid console form items with the credential fields first', () => {
    for (const item of aliyunFormItems) {
      expect(connectorConfigFormItemGuard.parse(item)).toEqual(item);
    }
    expect(aliyunFormItems.map((item) => item.key)).toEqual([
      'accessKeyId',
      'accessKeySecret',
      'signName',
      'endpoint',
      ...sharedConfigKeys,
    ]);
  });

  it('masks the secret and marks the required fields', () => {
    const byKey = Object.fromEntries(aliyunFormItems.map((item) => [item.key, item]));
    expect(byKey.accessKeySecret).toMatchObject({ isConfidential: true, required: true });
    expect(byKey.endpoint).toMatchObject({ required: false, placeholder: defaultEndpoint });
    expect(byKey.defaultRegion).toMatchObject({ required: false, placeholder: 'CN' });
    expect(secretKeys).toEqual(['accessKeyId', 'accessKeySecret']);
  });

  it('pre-fills one placeholder template per usage type, and the pre-filled config validates', () => {
    const templates = aliyunFormItems.find((item) => item.key === 'templates')?.defaultValue;
    expect(templates).toEqual(templateTypes.map((usageType) => ({ usageType, templateCode: placeholderTemplateCode })));
    expect((templates as Array<{ usageType: string }>).map((template) => template.usageType)).toEqual(
      expect.arrayContaining(Object.values(TemplateType))
    );
    expect(() =>
      parseConfig(aliyunConfigGuard, { accessKeyId: 'LTAI5t', accessKeySecret: 'secret', signName: 'Acme', templates })
    ).not.toThrow();
  });
});

describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('starts with the title the console shows', () => {
    expect(readme.split('\n')[0]).toBe('# Aliyun SMS (SMS Suite)');
  });

  it('shows config examples that validate, in both languages', () => {
    const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map(
      ([, json]) => JSON.parse(json ?? '') as unknown
    );
    expect(examples).toHaveLength(2);
    for (const example of examples) {
      expect(() => parseConfig(aliyunConfigGuard, example)).not.toThrow();
    }
  });
});

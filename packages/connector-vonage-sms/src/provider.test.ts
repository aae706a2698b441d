import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  providerConfigGuard,
  providerFormItems,
  templateTypes,
  sharedConfigKeys,
} from '@sms-suite/sms-kit';
import { configIssues, configRejection } from '@sms-suite/sms-kit/testing';

import { defaultEndpoint, vonage } from './provider';

const vonageConfigGuard = providerConfigGuard(vonage);
const vonageFormItems = providerFormItems(vonage);
const { secretKeys } = vonage;

const minimal = {
  apiKey: 'a1b2c3d4',
  apiSecret: 'S3cretS3cret1234',
  brandName: 'ExampleCo',
  templates: [{ usageType: 'Generic', content: 'Your code is {{code}}' }],
};

const issuesOf = (config: unknown) => configIssues(vonageConfigGuard, config);

describe('vonageConfigGuard', () => {
  it('accepts the legacy "Test" usage type of older Logto docs', () => {
    const config = { ...minimal, templates: [{ usageType: 'Test', content: 'Code {{code}}' }] };
    expect(vonageConfigGuard.parse(config)).toEqual(config);
  });

  it('leaves every new field optional: endpoint, timeout, defaultRegion, template locale', () => {
    expect(vonageConfigGuard.parse(minimal)).toEqual(minimal);
  });

  it('accepts the new fields when set', () => {
    const templates = [
      { usageType: 'Generic', content: 'Code {{code}}' },
      { usageType: 'Generic', locale: 'zh-CN', content: '验证码 {{code}}' },
    ];
    expect(
      vonageConfigGuard.parse({
        ...minimal,
        endpoint: 'https://rest.nexmo.com/',
        timeout: 8000,
        defaultRegion: 'gb',
        templates,
      })
    ).toEqual({ ...minimal, endpoint: 'https://rest.nexmo.com/', timeout: 8000, defaultRegion: 'GB', templates });
  });

  it.each([
    [defaultEndpoint],
    ['https://rest.nexmo.com/'],
    ['http://127.0.0.1:4010/vonage'],
    ['http://localhost:4010'],
  ])('accepts the endpoint %s', (endpoint) => {
    expect(issuesOf({ ...minimal, endpoint })).toEqual([]);
  });

  it.each([
    ['http://rest.nexmo.com', 'endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost)'],
    ['rest.nexmo.com', 'endpoint must be an absolute URL such as https://api.example.com'],
  ])('rejects the endpoint %s', (endpoint, message) => {
    expect(issuesOf({ ...minimal, endpoint })).toEqual([{ path: 'endpoint', message }]);
  });

  it.each([['ExampleCo'], ['<ExampleCo>'], ['Example Co1'], ['447911123456'], ['+12025550123']])(
    'accepts the brand name %j',
    (brandName) => {
      expect(issuesOf({ ...minimal, brandName })).toEqual([]);
    }
  );

  it.each([['ExampleCompany'], ['1234567890123456']])('rejects the brand name %j', (brandName) => {
    expect(issuesOf({ ...minimal, brandName })).toEqual([
      {
        path: 'brandName',
        message: 'brandName must be a name of at most 11 characters or a number of at most 15 digits',
      },
    ]);
  });

  it.each([
    [{ ...minimal, apiKey: undefined }, 'apiKey'],
    [{ ...minimal, apiKey: '' }, 'apiKey'],
    [{ ...minimal, apiSecret: undefined }, 'apiSecret'],
    [{ ...minimal, apiSecret: ' ' }, 'apiSecret'],
    [{ ...minimal, brandName: '' }, 'brandName'],
    [{ ...minimal, templates: [] }, 'templates'],
    [{ ...minimal, templates: [{ usageType: 'Generic', content: '' }] }, 'templates.0.content'],
    [{ ...minimal, templates: [{ content: 'x' }] }, 'templates.0.usageType'],
    [{ ...minimal, timeout: 0 }, 'timeout'],
    [{ ...minimal, defaultRegion: 'Britain' }, 'defaultRegion'],
  ])('names the field at fault (%#: %s)', (config, path) => {
    expect(issuesOf(config).map((issue) => issue.path)).toEqual([path]);
  });

  it('reports a bad config as invalid_config with the key path in the toast', () => {
    expect(logtoResponseFor(configRejection(vonageConfigGuard, { ...minimal, apiSecret: undefined }))).toEqual({
      status: 400,
      code: 'connector.invalid_config',
      toast: `The connector's config is invalid.\nError in key path "apiSecret": (invalid_type) Required`,
    });
  });
});

describe('vonageFormItems', () => {
  const byKey = (key: string) => vonageFormItems.find((item) => item.key === key);

  it('has one form item per config field, the required ones first', () => {
    const policyKeys = sharedConfigKeys.slice(3);
    expect(vonageFormItems.map((item) => [item.key, item.required])).toEqual([
      ['apiKey', true],
      ['apiSecret', true],
      ['brandName', true],
      ['endpoint', false],
      ['templates', true],
      ['timeout', false],
      ['defaultRegion', false],
      ...policyKeys.map((key) => [key, false]),
    ]);
  });

  it('treats the API key and secret as secrets, and masks them in the console', () => {
    expect(secretKeys).toEqual(['apiKey', 'apiSecret']);
    // The console masks keys ending in Key or Secret; apiSecret is explicit as well.
    expect(byKey('apiSecret')).toMatchObject({ isConfidential: true, type: ConnectorConfigFormItemType.Text });
    expect(/(Key|Secret)$/.test('apiKey')).toBe(true);
  });

  it('pre-fills one template per type, and a config made of the defaults validates', () => {
    const templates = byKey('templates')?.defaultValue as Array<{ usageType: string; content: string }>;
    expect(templates.map((template) => template.usageType)).toEqual([...templateTypes]);
    expect(issuesOf({ ...minimal, templates })).toEqual([]);
  });
});

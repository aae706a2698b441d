import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  parseConfig,
  providerConfigGuard,
  providerFormItems,
  sharedConfigKeys,
} from '@sms-suite/sms-kit';
import { configRejection } from '@sms-suite/sms-kit/testing';

import { tencent, tencentSmsRegions } from './provider';
import { fullConfig, officialConfig, secretKey } from '../test/support';

const tencentConfigGuard = providerConfigGuard(tencent);
const tencentFormItems = providerFormItems(tencent);
const { secretKeys } = tencent;

const parse = (config: unknown) => parseConfig(tencentConfigGuard, config);

const invalid = (config: unknown) => logtoResponseFor(configRejection(tencentConfigGuard, config));

describe('tencentConfigGuard', () => {
  it('accepts the mainland + international shape: templateCode { china, overseas } and overseasSignName', () => {
    expect(parse(fullConfig)).toEqual(fullConfig);
  });

  it('accepts every optional field, and a config without any of them (as after a console save)', () => {
    const config = {
      ...officialConfig,
      endpoint: 'https://sms.intl.tencentcloudapi.com',
      timeout: 5000,
      defaultRegion: 'gb',
      overseasSignName: 'Acme',
      templates: [...officialConfig.templates, { usageType: 'SignIn', locale: 'zh-CN', templateCode: '1000005' }],
    };
    expect(parse(config)).toEqual({ ...config, defaultRegion: 'GB' });
    expect(parse(officialConfig)).toEqual(officialConfig);
  });

  it.each(tencentSmsRegions)('accepts region %s', (region) => {
    expect(parse({ ...officialConfig, region }).region).toBe(region);
  });

  it('accepts a templateCode with one side only', () => {
    const templates = [
      { usageType: 'Generic', templateCode: { china: '1000004' } },
      { usageType: 'SignIn', templateCode: { overseas: '2000002' } },
    ];
    expect(parse({ ...officialConfig, templates }).templates).toEqual(templates);
  });

  it('normalises the region and accepts IDs typed as numbers', () => {
    const parsed = parse({
      ...officialConfig,
      region: ' AP-Beijing ',
      sdkAppId: 1_400_006_666,
      templates: [{ usageType: 'Generic', templateCode: 1_000_004 }],
    });
    expect(parsed.region).toBe('ap-beijing');
    expect(parsed.sdkAppId).toBe('1400006666');
    expect(parsed.templates).toEqual([{ usageType: 'Generic', templateCode: '1000004' }]);
  });

  it('accepts the legacy "Test" usage type as the Generic template', () => {
    expect(
      parse({ ...officialConfig, templates: [{ usageType: 'Test', templateCode: '1000004' }] }).templates
    ).toHaveLength(1);
  });

  it('accepts an http endpoint on loopback (local sandbox) and the regional hosts', () => {
    for (const endpoint of [
      'http://127.0.0.1:8787',
      'http://localhost:8787/',
      'http://127.0.0.1:8787/tencent',
      'https://sms.ap-guangzhou.tencentcloudapi.com',
      'https://sms.intl.tencentcloudapi.com/',
    ]) {
      expect(parse({ ...officialConfig, endpoint }).endpoint).toBe(endpoint);
    }
  });

  const regionList = tencentSmsRegions.join(', ');

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown region',
      { region: 'ap-shanghai' },
      `Error in key path "region": (invalid_enum_value) region must be one of ${regionList}`,
    ],
    [
      'a missing region',
      { region: undefined },
      `Error in key path "region": (invalid_type) region must be one of ${regionList}`,
    ],
    [
      'a missing accessKeyId',
      { accessKeyId: undefined },
      'Error in key path "accessKeyId": (invalid_type) accessKeyId is required',
    ],
    [
      'a blank accessKeySecret',
      { accessKeySecret: '  ' },
      'Error in key path "accessKeySecret": (too_small) accessKeySecret is the SecretKey',
    ],
    [
      'a non-numeric sdkAppId',
      { sdkAppId: 'my-app' },
      'Error in key path "sdkAppId": (invalid_string) sdkAppId must be the SDK AppID',
    ],
    [
      'a missing sdkAppId',
      { sdkAppId: undefined },
      'Error in key path "sdkAppId": (invalid_type) sdkAppId is required',
    ],
    [
      'an empty signName',
      { signName: '' },
      'Error in key path "signName": (too_small) signName is the approved signature content',
    ],
    [
      'no templates',
      { templates: [] },
      'Error in key path "templates": (too_small) templates needs at least a "Generic" template',
    ],
    [
      'a placeholder template ID',
      { templates: [{ usageType: 'Generic', templateCode: '<template-id>' }] },
      'Error in key path "templates.0.templateCode": (invalid_string) templateCode must be the numeric template ID',
    ],
    [
      'an empty { } templateCode',
      { templates: [{ usageType: 'Generic', templateCode: {} }] },
      'Error in key path "templates.0.templateCode": (custom) templateCode needs "china", "overseas" or both',
    ],
    [
      'a { china, overseas } templateCode with a placeholder',
      { templates: [{ usageType: 'Generic', templateCode: { china: '1000004', overseas: 'TBD' } }] },
      'Error in key path "templates.0.templateCode.overseas": (invalid_string) overseas must be the numeric template ID',
    ],
    [
      'a missing templateCode',
      { templates: [{ usageType: 'Generic' }] },
      'Error in key path "templates.0.templateCode": (invalid_type) templateCode is required',
    ],
    [
      'a templateCode of the wrong type',
      { templates: [{ usageType: 'Generic', templateCode: true }] },
      'Error in key path "templates.0.templateCode": (invalid_type) templateCode must be a template ID such as "1000001", or { "china"',
    ],
    [
      'no Generic template without locale',
      {
        templates: [
          { usageType: 'SignIn', templateCode: '1000002' },
          { usageType: 'Generic', locale: 'en', templateCode: '1000004' },
        ],
      },
      'Error in key path "templates": (custom) templates needs a "Generic" template without "locale"',
    ],
    [
      'two templates for the same type and locale',
      {
        templates: [
          { usageType: 'Generic', templateCode: '1000004' },
          { usageType: 'Test', templateCode: '1000005' },
        ],
      },
      'Error in key path "templates.1": (custom) templates has a second entry for usageType "Test"',
    ],
    [
      'a bad template locale',
      { templates: [{ usageType: 'Generic', locale: 'english!', templateCode: '1' }] },
      'Error in key path "templates.0.locale"',
    ],
    [
      'a plain-http public endpoint',
      { endpoint: 'http://sms.tencentcloudapi.com' },
      'Error in key path "endpoint": (custom) endpoint must be an https:// URL',
    ],
    [
      'an endpoint with a query',
      { endpoint: 'https://sms.tencentcloudapi.com/?region=x' },
      'Error in key path "endpoint": (custom) endpoint must be a base URL such as https://sms.tencentcloudapi.com (no query',
    ],
    [
      'an endpoint with credentials',
      { endpoint: 'https://user:pass@sms.tencentcloudapi.com' },
      'Error in key path "endpoint": (custom) endpoint must not contain a user name or password',
    ],
    ['a timeout of 0', { timeout: 0 }, 'Error in key path "timeout": (too_small) timeout must be at least 1 ms'],
    [
      'a timeout over 60 s',
      { timeout: 600_000 },
      'Error in key path "timeout": (too_big) timeout must be at most 60000 ms',
    ],
    [
      'an unknown defaultRegion',
      { defaultRegion: 'XX' },
      'Error in key path "defaultRegion": (custom) defaultRegion must be an ISO 3166',
    ],
  ])('rejects %s with invalid_config naming the key', (_name, change, line) => {
    const response = invalid({ ...officialConfig, ...change });
    expect(response.status).toBe(400);
    expect(response.code).toBe('connector.invalid_config');
    expect(response.toast.split('\n')[0]).toBe("The connector's config is invalid.");
    expect(response.toast).toContain(line);
  });

  it('rejects a config that is not an object', () => {
    expect(invalid(undefined).toast).toContain('(invalid_type) Required');
    expect(invalid('{}').toast).toContain('(invalid_type) Expected object, received string');
  });

  it('never echoes a secret in a config error', () => {
    const response = invalid({ ...officialConfig, region: secretKey, sdkAppId: secretKey });
    expect(response.toast).toContain('Error in key path "region"');
    expect(response.toast).not.toContain(secretKey);
  });
});

describe('form items', () => {
  // The guard's keys: the provider's own fields and the ones the kit adds.
  const shapeKeys = [...Object.keys(tencent.fields), ...sharedConfigKeys];

  it('cover every config key, and only those', () => {
    expect(tencentFormItems.map((item) => item.key).sort()).toEqual([...shapeKeys].sort());
  });

  it('mask the SecretKey and list exactly the valid regions', () => {
    for (const key of secretKeys) {
      const item = tencentFormItems.find((entry) => entry.key === key);
      expect(item).toMatchObject({ type: ConnectorConfigFormItemType.Text, isConfidential: true });
    }
    const region = tencentFormItems.find((item) => item.key === 'region');
    expect(region?.type).toBe(ConnectorConfigFormItemType.Select);
    expect(region && 'selectItems' in region ? region.selectItems.map((item) => item.value) : []).toEqual([
      ...tencentSmsRegions,
    ]);
    expect(region?.defaultValue).toBe('ap-guangzhou');
  });

  it('mark exactly the keys the guard requires as required', () => {
    const required = tencentFormItems
      .filter((item) => item.required)
      .map((item) => item.key)
      .sort();
    expect(required).toEqual(['accessKeyId', 'accessKeySecret', 'region', 'sdkAppId', 'templates']);
  });

  it('prefill a Generic template whose placeholder ID the guard reports clearly', () => {
    const templates = tencentFormItems.find((item) => item.key === 'templates')?.defaultValue;
    expect(templates).toEqual([{ usageType: 'Generic', templateCode: '<template-id>' }]);
    expect(invalid({ ...officialConfig, templates }).toast).toContain('Error in key path "templates.0.templateCode"');
  });

  it('document CN as the default region', () => {
    expect(tencentFormItems.find((item) => item.key === 'defaultRegion')).toMatchObject({ placeholder: 'CN' });
  });
});

describe('endpoint that is not a URL', () => {
  it('is reported on its key path, never as a TypeError', () => {
    const result = tencentConfigGuard.safeParse({ ...fullConfig, endpoint: 'not a url' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map(({ path }) => path.join('.'))).toEqual(['endpoint']);
  });
});

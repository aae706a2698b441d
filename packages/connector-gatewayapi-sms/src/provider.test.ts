import { ConnectorConfigFormItemType, TemplateType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  providerConfigGuard,
  providerFormItems,
  sharedConfigKeys,
  templateTypes,
} from '@sms-suite/sms-kit';
import { configIssues, configRejection } from '@sms-suite/sms-kit/testing';

import { defaultEndpoint, euEndpoint, gatewayApi } from './provider';

const gatewayApiConfigGuard = providerConfigGuard(gatewayApi);
const gatewayApiFormItems = providerFormItems(gatewayApi);
const { secretKeys } = gatewayApi;

const minimal = {
  apiToken: 'tok-1234567890',
  sender: 'ExampleCo',
  templates: [{ usageType: 'Generic', content: 'Your code is {{code}}' }],
};

const issuesOf = (config: unknown) => configIssues(gatewayApiConfigGuard, config);

describe('gatewayApiConfigGuard', () => {
  it('accepts the legacy "Test" usage type of older Logto docs', () => {
    const config = { ...minimal, templates: [{ usageType: 'Test', content: 'Code {{code}}' }] };
    expect(gatewayApiConfigGuard.parse(config)).toEqual(config);
  });

  it('leaves every new field optional: endpoint, timeout, defaultRegion, template locale', () => {
    const parsed = gatewayApiConfigGuard.parse(minimal);
    expect(parsed).toEqual(minimal);
    expect(parsed.endpoint).toBeUndefined();
    expect(parsed.timeout).toBeUndefined();
    expect(parsed.defaultRegion).toBeUndefined();
  });

  it('accepts the new fields when set', () => {
    expect(
      gatewayApiConfigGuard.parse({
        ...minimal,
        endpoint: euEndpoint,
        timeout: '5000',
        defaultRegion: 'dk',
        templates: [
          { usageType: 'Generic', content: 'Code {{code}}' },
          { usageType: 'Generic', locale: 'da', content: 'Kode {{code}}' },
        ],
      })
    ).toEqual({
      ...minimal,
      endpoint: euEndpoint,
      timeout: 5000,
      defaultRegion: 'DK',
      templates: [
        { usageType: 'Generic', content: 'Code {{code}}' },
        { usageType: 'Generic', locale: 'da', content: 'Kode {{code}}' },
      ],
    });
  });

  it.each([
    [defaultEndpoint],
    [euEndpoint],
    ['http://127.0.0.1:4010/gatewayapi/rest/mtsms'],
    ['http://localhost:4010/rest/mtsms'],
  ])('accepts the endpoint %s', (endpoint) => {
    expect(issuesOf({ ...minimal, endpoint })).toEqual([]);
  });

  it.each([
    ['http://gatewayapi.com/rest/mtsms', 'endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost)'],
    ['gatewayapi.com/rest/mtsms', 'endpoint must be an absolute URL such as https://api.example.com'],
  ])('rejects the endpoint %s', (endpoint, message) => {
    expect(issuesOf({ ...minimal, endpoint })).toEqual([{ path: 'endpoint', message }]);
  });

  it.each([['ExampleCo'], ['<ExampleCo>'], ['Example Co1'], ['4512345678'], ['+451234567890123'], ['123456789012345']])(
    'accepts the sender %j',
    (sender) => {
      expect(issuesOf({ ...minimal, sender })).toEqual([]);
    }
  );

  it.each([['ExampleCompany'], ['1234567890123456'], ['Example\nCo']])('rejects the sender %j', (sender) => {
    expect(issuesOf({ ...minimal, sender })).toEqual([
      { path: 'sender', message: 'sender must be a name of at most 11 characters or a number of at most 15 digits' },
    ]);
  });

  it.each([
    [{ ...minimal, apiToken: undefined }, 'apiToken'],
    [{ ...minimal, apiToken: '  ' }, 'apiToken'],
    [{ ...minimal, sender: '' }, 'sender'],
    [{ ...minimal, templates: [] }, 'templates'],
    [{ ...minimal, templates: undefined }, 'templates'],
    [{ ...minimal, templates: [{ usageType: 'Generic' }] }, 'templates.0.content'],
    [
      {
        ...minimal,
        templates: [
          { usageType: 'Generic', content: 'x' },
          { usageType: 'SignIn', content: 'x', locale: 'not a locale' },
        ],
      },
      'templates.1.locale',
    ],
    [{ ...minimal, timeout: 60_001 }, 'timeout'],
    [{ ...minimal, timeout: 'soon' }, 'timeout'],
    [{ ...minimal, defaultRegion: 'XX' }, 'defaultRegion'],
  ])('names the field at fault (%#: %s)', (config, path) => {
    expect(issuesOf(config).map((issue) => issue.path)).toEqual([path]);
  });

  it('reports a bad config as invalid_config with the key path in the toast', () => {
    const response = logtoResponseFor(configRejection(gatewayApiConfigGuard, { ...minimal, apiToken: '' }));
    expect(response.status).toBe(400);
    expect(response.toast).toBe(
      `The connector's config is invalid.\nError in key path "apiToken": (too_small) apiToken is the API token from "API keys" in the GatewayAPI dashboard`
    );
  });
});

describe('gatewayApiFormItems', () => {
  const byKey = (key: string) => gatewayApiFormItems.find((item) => item.key === key);

  it('has one form item per config field', () => {
    expect(gatewayApiFormItems.map((item) => item.key)).toEqual([
      'endpoint',
      'apiToken',
      'sender',
      ...sharedConfigKeys,
    ]);
  });

  it('masks the API token in the console (its key does not end in Key or Secret)', () => {
    expect(secretKeys).toEqual(['apiToken']);
    expect(byKey('apiToken')).toMatchObject({
      isConfidential: true,
      required: true,
      type: ConnectorConfigFormItemType.Text,
    });
  });

  it('pre-fills one template per type, and a config made of the defaults validates', () => {
    const templates = byKey('templates')?.defaultValue as Array<{ usageType: string; content: string }>;
    expect(templates.map((template) => template.usageType)).toEqual([...templateTypes]);
    expect(templates.every((template) => template.content.includes('{{code}}'))).toBe(true);
    expect(templates.find((template) => template.usageType === TemplateType.Generic)).toBeDefined();
    expect(issuesOf({ apiToken: 'tok-1234567890', sender: 'ExampleCo', templates })).toEqual([]);
  });

  it('marks exactly apiToken, sender and templates as required', () => {
    expect(gatewayApiFormItems.filter((item) => item.required).map((item) => item.key)).toEqual([
      'apiToken',
      'sender',
      'templates',
    ]);
  });
});

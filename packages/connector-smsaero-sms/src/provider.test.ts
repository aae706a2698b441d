import { ConnectorConfigFormItemType, TemplateType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  parseConfig,
  providerConfigGuard,
  providerConfigShape,
  providerFormItems,
  templateTypes,
} from '@sms-suite/sms-kit';
import { configRejection } from '@sms-suite/sms-kit/testing';

import { defaultEndpoint, smsAero } from './provider';

const smsAeroConfigGuard = providerConfigGuard(smsAero);
const smsAeroFormItems = providerFormItems(smsAero);
const { secretKeys } = smsAero;

const valid = {
  email: 'admin@example.com',
  apiKey: 'k3y-0f-the-smsaero-account',
  senderName: 'SMS Aero',
  templates: [{ usageType: 'Generic', content: 'Your code is {{code}}' }],
};

describe('smsAeroConfigGuard', () => {
  it('accepts every optional field', () => {
    const config = parseConfig(smsAeroConfigGuard, {
      ...valid,
      endpoint: 'https://gate.smsaero.org/v2/',
      timeout: '5000',
      defaultRegion: 'ru',
      templates: [
        { usageType: 'Generic', content: 'Your code is {{code}}' },
        { usageType: 'SignIn', locale: 'ru-RU', content: 'Ваш код: {{code}}' },
      ],
    });
    expect(config).toEqual({
      ...valid,
      endpoint: 'https://gate.smsaero.org/v2/',
      timeout: 5000,
      defaultRegion: 'RU',
      templates: [
        { usageType: 'Generic', content: 'Your code is {{code}}' },
        { usageType: 'SignIn', locale: 'ru-RU', content: 'Ваш код: {{code}}' },
      ],
    });
  });

  it('trims credentials and the sender name', () => {
    expect(
      parseConfig(smsAeroConfigGuard, {
        ...valid,
        email: ' admin@example.com ',
        apiKey: ' key1 ',
        senderName: ' Acme ',
      })
    ).toMatchObject({ email: 'admin@example.com', apiKey: 'key1', senderName: 'Acme' });
  });

  it.each(['http://127.0.0.1:4010/smsaero/v2', 'http://localhost:8080/v2', 'https://gate.smsaero.net/v2'])(
    'accepts the endpoint %s',
    (endpoint) => {
      expect(parseConfig(smsAeroConfigGuard, { ...valid, endpoint }).endpoint).toBe(endpoint);
    }
  );

  it.each<[string, Record<string, unknown>, string, string]>([
    ['no email', { email: undefined }, 'email', 'Required'],
    [
      'an email without @',
      { email: 'admin.example.com' },
      'email',
      'email must be the email address you sign in to SMSAero with',
    ],
    ['an email with spaces', { email: 'ad min@example.com' }, 'email', 'email must be the email address'],
    ['no apiKey', { apiKey: undefined }, 'apiKey', 'Required'],
    ['an empty apiKey', { apiKey: '  ' }, 'apiKey', 'apiKey is the API key from "Settings → API and SMPP"'],
    ['an apiKey that is not text', { apiKey: 12345678 }, 'apiKey', 'Expected string, received number'],
    ['no senderName', { senderName: undefined }, 'senderName', 'Required'],
    [
      'an empty senderName',
      { senderName: '' },
      'senderName',
      'senderName must be a sender name approved in your SMSAero account',
    ],
    [
      'a plain-http endpoint',
      { endpoint: 'http://gate.smsaero.ru/v2' },
      'endpoint',
      'endpoint must be an https:// URL',
    ],
    ['a relative endpoint', { endpoint: 'gate.smsaero.ru/v2' }, 'endpoint', 'endpoint must be an absolute URL'],
    [
      'the full send URL as endpoint',
      { endpoint: 'https://gate.smsaero.ru/v2/sms/send/' },
      'endpoint',
      'without /sms/send',
    ],
    ['no templates', { templates: undefined }, 'templates', 'Required'],
    ['an empty template list', { templates: [] }, 'templates', 'templates needs at least a "Generic" template'],
    [
      'a template without content',
      { templates: [{ usageType: 'Generic', content: '' }] },
      'templates.0.content',
      'content must be the message text',
    ],
    ['a template without usageType', { templates: [{ content: 'x' }] }, 'templates.0.usageType', 'Required'],
    [
      'a bad template locale',
      { templates: [{ usageType: 'Generic', locale: 'english!', content: 'x' }] },
      'templates.0.locale',
      'locale must be a language tag',
    ],
    ['a timeout above the maximum', { timeout: 120_000 }, 'timeout', 'timeout must be at most 60000 ms'],
    ['a timeout that is not a number', { timeout: 'soon' }, 'timeout', 'timeout must be a number of milliseconds'],
    [
      'an unknown defaultRegion',
      { defaultRegion: 'XX' },
      'defaultRegion',
      'defaultRegion must be an ISO 3166 alpha-2 region code',
    ],
  ])('rejects %s as invalid_config naming the key', (_name, change, path, message) => {
    const response = logtoResponseFor(configRejection(smsAeroConfigGuard, { ...valid, ...change }));
    expect(response.status).toBe(400);
    expect(response.code).toBe('connector.invalid_config');
    expect(response.toast).toContain("The connector's config is invalid.");
    expect(response.toast).toContain(`Error in key path "${path}"`);
    expect(response.toast).toContain(message);
  });

  it('never echoes the API key when another field is wrong', () => {
    const toast = logtoResponseFor(configRejection(smsAeroConfigGuard, { ...valid, email: 'nope' })).toast;
    expect(toast).toContain('Error in key path "email"');
    expect(toast).not.toContain(valid.apiKey);
  });
});

describe('form items', () => {
  it('cover exactly the keys of the guard, the required ones marked required', () => {
    const shape = providerConfigShape(smsAero);
    const guardKeys = Object.keys(shape).sort();
    expect(smsAeroFormItems.map((item) => item.key).sort()).toEqual(guardKeys);
    const required = smsAeroFormItems
      .filter((item) => item.required)
      .map((item) => item.key)
      .sort();
    expect(required).toEqual(guardKeys.filter((key) => !shape[key]?.isOptional()));
  });

  it('mark every secret key confidential', () => {
    for (const key of secretKeys) {
      expect(smsAeroFormItems.find((item) => item.key === key)).toMatchObject({ isConfidential: true });
    }
  });

  it('show the default endpoint as placeholder', () => {
    expect(smsAeroFormItems.find((item) => item.key === 'endpoint')).toMatchObject({ placeholder: defaultEndpoint });
  });

  it('pre-fill one valid template per template type', () => {
    const templates = smsAeroFormItems.find((item) => item.key === 'templates');
    expect(templates?.type).toBe(ConnectorConfigFormItemType.Json);
    const defaults = (templates as { defaultValue?: unknown }).defaultValue as Array<{
      usageType: string;
      content: string;
    }>;
    expect(defaults.map((template) => template.usageType)).toEqual([...templateTypes]);
    expect(defaults.map((template) => template.usageType)).toContain(TemplateType.Generic);
    expect(parseConfig(smsAeroConfigGuard, { ...valid, templates: defaults }).templates).toHaveLength(9);
    for (const template of defaults) {
      expect(template.content).toContain('{{code}}');
    }
  });
});

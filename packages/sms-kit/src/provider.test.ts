import {
  ConnectorConfigFormItemType,
  ConnectorError,
  ConnectorErrorCodes,
  TemplateType,
  type ConnectorConfigFormItem,
} from '@logto/connector-kit';
import { z } from 'zod';

import { succeed } from './errors';
import { parsePhone } from './phone';
import { defineProvider, messageFor, providerConfigGuard, providerFormItems, providerSecrets } from './provider';

const base = {
  fields: { token: z.string().min(1), sender: z.string().optional() },
  secretKeys: ['token'] as const,
  formItems: [
    { key: 'token', label: 'Token', type: ConnectorConfigFormItemType.Text, required: true },
  ] as ConnectorConfigFormItem[],
  buildRequest: () => ({ method: 'POST' as const, url: 'https://sms.example.com/', headers: {}, body: '' }),
  readReply: () => succeed({}),
};

const textProvider = defineProvider({ ...base, name: 'Text', templates: { kind: 'text' } });
const optionalProvider = defineProvider({ ...base, name: 'Optional', templates: { kind: 'optionalText' } });
const codeProvider = defineProvider({
  ...base,
  name: 'Code',
  defaultRegion: 'CN',
  templates: {
    kind: 'code',
    code: (key) => z.string().regex(/^\d+$/, `${key} must be digits`),
    noun: 'ID',
    placeholder: '<id>',
    description: 'Template IDs.',
    extraFields: { type: z.number().optional() },
  },
});

const generic = { usageType: 'Generic', content: 'Code {{code}}' };
const issuesOf = (guard: ReturnType<typeof providerConfigGuard>, config: unknown) =>
  guard.safeParse(config).error?.issues.map(({ path, message }) => `${path.join('.')}: ${message}`);

describe('providerConfigGuard', () => {
  it('adds templates, timeout and defaultRegion to the provider fields', () => {
    const guard = providerConfigGuard(textProvider);
    expect(guard.parse({ token: 't', templates: [generic], timeout: '2500', defaultRegion: 'gb' })).toEqual({
      token: 't',
      templates: [generic],
      timeout: 2500,
      defaultRegion: 'GB',
    });
    expect(issuesOf(guard, { token: 't' })).toEqual(['templates: Required']);
    expect(issuesOf(guard, { token: 't', templates: [generic], timeout: 0 })).toEqual([
      'timeout: timeout must be at least 1 ms',
    ]);
  });

  it('applies the provider rules across fields after the fields', () => {
    const guard = providerConfigGuard(
      defineProvider({
        ...textProvider,
        refine: (config, context) => {
          if (!config.sender) {
            context.addIssue({ code: 'custom', path: ['sender'], message: 'sender is required here' });
          }
        },
      })
    );
    expect(issuesOf(guard, { token: 't', templates: [generic] })).toEqual(['sender: sender is required here']);
  });

  it('leaves templates out for optionalText, and requires a Generic once any is given', () => {
    const guard = providerConfigGuard(optionalProvider);
    expect(guard.parse({ token: 't' })).toEqual({ token: 't' });
    expect(issuesOf(guard, { token: 't', templates: [{ usageType: 'SignIn', content: 'x' }] })).toEqual([
      expect.stringMatching(/^templates: templates needs a "Generic" template without "locale"/),
    ]);
  });

  it('guards code templates with the provider guard, per side, and its extra fields', () => {
    const guard = providerConfigGuard(codeProvider);
    expect(
      guard.parse({
        token: 't',
        templates: [{ usageType: 'Generic', templateCode: { china: '1', overseas: '2' }, type: 2 }],
      })
    ).toMatchObject({ templates: [{ templateCode: { china: '1', overseas: '2' }, type: 2 }] });
    expect(
      issuesOf(guard, { token: 't', templates: [{ usageType: 'Generic', templateCode: { overseas: 'x' } }] })
    ).toEqual(['templates.0.templateCode.overseas: overseas must be digits']);
  });
});

describe('messageFor', () => {
  const data = (type: TemplateType, payload: Record<string, unknown> = { code: '42' }) => ({ to: '', type, payload });

  it('renders the template for the type and locale for text providers, Generic otherwise', () => {
    const templates = [generic, { usageType: 'SignIn', locale: 'fr', content: 'Votre code {{code}}' }];
    const phone = parsePhone('+33612345678');
    expect(
      messageFor(
        textProvider,
        { templates },
        { data: data(TemplateType.SignIn, { code: '42', locale: 'fr-CA' }), phone }
      )
    ).toEqual({
      data: data(TemplateType.SignIn, { code: '42', locale: 'fr-CA' }),
      phone,
      text: 'Votre code 42',
    });
    expect(messageFor(textProvider, { templates }, { data: data(TemplateType.BindMfa), phone })).toMatchObject({
      text: 'Code 42',
    });
  });

  it('passes no text for optionalText without templates', () => {
    const phone = parsePhone('+33612345678');
    expect(messageFor(optionalProvider, {}, { data: data(TemplateType.SignIn), phone })).toEqual({
      data: data(TemplateType.SignIn),
      phone,
    });
  });

  it('picks the china or overseas code by the number, and refuses a side the template leaves out', () => {
    const templates = [{ usageType: 'Generic', templateCode: { china: '100' } }];
    expect(
      messageFor(codeProvider, { templates }, { data: data(TemplateType.SignIn), phone: parsePhone('+8613800138000') })
    ).toMatchObject({ templateCode: '100', usageType: 'Generic' });
    let error: unknown;
    try {
      messageFor(codeProvider, { templates }, { data: data(TemplateType.SignIn), phone: parsePhone('+16502530000') });
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(JSON.stringify((error as ConnectorError).data)).toContain(
      'the \\"Generic\\" template has no \\"overseas\\" ID'
    );
  });
});

describe('providerFormItems and providerSecrets', () => {
  it('lists the provider items, then templates, timeout and default region (with the provider default)', () => {
    expect(providerFormItems(codeProvider).map(({ key }) => key)).toEqual([
      'token',
      'templates',
      'timeout',
      'defaultRegion',
      'allowedCountries',
      'blockedCountries',
      'sendLimits',
      'redisUrl',
      'sendLimitsOnStoreError',
      'sendLimitsMemoryKeys',
    ]);
    expect(providerFormItems(codeProvider)[3]).toMatchObject({
      placeholder: 'CN',
      description: expect.stringContaining('default CN'),
    });
    expect(providerFormItems(codeProvider)[1]?.defaultValue).toContainEqual({
      usageType: 'SignIn',
      templateCode: '<id>',
    });
    expect(providerFormItems(optionalProvider)[1]).toMatchObject({ key: 'templates', required: false });
  });

  it('counts the Redis URL and its password as secrets, even a password that is not valid percent-encoding', () => {
    expect(providerSecrets(textProvider, { token: 'abc', redisUrl: 'redis://:p%40ss@cache:6379' })).toEqual([
      'abc',
      'redis://:p%40ss@cache:6379',
      'p%40ss',
      'p@ss',
    ]);
    expect(providerSecrets(textProvider, { token: 'abc', redisUrl: 'redis://:%zz@cache' })).toEqual([
      'abc',
      'redis://:%zz@cache',
      '%zz',
    ]);
  });

  it('collects the secret keys and what the provider derives', () => {
    const derived = defineProvider({ ...textProvider, derivedSecrets: (config) => [config.token.slice(1)] });
    expect(providerSecrets(derived, { token: 'abc', sender: 'x' })).toEqual(['abc', 'bc']);
  });
});

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { z, ZodError } from 'zod';

import {
  defaultRegionGuard,
  endpointGuard,
  genericFallbackMessage,
  isLoopbackHost,
  parseConfig,
  templateBaseShape,
  templatesGuard,
  timeoutGuard,
} from './config';

const guard = z.object({
  endpoint: endpointGuard().optional(),
  gateway: endpointGuard({ allowHttp: true }).optional(),
  timeout: timeoutGuard,
  defaultRegion: defaultRegionGuard,
  templates: z.array(z.object(templateBaseShape)).optional(),
});

const issuesOf = (config: unknown) => {
  try {
    parseConfig(guard, config);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect((error as ConnectorError).data).toBeInstanceOf(ZodError);
    return ((error as ConnectorError).data as ZodError).issues.map((issue) => [issue.path.join('.'), issue.message]);
  }
  return [];
};

describe('shared config guards', () => {
  it('accepts an empty config: every shared field is optional', () => {
    expect(parseConfig(guard, {})).toEqual({});
  });

  it('normalises values', () => {
    expect(parseConfig(guard, { timeout: '2500', defaultRegion: ' cn ', endpoint: ' https://a.example.com ' })).toEqual(
      {
        timeout: 2500,
        defaultRegion: 'CN',
        endpoint: 'https://a.example.com',
      }
    );
  });

  it.each([
    [
      { endpoint: 'http://api.example.com' },
      'endpoint',
      'endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost)',
    ],
    [{ endpoint: 'ftp://x' }, 'endpoint', 'endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost)'],
    [{ endpoint: 'not a url' }, 'endpoint', 'endpoint must be an absolute URL such as https://api.example.com'],
    [{ gateway: 'ftp://x' }, 'gateway', 'endpoint must be an http:// or https:// URL'],
    [
      { endpoint: 'https://user:pa55word@api.example.com' },
      'endpoint',
      'endpoint must not contain a user name or password (https://user:password@host): put credentials in the fields meant for them',
    ],
    [
      { gateway: 'http://:pa55word@gw.internal/send' },
      'gateway',
      'endpoint must not contain a user name or password (https://user:password@host): put credentials in the fields meant for them',
    ],
    [{ timeout: 0 }, 'timeout', 'timeout must be at least 1 ms'],
    [{ timeout: 60_001 }, 'timeout', "timeout must be at most 60000 ms (a send blocks the user's sign-in)"],
    [{ timeout: 'soon' }, 'timeout', 'timeout must be a number of milliseconds'],
    [
      { defaultRegion: 'XX' },
      'defaultRegion',
      'defaultRegion must be an ISO 3166 alpha-2 region code such as "US", "CN" or "GB"',
    ],
    [
      { templates: [{ usageType: '' }] },
      'templates.0.usageType',
      'usageType must name a template type such as "SignIn" or "Generic"',
    ],
    [
      { templates: [{ usageType: 'SignIn', locale: 'French' }] },
      'templates.0.locale',
      'locale must be a language tag such as "en", "fr-CA" or "zh-CN"',
    ],
  ])('reports %j on its key path', (config, path, message) => {
    expect(issuesOf(config)).toEqual([[path, message]]);
  });

  it.each([
    ['http://127.0.0.1:4010/twilio', true],
    ['http://localhost:4010', true],
    ['http://[::1]:4010', true],
  ])('accepts plain http on loopback: %s', (endpoint) => {
    expect(parseConfig(guard, { endpoint }).endpoint).toBe(endpoint);
  });

  it.each([
    ['localhost', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['127.example.com', false],
    ['10.0.0.1', false],
  ])('isLoopbackHost(%s) = %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('parseConfig', () => {
  it('turns a guard that throws into invalid_config instead of letting a TypeError out', () => {
    const throwing = z.string().refine((value) => new URL(value).protocol === 'https:');
    let caught: unknown;
    try {
      parseConfig(throwing, 'not a url');
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConnectorError);
    expect((caught as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(((caught as ConnectorError).data as ZodError).issues[0]?.message).toMatch(/^the config could not be read: /);
  });
});

describe('templatesGuard', () => {
  const template = z.object({ ...templateBaseShape, content: z.string() });
  const required = z.object({ templates: templatesGuard(template) });
  const optional = z.object({ templates: templatesGuard(template, { allowEmpty: true }).optional() });

  it.each([
    [[{ usageType: 'Generic', content: 'g' }]],
    [[{ usageType: 'Test', content: 't' }]], // legacy name of Generic
    [
      [
        { usageType: 'SignIn', locale: 'fr', content: 's' },
        { usageType: 'Generic', content: 'g' },
      ],
    ],
  ])('accepts %j', (templates) => {
    expect(parseConfig(required, { templates })).toEqual({ templates });
  });

  it.each([
    [[], 'templates needs at least a "Generic" template'],
    [[{ usageType: 'SignIn', content: 's' }], genericFallbackMessage],
    [[{ usageType: 'Generic', locale: 'en', content: 'g' }], genericFallbackMessage],
  ])('rejects %j on "templates"', (templates, message) => {
    const result = required.safeParse({ templates });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map(({ path, message }) => [path.join('.'), message])).toEqual([
      ['templates', message],
    ]);
  });

  it.each<[string, unknown[], string, string]>([
    [
      'the same type and locale, locales compared case- and separator-insensitively',
      [
        { usageType: 'Generic', content: 'g' },
        { usageType: 'SignIn', locale: 'zh-CN', content: 'a' },
        { usageType: 'SignIn', locale: 'zh_cn', content: 'b' },
      ],
      'templates.2',
      'templates has a second entry for usageType "SignIn" and locale "zh_cn" (the same as templates.1): keep one, only one can ever be used',
    ],
    [
      'Test beside Generic (its legacy name)',
      [
        { usageType: 'Generic', content: 'g' },
        { usageType: 'Test', content: 't' },
      ],
      'templates.1',
      'templates has a second entry for usageType "Test" (the same as templates.0): keep one, only one can ever be used',
    ],
  ])('rejects two templates for one slot: %s', (_case, templates, path, message) => {
    const result = required.safeParse({ templates });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([[path, message]]);
  });

  it('accepts one type in several locales and without one', () => {
    const templates = [
      { usageType: 'Generic', content: 'g' },
      { usageType: 'SignIn', locale: 'fr', content: 'f' },
      { usageType: 'SignIn', locale: 'fr-CA', content: 'c' },
      { usageType: 'SignIn', content: 's' },
    ];
    expect(parseConfig(required, { templates })).toEqual({ templates });
  });

  it('lets optional templates be empty or absent, but not without a Generic fallback', () => {
    expect(optional.safeParse({}).success).toBe(true);
    expect(optional.safeParse({ templates: [] }).success).toBe(true);
    expect(optional.safeParse({ templates: [{ usageType: 'SignIn', content: 's' }] }).success).toBe(false);
  });
});

import { ConnectorConfigFormItemType, TemplateType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  parseConfig,
  providerConfigGuard,
  providerConfigShape,
  providerFormItems,
  providerSecrets,
  sharedConfigKeys,
  templateTypes,
} from '@sms-suite/sms-kit';
import { configRejection } from '@sms-suite/sms-kit/testing';
import { ZodError } from 'zod';

import { httpSms, reservedHeaders, type HttpSmsConfig } from './provider';

const httpSmsConfigGuard = providerConfigGuard(httpSms);
const httpSmsFormItems = providerFormItems(httpSms);
const httpSmsSecrets = (config: HttpSmsConfig) => providerSecrets(httpSms, config);

const signingSecret = 'whsec_c2lnbmluZy1zZWNyZXQtb2YtdGhlLWdhdGV3YXk='; // "signing-secret-of-the-gateway"
const endpoint = 'https://sms-gateway.example.com/send';

/** The toast an admin sees, and the key paths it names. */
const rejectionToast = (config: unknown) => {
  const error = configRejection(httpSmsConfigGuard, config);
  expect(error.data).toBeInstanceOf(ZodError);
  const response = logtoResponseFor(error);
  expect(response.status).toBe(400);
  return response.toast;
};

describe('httpSmsConfigGuard', () => {
  it('accepts an endpoint alone (authorization is optional, as in the official connector)', () => {
    expect(parseConfig(httpSmsConfigGuard, { endpoint })).toEqual({ endpoint });
  });

  it('accepts every optional field and normalizes timeout, region and header values', () => {
    const templates = [
      { usageType: 'Generic', content: 'Your code is {{code}}' },
      { usageType: 'SignIn', locale: 'fr', content: 'Votre code : {{code}}' },
    ];
    expect(
      parseConfig(httpSmsConfigGuard, {
        endpoint: ` ${endpoint} `,
        authorization: 'Bearer t0ken',
        headers: { 'X-Api-Key': 'k3y', 'X-Api-Version': 2, 'Content-Type': 'application/json; charset=utf-8' },
        signingSecret: ` ${signingSecret} `,
        templates,
        timeout: '2500',
        defaultRegion: 'gb',
      })
    ).toEqual({
      endpoint,
      authorization: 'Bearer t0ken',
      headers: { 'X-Api-Key': 'k3y', 'X-Api-Version': '2', 'Content-Type': 'application/json; charset=utf-8' },
      signingSecret,
      templates,
      timeout: 2500,
      defaultRegion: 'GB',
    });
  });

  it.each([
    'http://10.0.0.12:8080/sms',
    'http://sms-gateway.internal/send',
    'https://sms-gateway.example.com/send?tenant=acme',
    'http://127.0.0.1:4010/send',
  ])('accepts %s as endpoint (http is allowed: gateways may sit on a private network)', (url) => {
    expect(parseConfig(httpSmsConfigGuard, { endpoint: url }).endpoint).toBe(url);
  });

  it.each([
    ['sms-gateway.example.com/send', 'absolute URL'],
    ['ftp://sms-gateway.example.com/send', 'http:// or https://'],
    ['file:///etc/passwd', 'http:// or https://'],
    ['', 'absolute URL'],
  ])('rejects %j as endpoint, naming the field', (url, hint) => {
    const toast = rejectionToast({ endpoint: url });
    expect(toast).toContain('Error in key path "endpoint"');
    expect(toast).toContain(hint);
  });

  it('rejects a config without endpoint, naming the field', () => {
    expect(rejectionToast({ authorization: 'Bearer x' })).toContain('Error in key path "endpoint"');
  });

  it.each([
    [{ 'X-Api-Key': 'a\r\nX-Injected: 1' }, 'headers.X-Api-Key', 'one line of plain text'],
    [{ 'X-Name': 'Zoë 🙂' }, 'headers.X-Name', 'outside Latin-1'],
    [{ 'X Api Key': 'v' }, 'headers.X Api Key', 'not a valid header name'],
    [{ 'X-Flag': true }, 'headers.X-Flag', 'header values must be strings'],
    [{ 'X-Key': 'a', 'x-key': 'b' }, 'headers.x-key', 'appears twice'],
    [{ Host: 'evil.example.com' }, 'headers.Host', 'is taken from "endpoint"'],
    [{ 'Content-Length': '10' }, 'headers.Content-Length', 'is computed from the body'],
    [{ 'Transfer-Encoding': 'chunked' }, 'headers.Transfer-Encoding', 'cannot be set'],
    [{ Connection: 'close' }, 'headers.Connection', 'hop-by-hop'],
    [{ 'Webhook-Signature': 'v1,forged' }, 'headers.Webhook-Signature', '"signingSecret"'],
    [{ 'Content-Type': 'text/plain' }, 'headers.Content-Type', 'the body is always JSON'],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 'headers.content-type', 'the body is always JSON'],
  ])('rejects headers %j with a clear message', (headers, path, message) => {
    const toast = rejectionToast({ endpoint, headers });
    expect(toast).toContain(`Error in key path "${path}"`);
    expect(toast).toContain(message);
  });

  it('rejects headers that are not an object', () => {
    expect(rejectionToast({ endpoint, headers: ['X-Api-Key: 1'] })).toContain('headers must be a JSON object');
  });

  it.each(Object.keys(reservedHeaders))('reserves the header %s', (name) => {
    expect(rejectionToast({ endpoint, headers: { [name]: 'x' } })).toContain(`Error in key path "headers.${name}"`);
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'application/vnd.acme.sms+json'])(
    'lets Content-Type be the JSON media type %s',
    (value) => {
      expect(parseConfig(httpSmsConfigGuard, { endpoint, headers: { 'Content-Type': value } }).headers).toEqual({
        'Content-Type': value,
      });
    }
  );

  it('accepts Authorization in headers when the authorization field is not set', () => {
    expect(
      parseConfig(httpSmsConfigGuard, { endpoint, headers: { Authorization: 'Basic dXNlcjpwYXNz' } }).headers
    ).toEqual({
      Authorization: 'Basic dXNlcjpwYXNz',
    });
  });

  it('rejects Authorization set twice', () => {
    const toast = rejectionToast({ endpoint, authorization: 'Bearer a', headers: { authorization: 'Bearer b' } });
    expect(toast).toContain('Error in key path "headers.authorization"');
    expect(toast).toContain('Authorization is set twice');
  });

  it('rejects an authorization value spanning lines', () => {
    expect(rejectionToast({ endpoint, authorization: 'Bearer a\nX-Evil: 1' })).toContain(
      'Error in key path "authorization"'
    );
  });

  it.each([
    ['c2lnbmluZy1zZWNyZXQtb2YtdGhlLWdhdGV3YXk=', 'no whsec_ prefix'],
    ['whsec_c2hvcnQ=', 'a 5-byte key'],
    ['whsec_not base64!', 'not base64'],
  ])('rejects the signing secret %s (%s), naming the field', (secret) => {
    const toast = rejectionToast({ endpoint, signingSecret: secret });
    expect(toast).toContain('Error in key path "signingSecret"');
    expect(toast).toContain('whsec_');
  });

  it('never echoes a rejected secret or header value', () => {
    const toast = rejectionToast({
      endpoint,
      signingSecret: 'whsec_c2hvcnQ=',
      headers: { 'X-Api-Key': 'sup3r-s3cret\n', Host: 'h0st-value' },
    });
    expect(toast).not.toContain('c2hvcnQ');
    expect(toast).not.toContain('sup3r-s3cret');
    expect(toast).not.toContain('h0st-value');
  });

  it('requires a Generic template without locale when templates are set', () => {
    const toast = rejectionToast({
      endpoint,
      templates: [
        { usageType: 'SignIn', content: 'Sign in with {{code}}' },
        { usageType: 'Generic', locale: 'fr', content: 'Code : {{code}}' },
      ],
    });
    expect(toast).toContain('Error in key path "templates"');
    expect(toast).toContain('"Generic" template without "locale"');
  });

  it('accepts the legacy usage type Test as the Generic template', () => {
    const templates = [{ usageType: 'Test', content: 'Code {{code}}' }];
    expect(parseConfig(httpSmsConfigGuard, { endpoint, templates }).templates).toEqual(templates);
  });

  it('treats an empty template list as no templates', () => {
    expect(parseConfig(httpSmsConfigGuard, { endpoint, templates: [] }).templates).toEqual([]);
  });

  it.each([
    [{ usageType: 'Generic', content: '' }, 'templates.0.content'],
    [{ usageType: 'Generic' }, 'templates.0.content'],
    [{ usageType: 'Generic', content: 'x', locale: 'not a locale' }, 'templates.0.locale'],
  ])('rejects the template %j, naming %s', (template, path) => {
    expect(rejectionToast({ endpoint, templates: [template] })).toContain(`Error in key path "${path}"`);
  });

  it.each([
    [{ timeout: 0 }, 'timeout'],
    [{ timeout: 60_001 }, 'timeout'],
    [{ timeout: 'soon' }, 'timeout'],
    [{ defaultRegion: 'XX' }, 'defaultRegion'],
  ])('rejects %j, naming %s', (extra, path) => {
    expect(rejectionToast({ endpoint, ...extra })).toContain(`Error in key path "${path}"`);
  });

  it('still validates after the console strips empty and falsy values', () => {
    // What cleanDeep / removeFalsyValues leave of a config saved with every optional field blank.
    expect(parseConfig(httpSmsConfigGuard, { endpoint })).toEqual({ endpoint });
  });
});

describe('httpSmsSecrets', () => {
  it('lists every value an error must never show', () => {
    const config = parseConfig(httpSmsConfigGuard, {
      endpoint,
      authorization: 'Bearer t0ken-value',
      headers: { 'X-Api-Key': 'k3y-value', 'X-Tenant': 'acme' },
      signingSecret,
    });
    expect(new Set(httpSmsSecrets(config))).toEqual(
      new Set([
        'Bearer t0ken-value',
        't0ken-value',
        'k3y-value',
        'acme',
        signingSecret,
        signingSecret.slice('whsec_'.length),
      ])
    );
  });

  it('covers an Authorization header given in headers', () => {
    const config = parseConfig(httpSmsConfigGuard, { endpoint, headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    expect(httpSmsSecrets(config)).toEqual(expect.arrayContaining(['Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz']));
  });

  it('is empty without credentials', () => {
    expect(httpSmsSecrets(parseConfig(httpSmsConfigGuard, { endpoint }))).toEqual([]);
  });
});

describe('httpSmsFormItems', () => {
  const item = (key: string) => httpSmsFormItems.find((formItem) => formItem.key === key);

  it('has one item per config key, endpoint the only required one', () => {
    expect(httpSmsFormItems.map(({ key }) => key)).toEqual([
      'endpoint',
      'authorization',
      'headers',
      'signingSecret',
      ...sharedConfigKeys,
    ]);
    expect(httpSmsFormItems.filter(({ required }) => required).map(({ key }) => key)).toEqual(['endpoint']);
    expect(Object.keys(providerConfigShape(httpSms)).sort()).toEqual(httpSmsFormItems.map(({ key }) => key).sort());
  });

  it.each(['authorization', 'signingSecret'])('masks %s in the console', (key) => {
    expect(item(key)).toMatchObject({ type: ConnectorConfigFormItemType.Text, isConfidential: true });
  });

  it('treats every secret key as a secret', () => {
    expect([...httpSms.secretKeys]).toEqual(['authorization', 'headers', 'signingSecret']);
  });

  it('pre-fills templates for every type, and the default validates', () => {
    const templates = item('templates');
    expect(templates).toMatchObject({ type: ConnectorConfigFormItemType.Json, required: false });
    const defaults = templates?.defaultValue as Array<{ usageType: string; content: string }>;
    expect(defaults.map(({ usageType }) => usageType)).toEqual([...templateTypes]);
    expect(defaults.find(({ usageType }) => usageType === TemplateType.Generic)?.content).toContain('{{code}}');
    expect(parseConfig(httpSmsConfigGuard, { endpoint, templates: defaults }).templates).toEqual(defaults);
  });
});

import { ConnectorError, TemplateType } from '@logto/connector-kit';
import { logtoResponseFor } from '@sms-suite/sms-kit';
import {
  consoleSend,
  expectLoadableConnectorPackage,
  expectPost,
  interceptHttpWithNock,
  packageFile,
  rejectionOf,
  storedConfigSend,
  type ReceivedRequest,
} from '@sms-suite/sms-kit/testing';
import nock from 'nock';

import createConnector, { metadata } from './index';

const token = 'gw-token-Secret-0123456789abcdef';
const basic = Buffer.from(`${token}:`).toString('base64');
const incident = 'd8127429-1a2b-4c3d-8e9f-0123456789ab';

const config = {
  apiToken: token,
  sender: 'ExampleCo',
  templates: [{ usageType: 'Generic', content: 'Your verification code is {{code}}.' }],
};

/** Expected POSTs to GatewayAPI, answered with `status` and `body` in JSON. */
const provider = (status: number, body: unknown, { origin = 'https://gatewayapi.com', times = 1 } = {}) =>
  expectPost(origin, '/rest/mtsms', { status, body, headers: { 'content-type': 'application/json' }, times });

const jsonOf = (request: ReceivedRequest | undefined) => JSON.parse(request?.body ?? '') as unknown;

/** The console's Send to `to` with `inputConfig`: Generic, code 000000. */
const consoleTest = async (to: string, inputConfig: unknown = config) =>
  consoleSend(createConnector, { to }, inputConfig);

const expectNoSecret = (error: ConnectorError) => {
  const everything = [error.message, JSON.stringify(error.data), logtoResponseFor(error).toast].join('\n');
  expect(everything).not.toContain(token);
  expect(everything).not.toContain(basic);
  expect(everything).not.toContain(Buffer.from(token).toString('base64'));
};

interceptHttpWithNock();

describe('metadata', () => {
  it('has our own id and the target of the official GatewayAPI connector', () => {
    expect(metadata).toMatchObject({ id: 'sms-suite-gatewayapi', target: 'gatewayapi-sms' });
  });
});

describe('package', () => {
  const packageFolder = new URL('..', import.meta.url);

  it('ships a README (English, then 简体中文) whose title is the connector name', () => {
    const readme = packageFile(packageFolder, 'README.md');
    expect(readme.startsWith(`# ${metadata.name.en}\n`)).toBe(true);
    expect(metadata.name.en).toBe('GatewayAPI SMS (SMS Suite)');
    expect(readme.indexOf('\n# GatewayAPI 短信（SMS Suite）\n')).toBeGreaterThan(
      readme.indexOf('## 6. Install the connector into Logto')
    );
  });

  it('declares the package the way Logto loads it, with an SVG logo', () => {
    expectLoadableConnectorPackage(packageFolder, '@sms-suite/connector-gatewayapi-sms');
  });
});

describe('sending', () => {
  it('real flow: reads the stored config and POSTs exactly what GatewayAPI expects', async () => {
    const { scope, requests } = provider(200, { ids: [421332671], usage: { currency: 'DKK', total_cost: 0.12 } });
    const { result, configIds } = await storedConfigSend(
      createConnector,
      {
        to: '4520123456',
        type: TemplateType.SignIn,
        payload: { code: '123456', locale: 'en', uiLocales: 'fr-CA fr en', extra: 'never forwarded' },
        ip: '203.0.113.7',
      },
      config
    );

    expect(result).toEqual({ messageId: '421332671' });
    expect(configIds).toEqual(['sms-suite-gatewayapi']);
    expect(scope.isDone()).toBe(true);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://gatewayapi.com/rest/mtsms');
    expect(request?.headers).toMatchObject({
      authorization: `Basic ${basic}`,
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
    });
    expect(jsonOf(request)).toEqual({
      sender: 'ExampleCo',
      message: 'Your verification code is 123456.',
      recipients: [{ msisdn: 4520123456 }],
    });
  });

  it('picks the template of the locale and sends Chinese text as UCS2', async () => {
    const { requests } = provider(200, { ids: [9] }, { times: 3 });
    const localized = {
      ...config,
      templates: [
        { usageType: 'Generic', content: 'Your code is {{code}}' },
        { usageType: 'SignIn', content: 'Sign-in code {{code}}' },
        { usageType: 'SignIn', locale: 'zh-CN', content: '您的登录验证码是 {{code}}' },
        { usageType: 'SignIn', locale: 'fr', content: 'Votre code est {{code}}' },
      ],
    };
    await consoleSend(
      createConnector,
      { to: '8613800138000', type: TemplateType.SignIn, payload: { code: '111111', locale: 'zh-CN' } },
      localized
    );
    await consoleSend(
      createConnector,
      { to: '4520123456', type: TemplateType.SignIn, payload: { code: '222222', locale: 'fr-CA' } },
      localized
    );
    await consoleSend(
      createConnector,
      { to: '4520123456', type: TemplateType.SignIn, payload: { code: '333333', locale: 'de' } },
      localized
    );

    expect(requests.map(jsonOf)).toEqual([
      {
        sender: 'ExampleCo',
        message: '您的登录验证码是 111111',
        recipients: [{ msisdn: 8613800138000 }],
        encoding: 'UCS2',
      },
      { sender: 'ExampleCo', message: 'Votre code est 222222', recipients: [{ msisdn: 4520123456 }] },
      { sender: 'ExampleCo', message: 'Sign-in code 333333', recipients: [{ msisdn: 4520123456 }] },
    ]);
  });

  it('posts to the configured endpoint (EU platform)', async () => {
    const { scope, requests } = provider(200, { ids: [5] }, { origin: 'https://gatewayapi.eu' });
    await consoleTest('4520123456', { ...config, endpoint: 'https://gatewayapi.eu/rest/mtsms' });
    expect(scope.isDone()).toBe(true);
    expect(requests[0]?.url).toBe('https://gatewayapi.eu/rest/mtsms');
  });

  it('reads a number typed without country code with defaultRegion', async () => {
    const { requests } = provider(200, { ids: [5] });
    await consoleTest('20 12 34 56', { ...config, defaultRegion: 'DK' });
    expect(jsonOf(requests[0])).toMatchObject({ recipients: [{ msisdn: 4520123456 }] });
  });
});

describe('provider errors, as Logto shows them', () => {
  it.each([
    [
      'an invalid token (0x0210)',
      401,
      { code: '0x0210', message: 'Invalid username', incident_uuid: incident },
      'invalid_config',
      400,
      `The connector's config is invalid.\nError in key path "apiToken": (custom) GatewayAPI error 0x0210: Invalid username (incident ${incident}) Check apiToken, and that it belongs to the platform of endpoint (gatewayapi.com or gatewayapi.eu).`,
    ],
    [
      'an unauthorized IP (0x0213)',
      403,
      { code: '0x0213', message: 'Unauthorized IP-address: %1', variables: ['198.51.100.4'], incident_uuid: incident },
      'invalid_config',
      400,
      `The connector's config is invalid.\nError in key path "apiToken": (custom) GatewayAPI error 0x0213: Unauthorized IP-address: 198.51.100.4 (incident ${incident}) Allow the IP address of this Logto server for the API key.`,
    ],
    [
      'a bare HTTP 401',
      401,
      '',
      'invalid_config',
      400,
      `The connector's config is invalid.\nError in key path "apiToken": (custom) GatewayAPI answered HTTP 401: (empty body) Check apiToken, and that it belongs to the platform of endpoint (gatewayapi.com or gatewayapi.eu).`,
    ],
    [
      'a blacklisted number (0x0215)',
      400,
      { code: '0x0215', message: 'MSISDN blacklisted', incident_uuid: incident },
      'invalid_request_parameters',
      400,
      `The request is with wrong input parameter(s).\nError in key path "to": (custom) GatewayAPI error 0x0215: MSISDN blacklisted (incident ${incident})`,
    ],
    [
      'a destination country the account may not send to (0x0217)',
      400,
      { code: '0x0217', message: 'Unauthorized destination country', incident_uuid: incident },
      'invalid_request_parameters',
      400,
      `The request is with wrong input parameter(s).\nError in key path "to": (custom) GatewayAPI error 0x0217: Unauthorized destination country (incident ${incident}) The account may not send to this country; allow it in the GatewayAPI dashboard.`,
    ],
    [
      'insufficient credit (0x0216)',
      400,
      { code: '0x0216', message: 'Insufficient credit', incident_uuid: incident },
      'usage_limit_exceeded',
      429,
      'The email service usage limit has been reached.',
    ],
    [
      'throttling (HTTP 429)',
      429,
      { message: 'Too many requests' },
      'rate_limit_exceeded',
      429,
      'Trigger rate limit. Please try again later.',
    ],
    [
      'a missing parameter (0x0220)',
      400,
      { code: '0x0220', message: 'Missing parameter: %1', variables: ['sender'], incident_uuid: incident },
      'general',
      400,
      `Error occurred in connector: GatewayAPI error 0x0220: Missing parameter: sender (incident ${incident})`,
    ],
    ['HTTP 200 that is not JSON', 200, 'OK', 'invalid_response', 400, "The connector's response is invalid."],
    ['HTTP 200 without ids', 200, { usage: {} }, 'invalid_response', 400, "The connector's response is invalid."],
  ])('reports %s', async (_name, status, body, code, httpStatus, toast) => {
    const { requests } = provider(status, body);
    const error = await rejectionOf(consoleTest('4520123456'));

    expect(error.code).toBe(code);
    expect(logtoResponseFor(error)).toEqual({ status: httpStatus, code: `connector.${code}`, toast });
    expect(requests).toHaveLength(1);
    expectNoSecret(error);
  });

  it('keeps the description, code and incident id in the data of a usage-limit error', async () => {
    provider(400, { code: '0x0216', message: 'Insufficient credit', incident_uuid: incident });
    const error = await rejectionOf(consoleTest('4520123456'));
    expect(error.data).toEqual({
      errorDescription: `GatewayAPI error 0x0216: Insufficient credit (incident ${incident}) Top up the GatewayAPI account.`,
      provider: 'GatewayAPI',
      providerCode: '0x0216',
      requestId: incident,
      httpStatus: 400,
      delivery: 'refused',
    });
  });

  it('keeps the reply in the data of an invalid_response error', async () => {
    provider(200, 'OK');
    const error = await rejectionOf(consoleTest('4520123456'));
    expect(error.data).toEqual({
      errorDescription: 'GatewayAPI answered HTTP 200 without a message id ("ids"): OK',
      provider: 'GatewayAPI',
      httpStatus: 200,
      // A 2xx that cannot be read may be an acceptance.
      delivery: 'unknown',
    });
  });
});

describe('transport failures', () => {
  it('reports a network failure as general', async () => {
    nock('https://gatewayapi.com')
      .post('/rest/mtsms')
      .replyWithError(Object.assign(new Error(`socket hang up (Basic ${basic})`), { code: 'ECONNRESET' }));
    const error = await rejectionOf(consoleTest('4520123456'));
    expect(error.code).toBe('general');
    expect(error.data).toEqual({
      errorDescription: expect.stringMatching(
        /^Could not reach GatewayAPI at gatewayapi\.com after \d+ ms: the connection was reset \(ECONNRESET\); the message was not sent\.$/
      ),
      provider: 'GatewayAPI',
      delivery: 'notSent',
    });
    expect(logtoResponseFor(error).status).toBe(400);
    expectNoSecret(error);
  });
});

describe('nothing is sent when the input is wrong', () => {
  it.each([
    ['no apiToken', { ...config, apiToken: undefined }, 'apiToken'],
    ['a sender of 12 characters', { ...config, sender: 'ExampleCoInc' }, 'sender'],
    ['a plain-http endpoint', { ...config, endpoint: 'http://gatewayapi.com/rest/mtsms' }, 'endpoint'],
    ['an endpoint that is not a URL', { ...config, endpoint: 'gatewayapi.com' }, 'endpoint'],
    ['no templates', { ...config, templates: [] }, 'templates'],
  ])('rejects a config with %s as invalid_config naming the field', async (_name, badConfig, field) => {
    const { scope } = provider(200, { ids: [1] });
    const error = await rejectionOf(consoleTest('4520123456', badConfig));

    expect(error.code).toBe('invalid_config');
    expect(logtoResponseFor(error).toast).toContain(`\nError in key path "${field}": `);
    expect(scope.isDone()).toBe(false);
    expectNoSecret(error);
  });

  it('rejects a missing stored config as invalid_config', async () => {
    const connector = await createConnector({ getConfig: async () => undefined });
    const error = await rejectionOf(
      connector.sendMessage({ to: '4520123456', type: TemplateType.Generic, payload: { code: '1' } })
    );
    expect(error.code).toBe('invalid_config');
  });

  it('refuses templates without a Generic fallback as invalid_config before any HTTP call', async () => {
    const { scope } = provider(200, { ids: [1] });
    const error = await rejectionOf(
      consoleSend(
        createConnector,
        { to: '4520123456', type: TemplateType.Register },
        { ...config, templates: [{ usageType: 'SignIn', content: 'x {{code}}' }] }
      )
    );
    expect(error.code).toBe('invalid_config');
    expect(logtoResponseFor(error).toast).toContain(
      'Error in key path "templates": (custom) templates needs a "Generic" template without "locale": Logto uses it for the console test and for every usage type that has no template of its own'
    );
    expect(logtoResponseFor(error).status).toBe(400);
    expect(scope.isDone()).toBe(false);
  });
});

describe('secrets', () => {
  it('redacts the token when GatewayAPI echoes it back', async () => {
    provider(401, {
      code: '0x0210',
      message: 'Invalid token %1 (basic %2)',
      variables: [token, basic],
      incident_uuid: incident,
    });
    const error = await rejectionOf(consoleTest('4520123456'));
    expect(logtoResponseFor(error).toast).toContain('Invalid token [redacted] (basic [redacted])');
    expectNoSecret(error);
  });
});

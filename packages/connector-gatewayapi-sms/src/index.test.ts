import { readFileSync } from 'node:fs';

import { ConnectorError, ConnectorType, TemplateType, connectorMetadataGuard } from '@logto/connector-kit';
import { logtoResponseFor, templateTypes } from '@sms-suite/sms-kit';
import nock from 'nock';

import createConnector, { metadata } from './index';
import { recordingGetConfig, rejectionOf } from '@sms-suite/sms-kit/testing';

const token = 'gw-token-Secret-0123456789abcdef';
const basic = Buffer.from(`${token}:`).toString('base64');
const incident = 'd8127429-1a2b-4c3d-8e9f-0123456789ab';

const config = {
  apiToken: token,
  sender: 'ExampleCo',
  templates: [{ usageType: 'Generic', content: 'Your verification code is {{code}}.' }],
};

const officialExample = JSON.parse(
  readFileSync(new URL('../../catalog/src/official-examples/gatewayapi.json', import.meta.url), 'utf8')
) as Record<string, unknown>;

type Captured = { method: string; url: string; headers: Record<string, unknown>; body: unknown };

/** One expected POST; records what reached the "provider". */
const provider = (
  status: number,
  body: unknown,
  { origin = 'https://gatewayapi.com', path = '/rest/mtsms', delay = 0, times = 1 } = {}
) => {
  const requests: Captured[] = [];
  const interceptor = nock(origin).post(path).times(times);
  const scope = (delay ? interceptor.delay(delay) : interceptor).reply(function (uri, requestBody) {
    requests.push({
      method: this.req.method,
      url: `${origin}${uri}`,
      headers: this.req.headers,
      body: typeof requestBody === 'string' ? (JSON.parse(requestBody) as unknown) : requestBody,
    });
    return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' }];
  });
  return { scope, requests };
};

const never = recordingGetConfig();
const getConfigNever = never.getConfig;

const consoleSend = async (
  to: string,
  inputConfig: unknown = config,
  type = TemplateType.Generic,
  payload: Record<string, unknown> = { code: '000000' }
) => {
  const connector = await createConnector({ getConfig: getConfigNever });
  return connector.sendMessage({ to, type, payload }, inputConfig);
};

const expectNoSecret = (error: ConnectorError) => {
  const everything = [error.message, JSON.stringify(error.data), logtoResponseFor(error).toast].join('\n');
  expect(everything).not.toContain(token);
  expect(everything).not.toContain(basic);
  expect(everything).not.toContain(Buffer.from(token).toString('base64'));
};

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  never.calls.length = 0;
});

afterAll(() => {
  nock.enableNetConnect();
  // Take nock's hooks off node:http(s): they outlive this file in the jest worker, and the real-socket
  // tests that run next in it (local-server.test.ts) must reach their server unintercepted.
  nock.restore();
});

describe('metadata and factory', () => {
  it('passes Logto’s metadata guard with our own id', async () => {
    const connector = await createConnector({ getConfig: getConfigNever });
    expect(connectorMetadataGuard.parse(connector.metadata)).toBeTruthy();
    expect(connector.type).toBe(ConnectorType.Sms);
    expect(metadata).toMatchObject({
      id: 'sms-suite-gatewayapi',
      target: 'gatewayapi-sms',
      platform: null,
      logo: './logo.svg',
      logoDark: null,
      readme: './README.md',
    });
    expect(never.calls).toEqual([]);
  });
});

describe('package', () => {
  const file = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

  it('ships a README (English, then 简体中文) whose title is the connector name, and an SVG logo', () => {
    const readme = file('README.md');
    expect(readme.startsWith(`# ${metadata.name.en}\n`)).toBe(true);
    expect(metadata.name.en).toBe('GatewayAPI SMS (SMS Suite)');
    expect(readme.indexOf('\n# GatewayAPI 短信（SMS Suite）\n')).toBeGreaterThan(
      readme.indexOf('## 4. Install into Logto')
    );
    expect(file('logo.svg')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\n$/);
  });

  it('declares the package the way Logto loads it', () => {
    const manifest = JSON.parse(file('package.json')) as { dependencies?: Record<string, string> };
    expect(manifest).toMatchObject({
      name: '@sms-suite/connector-gatewayapi-sms',
      type: 'module',
      main: './lib/index.js',
      exports: './lib/index.js',
      files: ['lib/index.js', 'logo.svg', 'README.md'],
    });
    // Exactly these: the kit sends through node:http(s), so nothing else is installed next to Logto.
    expect(manifest.dependencies).toEqual({ '@logto/connector-kit': '>=5.0.1 <6', zod: '3.24.3' });
    expect(manifest.dependencies).not.toHaveProperty('ky');
  });
});

describe('sending', () => {
  it('real flow: reads the stored config and POSTs exactly what GatewayAPI expects', async () => {
    const { scope, requests } = provider(200, { ids: [421332671], usage: { currency: 'DKK', total_cost: 0.12 } });
    const { getConfig, calls } = recordingGetConfig(config);
    const connector = await createConnector({ getConfig });

    await expect(
      connector.sendMessage({
        to: '4520123456',
        type: TemplateType.SignIn,
        payload: { code: '123456', locale: 'en', uiLocales: 'fr-CA fr en', extra: 'never forwarded' },
        ip: '203.0.113.7',
      })
    ).resolves.toEqual({ messageId: '421332671' });

    expect(calls).toEqual(['sms-suite-gatewayapi']);
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
    expect(request?.body).toEqual({
      sender: 'ExampleCo',
      message: 'Your verification code is 123456.',
      recipients: [{ msisdn: 4520123456 }],
    });
  });

  it('console test: uses the unsaved config (2nd argument) and never calls getConfig', async () => {
    const { requests } = provider(200, { ids: [7] });
    await expect(consoleSend('16502530000')).resolves.toEqual({ messageId: '7' });
    expect(never.calls).toEqual([]);
    expect(requests[0]?.body).toEqual({
      sender: 'ExampleCo',
      message: 'Your verification code is 000000.',
      recipients: [{ msisdn: 16502530000 }],
    });
  });

  it("sends with the official connector's documented config unchanged", async () => {
    const { requests } = provider(200, { ids: [1] });
    await expect(consoleSend('4520123456', officialExample, TemplateType.SignIn, { code: '654321' })).resolves.toEqual({
      messageId: '1',
    });
    expect(requests[0]).toMatchObject({
      url: 'https://gatewayapi.com/rest/mtsms',
      headers: { authorization: `Basic ${Buffer.from('<your-api-token>:').toString('base64')}` },
      body: { sender: '<ExampleCo>', message: '<Your sign-in code is 654321>', recipients: [{ msisdn: 4520123456 }] },
    });
  });

  it.each(templateTypes.map((type) => [type]))('sends %s with only a Generic template configured', async (type) => {
    const { requests } = provider(200, { ids: [42] });
    await expect(consoleSend('4520123456', config, type, { code: '314159' })).resolves.toEqual({ messageId: '42' });
    expect(requests[0]?.body).toEqual({
      sender: 'ExampleCo',
      message: 'Your verification code is 314159.',
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
    await consoleSend('8613800138000', localized, TemplateType.SignIn, { code: '111111', locale: 'zh-CN' });
    await consoleSend('4520123456', localized, TemplateType.SignIn, { code: '222222', locale: 'fr-CA' });
    await consoleSend('4520123456', localized, TemplateType.SignIn, { code: '333333', locale: 'de' });

    expect(requests.map((request) => request.body)).toEqual([
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
    await consoleSend('4520123456', { ...config, endpoint: 'https://gatewayapi.eu/rest/mtsms' });
    expect(scope.isDone()).toBe(true);
    expect(requests[0]?.url).toBe('https://gatewayapi.eu/rest/mtsms');
  });

  it('reads a number typed without country code with defaultRegion', async () => {
    const { requests } = provider(200, { ids: [5] });
    await consoleSend('20 12 34 56', { ...config, defaultRegion: 'DK' });
    expect(requests[0]?.body).toMatchObject({ recipients: [{ msisdn: 4520123456 }] });
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
    [
      'a server error page (HTTP 502, not JSON)',
      502,
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      'general',
      400,
      'Error occurred in connector: GatewayAPI answered HTTP 502: <html><body><h1>502 Bad Gateway</h1></body></html>',
    ],
    ['HTTP 200 that is not JSON', 200, 'OK', 'invalid_response', 400, "The connector's response is invalid."],
    ['HTTP 200 without ids', 200, { usage: {} }, 'invalid_response', 400, "The connector's response is invalid."],
  ])('reports %s', async (_name, status, body, code, httpStatus, toast) => {
    const { requests } = provider(status, body);
    const error = await rejectionOf(consoleSend('4520123456'));

    expect(error.code).toBe(code);
    expect(logtoResponseFor(error)).toEqual({ status: httpStatus, code: `connector.${code}`, toast });
    expect(requests).toHaveLength(1);
    expectNoSecret(error);
  });

  it('keeps the description, code and incident id in the data of a usage-limit error', async () => {
    provider(400, { code: '0x0216', message: 'Insufficient credit', incident_uuid: incident });
    const error = await rejectionOf(consoleSend('4520123456'));
    expect(error.data).toEqual({
      errorDescription: `GatewayAPI error 0x0216: Insufficient credit (incident ${incident}) Top up the GatewayAPI account.`,
      provider: 'GatewayAPI',
      providerCode: '0x0216',
      requestId: incident,
      httpStatus: 400,
    });
  });

  it('keeps the reply in the data of an invalid_response error', async () => {
    provider(200, 'OK');
    const error = await rejectionOf(consoleSend('4520123456'));
    expect(error.data).toEqual({
      errorDescription: 'GatewayAPI answered HTTP 200 without a message id ("ids"): OK',
      provider: 'GatewayAPI',
      httpStatus: 200,
    });
  });
});

describe('transport failures', () => {
  it('gives up after the configured timeout, once, without retrying', async () => {
    // Under nock the mock socket only "connects" when it replies: to the kit the request never left.
    const { scope, requests } = provider(200, { ids: [1] }, { delay: 1000 });
    const spare = provider(200, { ids: [2] });
    const error = await rejectionOf(consoleSend('4520123456', { ...config, timeout: 50 }));

    expect(error.code).toBe('general');
    const description =
      'GatewayAPI could not be reached within 50 ms (gatewayapi.com: no connection or TLS handshake completed); the message was not sent. Check the endpoint and the network, or raise "timeout" (at most 60000 ms).';
    expect(error.data).toEqual({ errorDescription: description, provider: 'GatewayAPI', delivery: 'notSent' });
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.general',
      toast: `Error occurred in connector: ${description}`,
    });
    expect(scope.isDone()).toBe(true);
    expect(requests).toHaveLength(1);
    expect(spare.scope.isDone()).toBe(false);
    expect(spare.requests).toEqual([]);
    expectNoSecret(error);
  });

  it('reports a network failure as general', async () => {
    nock('https://gatewayapi.com')
      .post('/rest/mtsms')
      .replyWithError(Object.assign(new Error(`socket hang up (Basic ${basic})`), { code: 'ECONNRESET' }));
    const error = await rejectionOf(consoleSend('4520123456'));
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
  it.each([['123'], ['10000000000'], ['not a number'], ['']])(
    'rejects the number %j before any HTTP call',
    async (to) => {
      const { scope } = provider(200, { ids: [1] });
      const error = await rejectionOf(consoleSend(to));

      expect(error.code).toBe('invalid_request_parameters');
      const { status, toast } = logtoResponseFor(error);
      expect(status).toBe(400);
      expect(toast).toMatch(
        /^The request is with wrong input parameter\(s\)\.\nError in key path "to": \(custom\) ".*" is not a valid phone number: /
      );
      expect(scope.isDone()).toBe(false);
    }
  );

  it.each([
    ['no apiToken', { ...config, apiToken: undefined }, 'apiToken'],
    ['a sender of 12 characters', { ...config, sender: 'ExampleCoInc' }, 'sender'],
    ['a plain-http endpoint', { ...config, endpoint: 'http://gatewayapi.com/rest/mtsms' }, 'endpoint'],
    ['an endpoint that is not a URL', { ...config, endpoint: 'gatewayapi.com' }, 'endpoint'],
    ['no templates', { ...config, templates: [] }, 'templates'],
  ])('rejects a config with %s as invalid_config naming the field', async (_name, badConfig, field) => {
    const { scope } = provider(200, { ids: [1] });
    const error = await rejectionOf(consoleSend('4520123456', badConfig));

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
        '4520123456',
        { ...config, templates: [{ usageType: 'SignIn', content: 'x {{code}}' }] },
        TemplateType.Register
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
    const error = await rejectionOf(consoleSend('4520123456'));
    expect(logtoResponseFor(error).toast).toContain('Invalid token [redacted] (basic [redacted])');
    expectNoSecret(error);
  });

  it('redacts the token from an unreadable 5xx page that quotes the request', async () => {
    provider(500, `<pre>Authorization: Basic ${basic}\ntoken=${encodeURIComponent(token)}</pre>`);
    const error = await rejectionOf(consoleSend('4520123456'));
    expect(error.code).toBe('general');
    expectNoSecret(error);
  });
});

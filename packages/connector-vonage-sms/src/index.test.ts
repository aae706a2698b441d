import { readFileSync } from 'node:fs';

import { ConnectorError, ConnectorType, TemplateType, connectorMetadataGuard } from '@logto/connector-kit';
import { logtoResponseFor, templateTypes } from '@sms-suite/sms-kit';
import nock from 'nock';

import createConnector, { metadata } from './index';
import { recordingGetConfig, rejectionOf } from '@sms-suite/sms-kit/testing';

const apiKey = 'a1b2c3d4';
const apiSecret = 'VonageS3cret+/=0123';

const config = {
  apiKey,
  apiSecret,
  brandName: 'ExampleCo',
  templates: [{ usageType: 'Generic', content: 'Your verification code is {{code}}.' }],
};

const officialExample = JSON.parse(
  readFileSync(new URL('../../catalog/src/official-examples/vonage.json', import.meta.url), 'utf8')
) as Record<string, unknown>;

type Captured = {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  raw: string;
  form: Record<string, string>;
};

const ok = (id = '0C000000217B7F02') => ({
  'message-count': '1',
  messages: [
    {
      to: '447911123456',
      'message-id': id,
      status: '0',
      'remaining-balance': '15.5',
      'message-price': '0.03',
      network: '23410',
    },
  ],
});
const rejected = (status: string, errorText: string) => ({
  'message-count': '1',
  messages: [{ to: '447911123456', status, 'error-text': errorText }],
});

/** Expected POSTs to Vonage; records what reached the "provider". */
const vonage = (
  status: number,
  body: unknown,
  { origin = 'https://rest.nexmo.com', path = '/sms/json', delay = 0, times = 1 } = {}
) => {
  const requests: Captured[] = [];
  const interceptor = nock(origin).post(path).times(times);
  const scope = (delay ? interceptor.delay(delay) : interceptor).reply(function (uri, requestBody) {
    const raw = typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody);
    requests.push({
      method: this.req.method,
      url: `${origin}${uri}`,
      headers: this.req.headers,
      raw,
      form: Object.fromEntries(new URLSearchParams(raw)),
    });
    return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' }];
  });
  return { scope, requests };
};

const never = recordingGetConfig();

const consoleSend = async (
  to: string,
  inputConfig: unknown = config,
  type = TemplateType.Generic,
  payload: Record<string, unknown> = { code: '000000' }
) => {
  const connector = await createConnector({ getConfig: never.getConfig });
  return connector.sendMessage({ to, type, payload }, inputConfig);
};

const expectNoSecret = (error: ConnectorError) => {
  const everything = [error.message, JSON.stringify(error.data), logtoResponseFor(error).toast].join('\n');
  for (const secret of [apiKey, apiSecret]) {
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(encodeURIComponent(secret));
    expect(everything).not.toContain(Buffer.from(secret).toString('base64'));
  }
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
    const connector = await createConnector({ getConfig: never.getConfig });
    expect(connectorMetadataGuard.parse(connector.metadata)).toBeTruthy();
    expect(connector.type).toBe(ConnectorType.Sms);
    expect(metadata).toMatchObject({
      id: 'sms-suite-vonage',
      target: 'vonage-sms',
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
    expect(metadata.name.en).toBe('Vonage SMS (SMS Suite)');
    expect(readme.indexOf('\n# Vonage 短信（SMS Suite）\n')).toBeGreaterThan(
      readme.indexOf('## 4. Install into Logto')
    );
    expect(file('logo.svg')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\n$/);
  });

  it('declares the package the way Logto loads it', () => {
    const manifest = JSON.parse(file('package.json')) as { dependencies?: Record<string, string> };
    expect(manifest).toMatchObject({
      name: '@sms-suite/connector-vonage-sms',
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
  it('real flow: reads the stored config and POSTs exactly the documented form', async () => {
    const { scope, requests } = vonage(200, ok());
    const { getConfig, calls } = recordingGetConfig(config);
    const connector = await createConnector({ getConfig });

    await expect(
      connector.sendMessage({
        to: '447911123456',
        type: TemplateType.SignIn,
        payload: { code: '123456', locale: 'en', uiLocales: 'fr-CA fr en', extra: 'never forwarded' },
        ip: '203.0.113.7',
      })
    ).resolves.toEqual({ messageId: '0C000000217B7F02' });

    expect(calls).toEqual(['sms-suite-vonage']);
    expect(scope.isDone()).toBe(true);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://rest.nexmo.com/sms/json');
    expect(request?.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      accept: 'application/json',
    });
    // Vonage authenticates with the documented body parameters, not an Authorization header.
    expect(request?.headers).not.toHaveProperty('authorization');
    expect(request?.form).toEqual({
      api_key: apiKey,
      api_secret: apiSecret,
      from: 'ExampleCo',
      to: '447911123456',
      text: 'Your verification code is 123456.',
    });
    expect(request?.raw).toBe(
      'api_key=a1b2c3d4&api_secret=VonageS3cret%2B%2F%3D0123&from=ExampleCo&to=447911123456&text=Your+verification+code+is+123456.'
    );
  });

  it('console test: uses the unsaved config (2nd argument) and never calls getConfig', async () => {
    const { requests } = vonage(200, ok('ABC'));
    await expect(consoleSend('16502530000')).resolves.toEqual({ messageId: 'ABC' });
    expect(never.calls).toEqual([]);
    expect(requests[0]?.form).toEqual({
      api_key: apiKey,
      api_secret: apiSecret,
      from: 'ExampleCo',
      to: '16502530000',
      text: 'Your verification code is 000000.',
    });
  });

  it("sends with the official connector's documented config unchanged", async () => {
    const { requests } = vonage(200, ok('X1'));
    await expect(
      consoleSend('447911123456', officialExample, TemplateType.Register, { code: '654321' })
    ).resolves.toEqual({
      messageId: 'X1',
    });
    expect(requests[0]?.form).toEqual({
      api_key: '<your-api-key>',
      api_secret: '<your-api-secret>',
      from: '<ExampleCo>',
      to: '447911123456',
      text: '<Your registration code is 654321>',
    });
  });

  it.each(templateTypes.map((type) => [type]))('sends %s with only a Generic template configured', async (type) => {
    const { requests } = vonage(200, ok('T1'));
    await expect(consoleSend('447911123456', config, type, { code: '314159' })).resolves.toEqual({ messageId: 'T1' });
    expect(requests[0]?.form).toEqual({
      api_key: apiKey,
      api_secret: apiSecret,
      from: 'ExampleCo',
      to: '447911123456',
      text: 'Your verification code is 314159.',
    });
  });

  it('picks the template of the locale and sends Chinese text with type=unicode', async () => {
    const { requests } = vonage(200, ok('L1'), { times: 3 });
    const localized = {
      ...config,
      templates: [
        { usageType: 'Generic', content: 'Your code is {{code}}' },
        { usageType: 'MfaVerification', content: 'Two-step code {{code}}' },
        { usageType: 'MfaVerification', locale: 'zh-CN', content: '您的两步验证码是 {{code}}' },
        { usageType: 'MfaVerification', locale: 'ru', content: 'Ваш код {{code}}' },
      ],
    };
    await consoleSend('8613800138000', localized, TemplateType.MfaVerification, { code: '111111', locale: 'zh-CN' });
    await consoleSend('79031234567', localized, TemplateType.MfaVerification, { code: '222222', locale: 'ru-RU' });
    await consoleSend('447911123456', localized, TemplateType.MfaVerification, { code: '333333' });

    expect(requests.map(({ form }) => [form.to, form.text, form.type])).toEqual([
      ['8613800138000', '您的两步验证码是 111111', 'unicode'],
      ['79031234567', 'Ваш код 222222', 'unicode'],
      ['447911123456', 'Two-step code 333333', undefined],
    ]);
    expect(requests[0]?.raw).toContain('&type=unicode');
  });

  it('posts to {endpoint}/sms/json (local sandbox)', async () => {
    const { scope, requests } = vonage(200, ok(), { origin: 'http://127.0.0.1:4010', path: '/vonage/sms/json' });
    await consoleSend('447911123456', { ...config, endpoint: 'http://127.0.0.1:4010/vonage/' });
    expect(scope.isDone()).toBe(true);
    expect(requests[0]?.url).toBe('http://127.0.0.1:4010/vonage/sms/json');
  });

  it('resolves a long text only when every part is accepted', async () => {
    vonage(200, {
      'message-count': '2',
      messages: [
        { 'message-id': 'P1', status: '0' },
        { 'message-id': 'P2', status: '0' },
      ],
    });
    await expect(consoleSend('447911123456')).resolves.toEqual({ messageId: 'P1' });
  });
});

describe('provider errors, as Logto shows them', () => {
  it.each([
    [
      'throttling (status 1)',
      200,
      rejected('1', 'Throttled'),
      'rate_limit_exceeded',
      429,
      'Trigger rate limit. Please try again later.',
    ],
    [
      'bad credentials (status 4)',
      200,
      rejected('4', 'Bad Credentials'),
      'invalid_config',
      400,
      `The connector's config is invalid.\nError in key path "apiSecret": (custom) Vonage status 4: Bad Credentials. Check apiKey and apiSecret (Vonage API Dashboard).`,
    ],
    [
      'a trial account sending to another number (status 29)',
      200,
      rejected('29', 'Non White-listed Destination - rejected'),
      'invalid_config',
      400,
      `The connector's config is invalid.\nError in key path "apiKey": (custom) Vonage status 29: Non White-listed Destination - rejected. A trial account can only send to its test numbers: add the number in the Vonage dashboard, or upgrade the account.`,
    ],
    [
      'a sender not allowed (status 15)',
      200,
      rejected('15', 'Illegal Sender Address - rejected'),
      'invalid_config',
      400,
      `The connector's config is invalid.\nError in key path "brandName": (custom) Vonage status 15: Illegal Sender Address - rejected. Use a sender Vonage allows for this destination (some countries need a Vonage number).`,
    ],
    [
      'a barred number (status 7)',
      200,
      rejected('7', 'Number barred'),
      'invalid_request_parameters',
      400,
      `The request is with wrong input parameter(s).\nError in key path "to": (custom) Vonage status 7: Number barred.`,
    ],
    [
      'no credit (status 9)',
      200,
      rejected('9', 'Partner quota exceeded'),
      'usage_limit_exceeded',
      429,
      'The email service usage limit has been reached.',
    ],
    [
      'an internal error (status 5)',
      200,
      rejected('5', 'Internal Error'),
      'general',
      400,
      'Error occurred in connector: Vonage status 5: Internal Error.',
    ],
    [
      'a failed second part',
      200,
      {
        'message-count': '2',
        messages: [
          { 'message-id': 'P1', status: '0' },
          { status: '1', 'error-text': 'Throttled' },
        ],
      },
      'rate_limit_exceeded',
      429,
      'Trigger rate limit. Please try again later.',
    ],
    [
      'a server error page (HTTP 503, not JSON)',
      503,
      '<html><body>Service Unavailable</body></html>',
      'general',
      400,
      'Error occurred in connector: Vonage answered HTTP 503: <html><body>Service Unavailable</body></html>',
    ],
    ['HTTP 200 that is not JSON', 200, 'OK', 'invalid_response', 400, "The connector's response is invalid."],
    [
      'HTTP 200 with status 0 but no message-id',
      200,
      { 'message-count': '1', messages: [{ status: '0' }] },
      'invalid_response',
      400,
      "The connector's response is invalid.",
    ],
  ])('reports %s', async (_name, status, body, code, httpStatus, toast) => {
    const { requests } = vonage(status, body);
    const error = await rejectionOf(consoleSend('447911123456'));

    expect(error.code).toBe(code);
    expect(logtoResponseFor(error)).toEqual({ status: httpStatus, code: `connector.${code}`, toast });
    expect(requests).toHaveLength(1);
    expectNoSecret(error);
  });

  it("keeps Vonage's error-text and status in the data of a rate-limit error", async () => {
    vonage(200, rejected('1', 'Throttled'));
    const error = await rejectionOf(consoleSend('447911123456'));
    expect(error.data).toEqual({
      errorDescription: 'Vonage status 1: Throttled.',
      provider: 'Vonage',
      providerCode: '1',
      httpStatus: 200,
    });
  });

  it('says which part failed and that the others went out', async () => {
    vonage(200, {
      'message-count': '2',
      messages: [
        { 'message-id': 'P1', status: '0' },
        { status: '9', 'error-text': 'Partner quota exceeded' },
      ],
    });
    const error = await rejectionOf(consoleSend('447911123456'));
    expect(error.code).toBe('usage_limit_exceeded');
    expect((error.data as { errorDescription: string }).errorDescription).toBe(
      'Vonage status 9 (part 2 of 2): Partner quota exceeded. 1 of 2 parts were accepted, so the recipient may get an incomplete message. Top up the Vonage account.'
    );
  });
});

describe('transport failures', () => {
  it('gives up after the configured timeout, once, without retrying', async () => {
    // Under nock the mock socket only "connects" when it replies: to the kit the request never left.
    const { scope, requests } = vonage(200, ok(), { delay: 1000 });
    const spare = vonage(200, ok('RETRY'));
    const error = await rejectionOf(consoleSend('447911123456', { ...config, timeout: 50 }));

    expect(error.code).toBe('general');
    const description =
      'Vonage could not be reached within 50 ms (rest.nexmo.com: no connection or TLS handshake completed); the message was not sent. Check the endpoint and the network, or raise "timeout" (at most 60000 ms).';
    expect(error.data).toEqual({ errorDescription: description, provider: 'Vonage', delivery: 'notSent' });
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
    nock('https://rest.nexmo.com')
      .post('/sms/json')
      .replyWithError(
        Object.assign(new Error(`connect ECONNREFUSED (api_secret=${apiSecret})`), { code: 'ECONNREFUSED' })
      );
    const error = await rejectionOf(consoleSend('447911123456'));
    expect(error.code).toBe('general');
    expect(error.data).toEqual({
      errorDescription: expect.stringMatching(
        /^Could not reach Vonage at rest\.nexmo\.com after \d+ ms: the connection was refused \(nothing listens on that host and port\) \(ECONNREFUSED\); the message was not sent\.$/
      ),
      provider: 'Vonage',
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
      const { scope } = vonage(200, ok());
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
    ['no apiKey', { ...config, apiKey: undefined }, 'apiKey'],
    ['no apiSecret', { ...config, apiSecret: '' }, 'apiSecret'],
    ['a brand name of 14 characters', { ...config, brandName: 'ExampleCompany' }, 'brandName'],
    ['a plain-http endpoint', { ...config, endpoint: 'http://rest.nexmo.com' }, 'endpoint'],
    ['an endpoint that is not a URL', { ...config, endpoint: 'rest.nexmo.com' }, 'endpoint'],
    ['templates that are not a list', { ...config, templates: { Generic: 'x' } }, 'templates'],
  ])('rejects a config with %s as invalid_config naming the field', async (_name, badConfig, field) => {
    const { scope } = vonage(200, ok());
    const error = await rejectionOf(consoleSend('447911123456', badConfig));

    expect(error.code).toBe('invalid_config');
    expect(logtoResponseFor(error).toast).toContain(`\nError in key path "${field}": `);
    expect(scope.isDone()).toBe(false);
    expectNoSecret(error);
  });

  it('rejects a missing stored config as invalid_config', async () => {
    const connector = await createConnector({ getConfig: async () => null });
    const error = await rejectionOf(
      connector.sendMessage({ to: '447911123456', type: TemplateType.Generic, payload: { code: '1' } })
    );
    expect(error.code).toBe('invalid_config');
  });

  it('refuses templates without a Generic fallback as invalid_config before any HTTP call', async () => {
    const { scope } = vonage(200, ok());
    const error = await rejectionOf(
      consoleSend(
        '447911123456',
        { ...config, templates: [{ usageType: 'SignIn', content: 'x {{code}}' }] },
        TemplateType.BindMfa
      )
    );
    expect(error.code).toBe('invalid_config');
    expect(logtoResponseFor(error).toast).toContain(
      'Error in key path "templates": (custom) templates needs a "Generic" template without "locale": Logto uses it for the console test and for every usage type that has no template of its own'
    );
    expect(scope.isDone()).toBe(false);
  });
});

describe('secrets', () => {
  it('redacts the key and secret when Vonage echoes the request back', async () => {
    vonage(
      200,
      rejected('4', `Bad Credentials for api_key=${apiKey}&api_secret=${encodeURIComponent(apiSecret)} (${apiSecret})`)
    );
    const error = await rejectionOf(consoleSend('447911123456'));
    expect(logtoResponseFor(error).toast).toContain(
      'Bad Credentials for api_key=[redacted]&api_secret=[redacted] ([redacted])'
    );
    expectNoSecret(error);
  });

  it('redacts a secret with spaces and parentheses in every form the echoed form body shows it', async () => {
    const oddSecret = 'my secret(1)';
    let raw = '';
    nock('https://rest.nexmo.com')
      .post('/sms/json')
      .reply((_uri, requestBody) => {
        raw = typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody);
        return [
          200,
          JSON.stringify(rejected('4', `Bad Credentials for ${raw}`)),
          { 'content-type': 'application/json' },
        ];
      });
    const error = await rejectionOf(consoleSend('447911123456', { ...config, apiSecret: oddSecret }));

    // What went over the wire, and so what Vonage quotes back.
    expect(raw).toContain('&api_secret=my+secret%281%29&');
    expect(error.code).toBe('invalid_config');
    const { toast } = logtoResponseFor(error);
    expect(toast).toContain(
      'Bad Credentials for api_key=[redacted]&api_secret=[redacted]&from=ExampleCo&to=447911123456'
    );
    const everything = [error.message, JSON.stringify(error.data), toast].join('\n');
    for (const form of [
      oddSecret,
      'my+secret%281%29',
      'my+secret(1)',
      encodeURIComponent(oddSecret),
      'my%20secret%281%29',
      Buffer.from(oddSecret).toString('base64'),
      'secret%281',
      'secret(1',
    ]) {
      expect(everything).not.toContain(form);
    }
  });

  it('redacts them from an unreadable 5xx page that quotes the form', async () => {
    vonage(500, `<pre>api_key=${apiKey}&api_secret=${encodeURIComponent(apiSecret)}</pre>`);
    const error = await rejectionOf(consoleSend('447911123456'));
    expect(error.code).toBe('general');
    expect(logtoResponseFor(error).toast).toBe(
      'Error occurred in connector: Vonage answered HTTP 500: <pre>api_key=[redacted]&api_secret=[redacted]</pre>'
    );
    expectNoSecret(error);
  });
});

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

const apiKey = 'a1b2c3d4';
const apiSecret = 'VonageS3cret+/=0123';

const config = {
  apiKey,
  apiSecret,
  brandName: 'ExampleCo',
  templates: [{ usageType: 'Generic', content: 'Your verification code is {{code}}.' }],
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

/** Expected POSTs to Vonage's SMS API, answered with `status` and `body` in JSON. */
const vonage = (
  status: number,
  body: unknown,
  { origin = 'https://rest.nexmo.com', path = '/sms/json', times = 1 } = {}
) => expectPost(origin, path, { status, body, headers: { 'content-type': 'application/json' }, times });

/** The form fields of a request, decoded. */
const formOf = (request: ReceivedRequest | undefined) => Object.fromEntries(new URLSearchParams(request?.body));

/** The console's Send to `to` with `inputConfig`: Generic, code 000000. */
const consoleTest = async (to: string, inputConfig: unknown = config) =>
  consoleSend(createConnector, { to }, inputConfig);

const expectNoSecret = (error: ConnectorError) => {
  const everything = [error.message, JSON.stringify(error.data), logtoResponseFor(error).toast].join('\n');
  for (const secret of [apiKey, apiSecret]) {
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(encodeURIComponent(secret));
    expect(everything).not.toContain(Buffer.from(secret).toString('base64'));
  }
};

interceptHttpWithNock();

describe('metadata', () => {
  it('has our own id and the target of the official Vonage connector', () => {
    expect(metadata).toMatchObject({ id: 'sms-suite-vonage', target: 'vonage-sms' });
  });
});

describe('package', () => {
  const packageFolder = new URL('..', import.meta.url);

  it('ships a README (English, then 简体中文) whose title is the connector name', () => {
    const readme = packageFile(packageFolder, 'README.md');
    expect(readme.startsWith(`# ${metadata.name.en}\n`)).toBe(true);
    expect(metadata.name.en).toBe('Vonage SMS (SMS Suite)');
    expect(readme.indexOf('\n# Vonage 短信（SMS Suite）\n')).toBeGreaterThan(
      readme.indexOf('## 6. Install the connector into Logto')
    );
  });

  it('declares the package the way Logto loads it, with an SVG logo', () => {
    expectLoadableConnectorPackage(packageFolder, '@sms-suite/connector-vonage-sms');
  });
});

describe('sending', () => {
  it('real flow: reads the stored config and POSTs exactly the documented form', async () => {
    const { scope, requests } = vonage(200, ok());
    const { result, configIds } = await storedConfigSend(
      createConnector,
      {
        to: '447911123456',
        type: TemplateType.SignIn,
        payload: { code: '123456', locale: 'en', uiLocales: 'fr-CA fr en', extra: 'never forwarded' },
        ip: '203.0.113.7',
      },
      config
    );

    expect(result).toEqual({ messageId: '0C000000217B7F02' });
    expect(configIds).toEqual(['sms-suite-vonage']);
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
    expect(formOf(request)).toEqual({
      api_key: apiKey,
      api_secret: apiSecret,
      from: 'ExampleCo',
      to: '447911123456',
      text: 'Your verification code is 123456.',
    });
    expect(request?.body).toBe(
      'api_key=a1b2c3d4&api_secret=VonageS3cret%2B%2F%3D0123&from=ExampleCo&to=447911123456&text=Your+verification+code+is+123456.'
    );
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
    await consoleSend(
      createConnector,
      { to: '8613800138000', type: TemplateType.MfaVerification, payload: { code: '111111', locale: 'zh-CN' } },
      localized
    );
    await consoleSend(
      createConnector,
      { to: '79031234567', type: TemplateType.MfaVerification, payload: { code: '222222', locale: 'ru-RU' } },
      localized
    );
    await consoleSend(
      createConnector,
      { to: '447911123456', type: TemplateType.MfaVerification, payload: { code: '333333' } },
      localized
    );

    expect(requests.map(formOf).map(({ to, text, type }) => [to, text, type])).toEqual([
      ['8613800138000', '您的两步验证码是 111111', 'unicode'],
      ['79031234567', 'Ваш код 222222', 'unicode'],
      ['447911123456', 'Two-step code 333333', undefined],
    ]);
    expect(requests[0]?.body).toContain('&type=unicode');
  });

  it('posts to {endpoint}/sms/json (local sandbox)', async () => {
    const { scope, requests } = vonage(200, ok(), { origin: 'http://127.0.0.1:4010', path: '/vonage/sms/json' });
    await consoleTest('447911123456', { ...config, endpoint: 'http://127.0.0.1:4010/vonage/' });
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
    await expect(consoleTest('447911123456')).resolves.toEqual({ messageId: 'P1' });
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
    const error = await rejectionOf(consoleTest('447911123456'));

    expect(error.code).toBe(code);
    expect(logtoResponseFor(error)).toEqual({ status: httpStatus, code: `connector.${code}`, toast });
    expect(requests).toHaveLength(1);
    expectNoSecret(error);
  });

  it("keeps Vonage's error-text and status in the data of a rate-limit error", async () => {
    vonage(200, rejected('1', 'Throttled'));
    const error = await rejectionOf(consoleTest('447911123456'));
    expect(error.data).toEqual({
      errorDescription: 'Vonage status 1: Throttled.',
      provider: 'Vonage',
      providerCode: '1',
      httpStatus: 200,
      delivery: 'refused',
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
    const error = await rejectionOf(consoleTest('447911123456'));
    expect(error.code).toBe('usage_limit_exceeded');
    expect(error.data).toMatchObject({ delivery: 'unknown' });
    expect((error.data as { errorDescription: string }).errorDescription).toBe(
      'Vonage status 9 (part 2 of 2): Partner quota exceeded. 1 of 2 parts were accepted, so the recipient may get an incomplete message. Top up the Vonage account.'
    );
  });
});

describe('transport failures', () => {
  it('reports a network failure as general', async () => {
    nock('https://rest.nexmo.com')
      .post('/sms/json')
      .replyWithError(
        Object.assign(new Error(`connect ECONNREFUSED (api_secret=${apiSecret})`), { code: 'ECONNREFUSED' })
      );
    const error = await rejectionOf(consoleTest('447911123456'));
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
  it.each([
    ['no apiKey', { ...config, apiKey: undefined }, 'apiKey'],
    ['no apiSecret', { ...config, apiSecret: '' }, 'apiSecret'],
    ['a brand name of 14 characters', { ...config, brandName: 'ExampleCompany' }, 'brandName'],
    ['a plain-http endpoint', { ...config, endpoint: 'http://rest.nexmo.com' }, 'endpoint'],
    ['an endpoint that is not a URL', { ...config, endpoint: 'rest.nexmo.com' }, 'endpoint'],
    ['templates that are not a list', { ...config, templates: { Generic: 'x' } }, 'templates'],
  ])('rejects a config with %s as invalid_config naming the field', async (_name, badConfig, field) => {
    const { scope } = vonage(200, ok());
    const error = await rejectionOf(consoleTest('447911123456', badConfig));

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
        createConnector,
        { to: '447911123456', type: TemplateType.BindMfa },
        { ...config, templates: [{ usageType: 'SignIn', content: 'x {{code}}' }] }
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
    const error = await rejectionOf(consoleTest('447911123456'));
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
    const error = await rejectionOf(consoleTest('447911123456', { ...config, apiSecret: oddSecret }));

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
});

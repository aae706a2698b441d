import { ConnectorError, ConnectorErrorCodes, TemplateType, type SendMessagePayload } from '@logto/connector-kit';
import { logtoResponseFor } from '@sms-suite/sms-kit';
import {
  expectPost,
  interceptHttpWithNock,
  rejectionOf,
  storedConfigSend,
  type ReceivedRequest,
} from '@sms-suite/sms-kit/testing';
import nock from 'nock';

import createConnector, { metadata } from './index';

const apiKey = 'Sk7pQ2vX9mL4tR8wZ1yB6nC3hJ5dF0gA';
const email = 'ops@acme.example';
const credential = Buffer.from(`${email}:${apiKey}`, 'utf8').toString('base64');

const config = {
  email,
  apiKey,
  senderName: 'Acme',
  templates: [{ usageType: 'Generic', content: 'Your Acme code is {{code}}.' }],
};

const origin = 'https://gate.smsaero.ru';
const sendPath = '/v2/sms/send';

const accepted = (id: number | string = 12345) => ({
  success: true,
  data: {
    id,
    from: 'Acme',
    number: '79031234567',
    text: '…',
    status: 0,
    extendStatus: 'queue',
    channel: 'DIRECT',
    cost: 5.49,
  },
  message: null,
});

/** One expected POST to SMSAero, answered with `status` and `body`. */
const intercept = (status: number, body: unknown, { base = origin, path = sendPath } = {}) => {
  const { scope, requests } = expectPost(base, path, { status, body });
  return { scope, seen: requests };
};

const jsonOf = (request: ReceivedRequest | undefined) => JSON.parse(request?.body ?? '') as unknown;

/** A send with `stored` as the config Logto keeps: SignIn with the code 123456 unless told otherwise. */
const sendTo = async (
  to: string,
  stored: unknown = config,
  type = TemplateType.SignIn,
  payload: SendMessagePayload = { code: '123456' }
) => (await storedConfigSend(createConnector, { to, type, payload }, stored)).result;

interceptHttpWithNock();

describe('metadata', () => {
  it('has our own id and the target of the official SMSAero connector', () => {
    expect(metadata).toMatchObject({ id: 'sms-suite-smsaero', target: 'smsaero-sms' });
  });
});

describe('sendMessage', () => {
  it('posts the rendered message to SMSAero and resolves with the message id', async () => {
    const { scope, seen } = intercept(200, accepted());
    const { result, configIds } = await storedConfigSend(
      createConnector,
      { to: '79031234567', type: TemplateType.SignIn, payload: { code: '482913' } },
      config
    );

    expect(result).toEqual({ messageId: '12345' });
    expect(configIds).toEqual(['sms-suite-smsaero']);
    expect(scope.isDone()).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe('https://gate.smsaero.ru/v2/sms/send');
    expect(seen[0]?.headers).toMatchObject({
      authorization: `Basic ${credential}`,
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
    });
    expect(jsonOf(seen[0])).toEqual({ number: '79031234567', sign: 'Acme', text: 'Your Acme code is 482913.' });
  });

  it('prefers the template of the type, then the one of the locale', async () => {
    const stored = {
      ...config,
      templates: [
        { usageType: 'Generic', content: 'Generic {{code}}' },
        { usageType: 'SignIn', content: 'Sign in with {{code}}' },
        { usageType: 'SignIn', locale: 'ru', content: 'Код для входа: {{code}}' },
      ],
    };
    const first = intercept(200, accepted());
    await sendTo('79031234567', stored, TemplateType.SignIn, { code: '1' });
    expect(jsonOf(first.seen[0])).toMatchObject({ text: 'Sign in with 1' });

    const second = intercept(200, accepted());
    await sendTo('79031234567', stored, TemplateType.SignIn, { code: '2', locale: 'ru-RU' });
    expect(jsonOf(second.seen[0])).toMatchObject({ text: 'Код для входа: 2' });
  });

  it('sends only number, sign and text: nothing else from the payload reaches SMSAero', async () => {
    const { seen } = intercept(200, accepted());
    await storedConfigSend(
      createConnector,
      {
        to: '79031234567',
        type: TemplateType.Register,
        payload: { code: '555', locale: 'en', uiLocales: 'fr-CA fr en', link: 'https://x.test', secretField: 'nope' },
        ip: '203.0.113.7',
      },
      config
    );
    expect(jsonOf(seen[0])).toEqual({ number: '79031234567', sign: 'Acme', text: 'Your Acme code is 555.' });
  });

  it('normalises what an admin types in the console test to international digits', async () => {
    const { seen } = intercept(200, accepted());
    await sendTo('+7 (903) 123-45-67');
    expect(jsonOf(seen[0])).toMatchObject({ number: '79031234567' });

    const national = intercept(200, accepted());
    await sendTo('9031234567', { ...config, defaultRegion: 'RU' });
    expect(jsonOf(national.seen[0])).toMatchObject({ number: '79031234567' });
  });

  it.each([
    ['https://gate.smsaero.org/v2/', 'https://gate.smsaero.org', '/v2/sms/send'],
    ['http://127.0.0.1:4010/smsaero/v2', 'http://127.0.0.1:4010', '/smsaero/v2/sms/send'],
  ])('sends through the configured endpoint %s', async (endpoint, base, path) => {
    const { scope, seen } = intercept(200, accepted(), { base, path });
    await expect(sendTo('79031234567', { ...config, endpoint })).resolves.toEqual({ messageId: '12345' });
    expect(scope.isDone()).toBe(true);
    expect(seen[0]?.headers.authorization).toBe(`Basic ${credential}`);
  });
});

describe('sendMessage failures', () => {
  it.each<[string, number, unknown, string, number, string[]]>([
    [
      'invalid credentials',
      401,
      { success: false, data: null, message: 'Your request was made with invalid credentials.' },
      'connector.invalid_config',
      400,
      [
        "The connector's config is invalid.",
        'Error in key path "apiKey": (custom) SMSAero answered HTTP 401: Your request was made with invalid credentials. Check "email" and "apiKey"',
      ],
    ],
    [
      'a rejected number',
      400,
      { success: false, data: { number: ['Number is not valid.'] }, message: 'Validation error.' },
      'connector.invalid_request_parameters',
      400,
      [
        'The request is with wrong input parameter(s).',
        'Error in key path "to": (custom) SMSAero answered HTTP 400: Validation error. — number: Number is not valid.',
      ],
    ],
    [
      'an unapproved sender name',
      400,
      { success: false, data: { sign: ['Sign is not approved.'] }, message: 'Validation error.' },
      'connector.invalid_config',
      400,
      [
        'Error in key path "senderName": (custom) SMSAero answered HTTP 400: Validation error. — sign: Sign is not approved.',
      ],
    ],
    [
      'no credits (legacy)',
      200,
      { result: 'no credits' },
      'connector.usage_limit_exceeded',
      429,
      ['The email service usage limit has been reached.'],
    ],
    [
      'insufficient balance',
      400,
      { success: false, data: null, message: 'Insufficient balance' },
      'connector.usage_limit_exceeded',
      429,
      [],
    ],
    [
      'throttling',
      429,
      { success: false, data: null, message: 'Too Many Requests' },
      'connector.rate_limit_exceeded',
      429,
      ['Trigger rate limit. Please try again later.'],
    ],
    [
      'a rejection (legacy)',
      200,
      { result: 'reject', reason: 'Text contains forbidden words' },
      'connector.general',
      400,
      ['Error occurred in connector: SMSAero answered "reject": Text contains forbidden words'],
    ],
    [
      'a 2xx refusal',
      200,
      { success: false, data: null, message: 'Sending is paused for this account' },
      'connector.general',
      400,
      ['Error occurred in connector: SMSAero refused the message (HTTP 200): Sending is paused for this account'],
    ],
    ['a 2xx that is not JSON', 200, 'OK', 'connector.invalid_response', 400, ["The connector's response is invalid."]],
    [
      'a success without an id',
      200,
      { success: true, data: {} },
      'connector.invalid_response',
      400,
      ["The connector's response is invalid."],
    ],
  ])('reports %s readably', async (_name, status, body, code, httpStatus, toastLines) => {
    intercept(status, body);
    const error = await rejectionOf(sendTo('79031234567'));
    const response = logtoResponseFor(error);
    expect(response.code).toBe(code);
    expect(response.status).toBe(httpStatus);
    for (const line of toastLines) {
      expect(response.toast).toContain(line);
    }
    // Codes whose toast is a fixed phrase still carry the provider's words for logs and the CLI.
    if (!(error.data instanceof Error)) {
      expect(error.data).toMatchObject({ provider: 'SMSAero', httpStatus: status });
      expect((error.data as { errorDescription: string }).errorDescription).toMatch(/^SMSAero /);
    }
  });

  it('keeps the provider text of a usage-limit failure in its data', async () => {
    intercept(400, { success: false, data: null, message: 'Insufficient balance' });
    const error = await rejectionOf(sendTo('79031234567'));
    expect(error.code).toBe(ConnectorErrorCodes.UsageLimitExceeded);
    expect(error.data).toEqual({
      errorDescription: 'SMSAero answered HTTP 400: Insufficient balance. Top up the balance of your SMSAero account.',
      provider: 'SMSAero',
      httpStatus: 400,
      delivery: 'refused',
    });
  });

  it('reports an unreachable host as general', async () => {
    nock(origin)
      .post(sendPath)
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const error = await rejectionOf(sendTo('79031234567'));
    expect(error.data).toEqual({
      errorDescription: expect.stringMatching(
        /^Could not reach SMSAero at gate\.smsaero\.ru after \d+ ms: the connection was refused \(nothing listens on that host and port\) \(ECONNREFUSED\); the message was not sent\.$/
      ),
      provider: 'SMSAero',
      delivery: 'notSent',
    });
    const response = logtoResponseFor(error);
    expect(response.status).toBe(400);
    expect(response.code).toBe('connector.general');
    expect(response.toast).toMatch(
      /^Error occurred in connector: Could not reach SMSAero at gate\.smsaero\.ru after \d+ ms: /
    );
  });

  it('rejects an invalid stored config before any HTTP call', async () => {
    const { scope } = intercept(200, accepted());
    const error = await rejectionOf(sendTo('79031234567', { ...config, senderName: '' }));
    expect(logtoResponseFor(error).toast).toContain('Error in key path "senderName"');
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(scope.isDone()).toBe(false);
  });

  it('refuses templates without a Generic fallback as invalid_config before any HTTP call', async () => {
    const { scope } = intercept(200, accepted());
    const stored = { ...config, templates: [{ usageType: 'SignIn', content: 'Code {{code}}' }] };
    const error = await rejectionOf(sendTo('79031234567', stored, TemplateType.BindMfa));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(logtoResponseFor(error).toast).toContain(
      'Error in key path "templates": (custom) templates needs a "Generic" template without "locale": Logto uses it for the console test and for every usage type that has no template of its own'
    );
    expect(scope.isDone()).toBe(false);
  });
});

describe('secrets', () => {
  const leaks = (error: ConnectorError) => {
    const { toast } = logtoResponseFor(error);
    const everything = [toast, error.message, JSON.stringify(error.data), String(error.data)].join('\n');
    return [apiKey, credential, encodeURIComponent(apiKey), Buffer.from(apiKey).toString('base64')].filter((secret) =>
      everything.includes(secret)
    );
  };

  it('never appear in a network error', async () => {
    // No code: the kit quotes the error's own message, so the key in it must be redacted there.
    nock(origin)
      .post(sendPath)
      .replyWithError(new Error(`socket closed for ${apiKey} (Basic ${credential})`));
    const error = await rejectionOf(sendTo('79031234567'));
    expect(leaks(error)).toEqual([]);
    expect((error.data as { errorDescription: string }).errorDescription).toMatch(
      /^Could not reach SMSAero at gate\.smsaero\.ru after \d+ ms: socket closed for \[redacted\] \(\[redacted\]\); the message was not sent\.$/
    );
  });

  it('never appear in a config error', async () => {
    const error = await rejectionOf(
      sendTo('79031234567', { ...config, email: apiKey.slice(0, 3), endpoint: `ftp://${apiKey}` })
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(leaks(error)).toEqual([]);
  });
});

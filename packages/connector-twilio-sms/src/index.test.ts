import { readFileSync } from 'node:fs';

import {
  ConnectorErrorCodes,
  ConnectorType,
  TemplateType,
  connectorMetadataGuard,
  type SmsConnector,
} from '@logto/connector-kit';
import { logtoResponseFor } from '@sms-suite/sms-kit';
import nock from 'nock';
import { ZodError } from 'zod';

import createConnector, { metadata } from './index';
import { notImplemented, rejectionOf as rejection } from '@sms-suite/sms-kit/testing';

const accountSID = 'AC0123456789abcdef0123456789abcdef';
const authToken = 'f00dfacef00dfacef00dfacef00dface';
const basic = `Basic ${Buffer.from(`${accountSID}:${authToken}`).toString('base64')}`;
const path = `/2010-04-01/Accounts/${accountSID}/Messages.json`;

const config = {
  accountSID,
  authToken,
  fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
  templates: [
    { usageType: 'SignIn', content: 'Your sign-in code is {{code}}' },
    { usageType: 'SignIn', locale: 'fr', content: 'Votre code de connexion est {{code}}' },
    { usageType: 'Generic', content: 'Your code is {{code}}' },
  ],
};

const officialExample = JSON.parse(
  readFileSync(new URL('../../catalog/src/official-examples/twilio.json', import.meta.url), 'utf8')
) as Record<string, unknown>;

/** What the console's Send button does: getConfig throws, the unsaved config is the second argument. */
const consoleSend = async (formConfig: unknown, to = '16502530000') => {
  const connector = await createConnector({ getConfig: notImplemented });
  return connector.sendMessage({ to, type: TemplateType.Generic, payload: { code: '000000' } }, formConfig);
};

/** Captures the form body of one Twilio call and answers it. */
const expectTwilioCall = (status: number, body: unknown, headers: Record<string, string> = {}) => {
  const captured: { body?: Record<string, string> } = {};
  const scope = nock('https://api.twilio.com', {
    reqheaders: {
      authorization: basic,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      accept: 'application/json',
    },
  })
    .post(path, (form: Record<string, string>) => {
      captured.body = form;
      return true;
    })
    .reply(status, body as nock.Body, headers);
  return { scope, captured };
};

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  // Take nock's hooks off node:http(s): they outlive this file in the jest worker, and the real-socket
  // tests that run next in it (local-server.test.ts) must reach their server unintercepted.
  nock.restore();
});

describe('createConnector', () => {
  it('is an SMS connector with valid metadata and never calls getConfig', async () => {
    const calls: string[] = [];
    const connector: SmsConnector = await createConnector({
      getConfig: async (id) => {
        calls.push(id);
        return notImplemented();
      },
    });
    expect(connector.type).toBe(ConnectorType.Sms);
    expect(connector.metadata.id).toBe('sms-suite-twilio');
    expect(() => connectorMetadataGuard.parse(metadata)).not.toThrow();
    expect(calls).toEqual([]);
  });

  it('marks the auth token confidential in the console form', () => {
    expect(metadata.formItems?.find(({ key }) => key === 'authToken')).toMatchObject({ isConfidential: true });
  });
});

describe('sendMessage', () => {
  it('sends the console test message with the unsaved config', async () => {
    const { scope, captured } = expectTwilioCall(201, { sid: 'SM0001', status: 'accepted' });

    await expect(consoleSend(config)).resolves.toEqual({ messageId: 'SM0001' });

    expect(captured.body).toEqual({
      To: '+16502530000',
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      Body: 'Your code is 000000',
      RiskCheck: 'enable',
    });
    scope.done();
  });

  it('sends a real sign-in with the stored config, in the user locale, forwarding no other payload key', async () => {
    const { scope, captured } = expectTwilioCall(201, { sid: 'SM0002', status: 'queued' });
    const calls: string[] = [];
    const connector = await createConnector({
      getConfig: async (id) => {
        calls.push(id);
        return config;
      },
    });

    await expect(
      connector.sendMessage({
        to: '16502530000',
        type: TemplateType.SignIn,
        payload: { code: '123456', locale: 'fr-CA', uiLocales: 'fr-CA fr en', extra: 'ignored' },
        ip: '203.0.113.7',
      })
    ).resolves.toEqual({ messageId: 'SM0002' });

    expect(calls).toEqual(['sms-suite-twilio']);
    expect(captured.body).toEqual({
      To: '+16502530000',
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      Body: 'Votre code de connexion est 123456',
      RiskCheck: 'enable',
    });
    scope.done();
  });

  it("sends with the official documentation's example config (legacy Test type serves Generic)", async () => {
    const exampleBasic = `Basic ${Buffer.from('<your-account-sid>:<your-auth-token>').toString('base64')}`;
    const captured: { body?: Record<string, string> } = {};
    const scope = nock('https://api.twilio.com', { reqheaders: { authorization: exampleBasic } })
      .post('/2010-04-01/Accounts/%3Cyour-account-sid%3E/Messages.json', (form: Record<string, string>) => {
        captured.body = form;
        return true;
      })
      .reply(201, { sid: 'SM0003', status: 'accepted' });

    await expect(consoleSend(officialExample)).resolves.toEqual({ messageId: 'SM0003' });
    expect(captured.body).toEqual({
      To: '+16502530000',
      MessagingServiceSid: '<messaging-service-sid>',
      Body: '<arbitrary-test-template-contents: your passcode is 000000>',
      RiskCheck: 'enable',
    });
    scope.done();
  });

  it.each(Object.values(TemplateType))('sends %s with only a Generic template configured', async (type) => {
    const { scope, captured } = expectTwilioCall(201, { sid: `SM-${type}`, status: 'accepted' });
    const connector = await createConnector({ getConfig: notImplemented });
    await expect(
      connector.sendMessage(
        { to: '8613800138000', type, payload: { code: '654321' } },
        { ...config, templates: [{ usageType: 'Generic', content: 'Code: {{code}}' }] }
      )
    ).resolves.toEqual({ messageId: `SM-${type}` });
    expect(captured.body).toMatchObject({ To: '+8613800138000', Body: 'Code: 654321' });
    scope.done();
  });

  it('sends From and honours disableRiskCheck and a regional endpoint', async () => {
    const captured: { body?: Record<string, string> } = {};
    const scope = nock('https://api.dublin.ie1.twilio.com', { reqheaders: { authorization: basic } })
      .post(path, (form: Record<string, string>) => {
        captured.body = form;
        return true;
      })
      .reply(201, { sid: 'SM0004', status: 'queued' });

    await consoleSend({
      ...config,
      fromMessagingServiceSID: undefined,
      from: 'AcmeInc',
      disableRiskCheck: true,
      endpoint: 'https://api.dublin.ie1.twilio.com',
    });
    expect(captured.body).toEqual({
      To: '+16502530000',
      From: 'AcmeInc',
      Body: 'Your code is 000000',
      RiskCheck: 'disable',
    });
    scope.done();
  });

  it('renders a code containing replacement patterns literally', async () => {
    const { scope, captured } = expectTwilioCall(201, { sid: 'SM0005', status: 'queued' });
    const connector = await createConnector({ getConfig: async () => config });
    await connector.sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: { code: '$&$1{{code}}' } });
    expect(captured.body?.Body).toBe('Your code is $&$1{{code}}');
    scope.done();
  });
});

describe('sendMessage errors', () => {
  it.each([
    [
      21211,
      400,
      'connector.invalid_request_parameters',
      400,
      'Error in key path "to": (custom) Twilio error 21211: The \'To\' number is not valid.',
    ],
    [
      21608,
      400,
      'connector.invalid_request_parameters',
      400,
      'Error in key path "to": (custom) Twilio error 21608: The number is unverified.',
    ],
    [
      20003,
      401,
      'connector.invalid_config',
      400,
      'Error in key path "authToken": (custom) Twilio error 20003: Authenticate',
    ],
    [
      21606,
      400,
      'connector.invalid_config',
      400,
      'Error in key path "fromMessagingServiceSID": (custom) Twilio error 21606: The From is not valid.',
    ],
    [20429, 429, 'connector.rate_limit_exceeded', 429, 'Trigger rate limit. Please try again later.'],
    [30001, 400, 'connector.general', 400, 'Error occurred in connector: Twilio error 30001: Queue overflow'],
  ])('maps Twilio %i (HTTP %i) to %s, HTTP %i in Logto', async (code, httpStatus, logtoCode, logtoStatus, line) => {
    const messages: Record<number, string> = {
      21211: "The 'To' number is not valid.",
      21608: 'The number is unverified.',
      20003: 'Authenticate',
      21606: 'The From is not valid.',
      20429: 'Too Many Requests',
      30001: 'Queue overflow',
    };
    const { scope } = expectTwilioCall(
      httpStatus,
      { code, message: messages[code], status: httpStatus },
      { 'twilio-request-id': 'RQ1' }
    );

    const error = await rejection(consoleSend(config));
    const response = logtoResponseFor(error);
    expect(response.code).toBe(logtoCode);
    expect(response.status).toBe(logtoStatus);
    expect(response.toast).toContain(line);
    if (error.data instanceof ZodError) {
      expect((error.data.issues[0] as { params?: unknown } | undefined)?.params).toMatchObject({
        provider: 'Twilio',
        providerCode: code,
        httpStatus,
        requestId: 'RQ1',
      });
    } else {
      expect(error.data).toMatchObject({ provider: 'Twilio', providerCode: code, httpStatus, requestId: 'RQ1' });
    }
    scope.done();
  });

  it('maps a bare HTTP 429 to rate_limit_exceeded', async () => {
    const { scope } = expectTwilioCall(429, 'slow down');
    const error = await rejection(consoleSend(config));
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(error.data).toEqual({
      errorDescription: 'Twilio answered HTTP 429: slow down',
      provider: 'Twilio',
      httpStatus: 429,
    });
    scope.done();
  });

  it('reads a non-JSON 5xx as a general error an admin can read', async () => {
    const { scope } = expectTwilioCall(503, '<html><body>Service Unavailable</body></html>');
    const error = await rejection(consoleSend(config));
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.general',
      toast: 'Error occurred in connector: Twilio answered HTTP 503: <html><body>Service Unavailable</body></html>',
    });
    scope.done();
  });

  it('reports a 201 without a sid as an invalid response', async () => {
    const { scope } = expectTwilioCall(201, 'OK');
    const error = await rejection(consoleSend(config));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
    expect(error.data).toMatchObject({ errorDescription: 'Twilio answered HTTP 201 without a message sid: OK' });
    scope.done();
  });

  it('gives up after the configured timeout, once', async () => {
    // Under nock the mock socket only "connects" when it replies: to the kit the request never left.
    const scope = nock('https://api.twilio.com').post(path).delay(2000).reply(201, { sid: 'SMlate' });
    const spare = nock('https://api.twilio.com').post(path).reply(201, { sid: 'SMretry' });
    const error = await rejection(consoleSend({ ...config, timeout: 50 }));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription:
        'Twilio could not be reached within 50 ms (api.twilio.com: no connection or TLS handshake completed); the message was not sent. Check the endpoint and the network, or raise "timeout" (at most 60000 ms).',
      provider: 'Twilio',
      delivery: 'notSent',
    });
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.general',
      toast:
        'Error occurred in connector: Twilio could not be reached within 50 ms (api.twilio.com: no connection or TLS handshake completed); the message was not sent. Check the endpoint and the network, or raise "timeout" (at most 60000 ms).',
    });
    scope.done();
    expect(spare.isDone()).toBe(false);
  });

  it('reports a network failure as a general error, without the auth token', async () => {
    const scope = nock('https://api.twilio.com')
      .post(path)
      .replyWithError(
        Object.assign(new Error(`getaddrinfo ENOTFOUND api.twilio.com (token ${authToken})`), { code: 'ENOTFOUND' })
      );
    const error = await rejection(consoleSend(config));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription: expect.stringMatching(
        /^Could not reach Twilio at api\.twilio\.com after \d+ ms: the host name was not found \(check the endpoint spelling and DNS\) \(ENOTFOUND\); the message was not sent\.$/
      ),
      provider: 'Twilio',
      delivery: 'notSent',
    });
    expect(logtoResponseFor(error).status).toBe(400);
    expect(JSON.stringify(error.data)).not.toContain(authToken);
    expect(error.message).not.toContain(authToken);
    scope.done();
  });

  it.each(['12345', 'not-a-number', '+1 555', ''])('rejects the number %j before any HTTP call', async (to) => {
    const error = await rejection(consoleSend(config, to));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(logtoResponseFor(error).toast).toContain('Error in key path "to": (custom)');
    expect(nock.pendingMocks()).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });

  it('rejects an invalid config with the guard ZodError before any HTTP call', async () => {
    const error = await rejection(consoleSend({ ...config, authToken: undefined }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toBeInstanceOf(ZodError);
    expect(logtoResponseFor(error).toast).toBe(
      `The connector's config is invalid.\nError in key path "authToken": (invalid_type) Required`
    );
  });

  it('refuses templates without a Generic fallback as invalid_config before any HTTP call', async () => {
    const error = await rejection(
      consoleSend({ ...config, templates: [{ usageType: 'SignIn', content: 'Code {{code}}' }] })
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(logtoResponseFor(error).toast).toContain(
      'Error in key path "templates": (custom) templates needs a "Generic" template without "locale"'
    );
    expect(nock.isDone()).toBe(true);
  });

  it('never lets the auth token or the Authorization value reach an error', async () => {
    const { scope } = expectTwilioCall(400, {
      code: 21211,
      message: `Invalid To; your request was ${basic} with token ${authToken}`,
    });
    const error = await rejection(consoleSend(config));
    const everything = JSON.stringify({
      data: error.data,
      message: error.message,
      toast: logtoResponseFor(error).toast,
    });
    expect(everything).not.toContain(authToken);
    expect(everything).not.toContain(basic.slice('Basic '.length));
    expect(everything).toContain('[redacted]');
    scope.done();
  });
});

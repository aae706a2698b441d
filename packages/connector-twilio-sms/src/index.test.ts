import { readFileSync } from 'node:fs';

import { ConnectorErrorCodes, TemplateType } from '@logto/connector-kit';
import { logtoResponseFor } from '@sms-suite/sms-kit';
import {
  consoleSend,
  expectPost,
  interceptHttpWithNock,
  rejectionOf as rejection,
  storedConfigSend,
  type ReceivedRequest,
} from '@sms-suite/sms-kit/testing';
import nock from 'nock';
import { ZodError } from 'zod';

import createConnector, { metadata } from './index';

const accountSID = 'AC0123456789abcdef0123456789abcdef';
const authToken = 'f00dfacef00dfacef00dfacef00dface';
const basic = `Basic ${Buffer.from(`${accountSID}:${authToken}`).toString('base64')}`;
const origin = 'https://api.twilio.com';
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

/** The console's Send with `formConfig`: Generic, code 000000. */
const consoleTest = async (formConfig: unknown, to = '16502530000') => consoleSend(createConnector, { to }, formConfig);

/** Expects one call to the Messages resource of the account and answers it. */
const expectTwilioCall = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  expectPost(origin, path, { status, body, headers });

/** The form fields of a request, decoded. */
const formOf = (request: ReceivedRequest | undefined) => Object.fromEntries(new URLSearchParams(request?.body));

const expectTwilioRequest = (request: ReceivedRequest | undefined, url: string, authorization = basic) => {
  expect(request?.method).toBe('POST');
  expect(request?.url).toBe(url);
  expect(request?.headers).toMatchObject({
    authorization,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    accept: 'application/json',
  });
};

interceptHttpWithNock();

describe('metadata', () => {
  it('marks the auth token confidential in the console form', () => {
    expect(metadata.formItems?.find(({ key }) => key === 'authToken')).toMatchObject({ isConfidential: true });
  });
});

describe('sendMessage', () => {
  it('sends a real sign-in with the stored config, in the user locale, forwarding no other payload key', async () => {
    const { scope, requests } = expectTwilioCall(201, { sid: 'SM0002', status: 'queued' });
    const { result, configIds } = await storedConfigSend(
      createConnector,
      {
        to: '16502530000',
        type: TemplateType.SignIn,
        payload: { code: '123456', locale: 'fr-CA', uiLocales: 'fr-CA fr en', extra: 'ignored' },
        ip: '203.0.113.7',
      },
      config
    );

    expect(result).toEqual({ messageId: 'SM0002' });
    expect(configIds).toEqual(['sms-suite-twilio']);
    expect(requests).toHaveLength(1);
    expectTwilioRequest(requests[0], `${origin}${path}`);
    expect(formOf(requests[0])).toEqual({
      To: '+16502530000',
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      Body: 'Votre code de connexion est 123456',
      RiskCheck: 'enable',
    });
    scope.done();
  });

  it("sends with the official documentation's example config (legacy Test type serves Generic)", async () => {
    const exampleBasic = `Basic ${Buffer.from('<your-account-sid>:<your-auth-token>').toString('base64')}`;
    const examplePath = '/2010-04-01/Accounts/%3Cyour-account-sid%3E/Messages.json';
    const { scope, requests } = expectPost(origin, examplePath, { status: 201, body: { sid: 'SM0003' } });

    await expect(consoleTest(officialExample)).resolves.toEqual({ messageId: 'SM0003' });
    expectTwilioRequest(requests[0], `${origin}${examplePath}`, exampleBasic);
    expect(formOf(requests[0])).toEqual({
      To: '+16502530000',
      MessagingServiceSid: '<messaging-service-sid>',
      Body: '<arbitrary-test-template-contents: your passcode is 000000>',
      RiskCheck: 'enable',
    });
    scope.done();
  });

  it('sends From and honours disableRiskCheck and a regional endpoint', async () => {
    const dublin = 'https://api.dublin.ie1.twilio.com';
    const { scope, requests } = expectPost(dublin, path, { status: 201, body: { sid: 'SM0004', status: 'queued' } });

    await consoleTest({
      ...config,
      fromMessagingServiceSID: undefined,
      from: 'AcmeInc',
      disableRiskCheck: true,
      endpoint: dublin,
    });
    expectTwilioRequest(requests[0], `${dublin}${path}`);
    expect(formOf(requests[0])).toEqual({
      To: '+16502530000',
      From: 'AcmeInc',
      Body: 'Your code is 000000',
      RiskCheck: 'disable',
    });
    scope.done();
  });

  it('renders a code containing replacement patterns literally', async () => {
    const { scope, requests } = expectTwilioCall(201, { sid: 'SM0005', status: 'queued' });
    const connector = await createConnector({ getConfig: async () => config });
    await connector.sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: { code: '$&$1{{code}}' } });
    expect(formOf(requests[0]).Body).toBe('Your code is $&$1{{code}}');
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

    const error = await rejection(consoleTest(config));
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
    const error = await rejection(consoleTest(config));
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(error.data).toEqual({
      errorDescription: 'Twilio answered HTTP 429: slow down',
      provider: 'Twilio',
      httpStatus: 429,
      delivery: 'refused',
    });
    scope.done();
  });

  it('reports a 201 without a sid as an invalid response', async () => {
    const { scope } = expectTwilioCall(201, 'OK');
    const error = await rejection(consoleTest(config));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
    expect(error.data).toMatchObject({ errorDescription: 'Twilio answered HTTP 201 without a message sid: OK' });
    scope.done();
  });

  it('reports a network failure as a general error, without the auth token', async () => {
    const scope = nock(origin)
      .post(path)
      .replyWithError(
        Object.assign(new Error(`getaddrinfo ENOTFOUND api.twilio.com (token ${authToken})`), { code: 'ENOTFOUND' })
      );
    const error = await rejection(consoleTest(config));
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

  it('rejects an invalid config with the guard ZodError before any HTTP call', async () => {
    const error = await rejection(consoleTest({ ...config, authToken: undefined }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toBeInstanceOf(ZodError);
    expect(logtoResponseFor(error).toast).toBe(
      `The connector's config is invalid.\nError in key path "authToken": (invalid_type) Required`
    );
  });

  it('refuses templates without a Generic fallback as invalid_config before any HTTP call', async () => {
    const error = await rejection(
      consoleTest({ ...config, templates: [{ usageType: 'SignIn', content: 'Code {{code}}' }] })
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(logtoResponseFor(error).toast).toContain(
      'Error in key path "templates": (custom) templates needs a "Generic" template without "locale"'
    );
    expect(nock.isDone()).toBe(true);
  });
});

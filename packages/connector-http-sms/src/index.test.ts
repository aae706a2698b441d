import { ConnectorError, ConnectorErrorCodes, TemplateType } from '@logto/connector-kit';
import { logtoResponseFor, templateTypes } from '@sms-suite/sms-kit';
import {
  consoleSend,
  expectPost,
  interceptHttpWithNock,
  rejectionOf as rejection,
  storedConfigSend,
} from '@sms-suite/sms-kit/testing';
import nock from 'nock';
import { Webhook } from 'standardwebhooks';
import { ZodError } from 'zod';

import createConnector, { metadata } from './index';

const origin = 'https://sms-gateway.example.com';
const endpoint = `${origin}/send`;
const signingSecret = 'whsec_c2lnbmluZy1zZWNyZXQtb2YtdGhlLWdhdGV3YXk=';
const token = 'gw-t0ken-9f8e7d6c';
const apiKey = 'gw-api-key-31415926';

/** Every value that must never show up in an error. */
const secrets = [token, apiKey, signingSecret, signingSecret.slice('whsec_'.length)];

const fullConfig = {
  endpoint,
  authorization: `Bearer ${token}`,
  headers: { 'X-Api-Key': apiKey, 'X-Tenant': 'acme-prod' },
  signingSecret,
  templates: [
    { usageType: 'Generic', content: 'Your code is {{code}}' },
    { usageType: 'SignIn', content: 'Sign in with {{code}}' },
    { usageType: 'SignIn', locale: 'fr', content: 'Connexion : {{code}}' },
    { usageType: 'Generic', locale: 'zh-CN', content: '您的验证码是 {{code}}' },
  ],
  timeout: 3000,
};

/** Intercepts one POST to the endpoint, records the request exactly, answers with `status` and `body`. */
const gateway = (status: number, body: string | Record<string, unknown> = '', headers: Record<string, string> = {}) => {
  const { scope, requests } = expectPost(origin, '/send', { status, body, headers });
  return { scope, captured: requests };
};

const expectNoSecrets = (error: ConnectorError) => {
  const visible = [
    error.message,
    JSON.stringify(error.data),
    error.data instanceof ZodError ? JSON.stringify(error.data.issues) : '',
    logtoResponseFor(error).toast,
    String(error.stack),
  ].join('\n');
  for (const secret of secrets) {
    expect(visible).not.toContain(secret);
  }
};

interceptHttpWithNock();

describe('metadata', () => {
  it('has our own id and the target of the official HTTP SMS connector', () => {
    expect(metadata).toMatchObject({ id: 'sms-suite-http', target: 'http-sms' });
  });
});

describe('sendMessage: what reaches the gateway', () => {
  it('real flow: reads the stored config and sends the official body, phoneNumber and the signed headers', async () => {
    const { scope, captured } = gateway(200, { messageId: 'gw-msg-1' });
    const { result, configIds } = await storedConfigSend(
      createConnector,
      {
        to: '16502530000',
        type: TemplateType.SignIn,
        payload: { code: '123456', locale: 'fr-CA', uiLocales: 'fr-CA fr en' },
        ip: '203.0.113.7',
      },
      fullConfig
    );

    expect(result).toEqual({ messageId: 'gw-msg-1' });
    expect(configIds).toEqual(['sms-suite-http']);
    expect(scope.isDone()).toBe(true);
    const [request] = captured;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(endpoint);
    expect(request?.body).toBe(
      '{"to":"16502530000","type":"SignIn","payload":{"code":"123456","locale":"fr-CA","uiLocales":"fr-CA fr en"},"ip":"203.0.113.7","phoneNumber":"+16502530000","message":"Connexion : 123456"}'
    );
    expect(request?.headers).toEqual({
      host: 'sms-gateway.example.com',
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'x-api-key': apiKey,
      'x-tenant': 'acme-prod',
      'webhook-id': expect.stringMatching(/^msg_[\w-]+$/),
      'webhook-timestamp': expect.stringMatching(/^\d{10}$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      'content-length': String(Buffer.byteLength(request?.body ?? '')),
      // nock swaps in its own agent for the kit's keep-alive one, so Node writes `connection: close`.
      connection: 'close',
    });
    // An independent Standard Webhooks implementation accepts the delivery as received.
    expect(new Webhook(signingSecret).verify(request?.body ?? '', request?.headers as Record<string, string>)).toEqual(
      JSON.parse(request?.body ?? '')
    );
  });

  it("console test with the official connector's config: the official body (no message, no ip), no webhook headers", async () => {
    const { captured } = gateway(204);
    await expect(
      consoleSend(createConnector, { to: '16502530000' }, { endpoint, authorization: 'Bearer <your-token>' })
    ).resolves.toEqual({});

    expect(captured[0]?.body).toBe(
      '{"to":"16502530000","type":"Generic","payload":{"code":"000000"},"phoneNumber":"+16502530000"}'
    );
    expect(captured[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer <your-token>',
    });
    expect(captured[0]?.headers).not.toHaveProperty('webhook-signature');
  });

  it.each([...templateTypes])('sends %s with a message from its template or the Generic fallback', async (type) => {
    const { captured } = gateway(200, { messageId: 'm' });
    await consoleSend(createConnector, { to: '16502530000', type, payload: { code: '424242' } }, fullConfig);

    const body = JSON.parse(captured[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toEqual({
      to: '16502530000',
      type,
      payload: { code: '424242' },
      phoneNumber: '+16502530000',
      message: type === TemplateType.SignIn ? 'Sign in with 424242' : 'Your code is 424242',
    });
  });

  it.each([
    ['zh-CN', TemplateType.Register, '您的验证码是 654321'],
    ['zh-Hans-CN', TemplateType.Register, 'Your code is 654321'],
    ['fr', TemplateType.SignIn, 'Connexion : 654321'],
    ['de', TemplateType.SignIn, 'Sign in with 654321'],
  ])('picks the template for locale %s and type %s', async (locale, type, message) => {
    const { captured } = gateway(200);
    await consoleSend(createConnector, { to: '16502530000', type, payload: { code: '654321', locale } }, fullConfig);
    expect((JSON.parse(captured[0]?.body ?? '{}') as { message?: string }).message).toBe(message);
  });

  it('normalizes a number typed in the console with a default region', async () => {
    const { captured } = gateway(200);
    await consoleSend(
      createConnector,
      { to: '07700 900123', type: TemplateType.Generic, payload: { code: '1' } },
      { endpoint, defaultRegion: 'GB' }
    );
    expect(JSON.parse(captured[0]?.body ?? '{}')).toMatchObject({ to: '07700 900123', phoneNumber: '+447700900123' });
  });
});

describe('sendMessage: errors before any HTTP call', () => {
  it.each([
    [{ authorization: 'Bearer x' }, 'endpoint'],
    [{ endpoint: 'sms-gateway.example.com/send' }, 'endpoint'],
    [{ endpoint: 'ftp://sms-gateway.example.com/send' }, 'endpoint'],
    [{ endpoint, headers: { Host: 'other.example.com' } }, 'headers.Host'],
    [{ endpoint, signingSecret: 'not-a-secret' }, 'signingSecret'],
    [{ endpoint, timeout: 120_000 }, 'timeout'],
  ])('rejects the config %j as invalid_config naming %s', async (config, path) => {
    const { scope } = gateway(200);
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } },
        config
      )
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toBeInstanceOf(ZodError);
    const response = logtoResponseFor(error);
    expect(response.status).toBe(400);
    expect(response.toast).toContain(`Error in key path "${path}"`);
    expect(scope.isDone()).toBe(false);
  });

  it('turns an unexpected failure into a readable general error (never a TypeError)', async () => {
    const { scope } = gateway(200);
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '1', size: BigInt(1) } },
        fullConfig
      )
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(logtoResponseFor(error).toast).toMatch(
      /^Error occurred in connector: HTTP SMS gateway connector failed unexpectedly \(TypeError: .*BigInt.*\)\.$/
    );
    expect(scope.isDone()).toBe(false);
  });
});

describe('sendMessage: the response contract, end to end', () => {
  const contractError = (code: string, message: string) => ({ error: { code, message } });

  it.each([
    [
      429,
      contractError('rate_limited', 'Slow down'),
      { 'retry-after': '20' },
      ConnectorErrorCodes.RateLimitExceeded,
      429,
      'The SMS gateway at sms-gateway.example.com is rate limiting (HTTP 429, Retry-After: 20 s): Slow down',
    ],
    [
      401,
      contractError('unauthorized', 'Bad token'),
      {},
      ConnectorErrorCodes.InvalidConfig,
      400,
      'Error in key path "authorization": (custom) The SMS gateway at sms-gateway.example.com refused the credentials (HTTP 401): Bad token. Check "authorization", "headers" and "signingSecret".',
    ],
    [
      403,
      'Forbidden',
      {},
      ConnectorErrorCodes.InvalidConfig,
      400,
      'Error in key path "authorization": (custom) The SMS gateway at sms-gateway.example.com refused the credentials (HTTP 403): Forbidden.',
    ],
    [
      400,
      contractError('invalid_recipient', 'Not a mobile number'),
      {},
      ConnectorErrorCodes.InvalidRequestParameters,
      400,
      'Error in key path "to": (custom) The SMS gateway at sms-gateway.example.com rejected the message (HTTP 400, invalid_recipient): Not a mobile number',
    ],
    [
      422,
      contractError('invalid_config', 'No sender for +1'),
      {},
      ConnectorErrorCodes.InvalidConfig,
      400,
      'Error in key path "endpoint": (custom) The SMS gateway at sms-gateway.example.com rejected the message (HTTP 422, invalid_config): No sender for +1',
    ],
    [
      400,
      contractError('rate_limited', 'Three per hour'),
      {},
      ConnectorErrorCodes.RateLimitExceeded,
      429,
      'The SMS gateway at sms-gateway.example.com rejected the message (HTTP 400, rate_limited): Three per hour',
    ],
    [
      422,
      contractError('quota_exceeded', 'Balance is 0'),
      {},
      'usage_limit_exceeded',
      429,
      'The SMS gateway at sms-gateway.example.com rejected the message (HTTP 422, quota_exceeded): Balance is 0',
    ],
    [
      422,
      contractError('template_rejected', 'Carrier refused the text'),
      {},
      ConnectorErrorCodes.General,
      400,
      'Error occurred in connector: The SMS gateway at sms-gateway.example.com rejected the message (HTTP 422, template_rejected): Carrier refused the text',
    ],
    [
      503,
      'upstream SMSC unavailable',
      {},
      ConnectorErrorCodes.General,
      400,
      'Error occurred in connector: The SMS gateway at sms-gateway.example.com answered HTTP 503: upstream SMSC unavailable',
    ],
  ])('HTTP %i with %j and headers %j is reported as %s', async (status, body, headers, code, logtoStatus, shown) => {
    const { scope } = gateway(status, body, headers);
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.SignIn, payload: { code: '123456' } },
        fullConfig
      )
    );
    expect(scope.isDone()).toBe(true);
    expect(error.code).toBe(code);
    const response = logtoResponseFor(error);
    expect(response.status).toBe(logtoStatus);
    if (error.data instanceof ZodError || code === ConnectorErrorCodes.General) {
      expect(response.toast).toContain(shown);
    } else {
      expect(error.data).toMatchObject({ errorDescription: shown, provider: 'HTTP SMS gateway', httpStatus: status });
    }
  });

  it('names the host on a network failure', async () => {
    nock(origin)
      .post('/send')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '1' } },
        fullConfig
      )
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription: expect.stringMatching(
        /^Could not reach HTTP SMS gateway at sms-gateway\.example\.com after \d+ ms: the connection was reset \(ECONNRESET\); the message was not sent\.$/
      ),
      provider: 'HTTP SMS gateway',
      delivery: 'notSent',
    });
    expect(logtoResponseFor(error).status).toBe(400);
  });
});

describe('secrets never leak', () => {
  const echo = `token=${token} auth=Bearer ${token} key=${apiKey} secret=${signingSecret} raw=${signingSecret.slice(6)} b64=${Buffer.from(apiKey).toString('base64')}`;

  it.each([
    [500, echo],
    [401, { error: { code: 'unauthorized', message: echo } }],
    [400, { error: { code: 'invalid_recipient', message: echo } }],
    [422, { error: { code: 'invalid_config', message: echo } }],
    [422, { error: { code: 'some_code', message: echo } }],
    [429, { error: { code: 'rate_limited', message: echo } }],
    [422, { error: { code: 'quota_exceeded', message: echo } }],
  ])('when the gateway echoes them back with HTTP %i', async (status, body) => {
    gateway(status, body);
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '1' } },
        fullConfig
      )
    );
    expectNoSecrets(error);
    expect(JSON.stringify(error.data)).toContain('[redacted]');
  });

  it('when the network error quotes them', async () => {
    // No code: the kit quotes the error's own message, so the secrets in it must be redacted there.
    nock(origin).post('/send').replyWithError(new Error(echo));
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '1' } },
        fullConfig
      )
    );
    expectNoSecrets(error);
    expect((error.data as { errorDescription: string }).errorDescription).toMatch(
      /^Could not reach HTTP SMS gateway at sms-gateway\.example\.com after \d+ ms: token=\[redacted\] auth=\[redacted\] key=\[redacted\] secret=\[redacted\] raw=\[redacted\] b64=\[redacted\]; the message was not sent\.$/
    );
  });

  it("when the gateway quotes the request's webhook-signature back", async () => {
    const sent: { signature?: string; authorization?: string } = {};
    const scope = nock(origin)
      .post('/send')
      .reply(function () {
        sent.signature = String(this.req.headers['webhook-signature']);
        sent.authorization = String(this.req.headers.authorization);
        return [
          401,
          JSON.stringify({
            error: {
              code: 'unauthorized',
              message: `webhook-signature ${sent.signature} does not verify (key ${signingSecret}, authorization ${sent.authorization})`,
            },
          }),
        ];
      });
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '1' } },
        fullConfig
      )
    );
    expect(scope.isDone()).toBe(true);
    const { signature = '', authorization = '' } = sent;
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(authorization).toBe(`Bearer ${token}`);

    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.invalid_config',
      toast:
        'The connector\'s config is invalid.\nError in key path "authorization": (custom) The SMS gateway at sms-gateway.example.com refused the credentials (HTTP 401): webhook-signature [redacted] does not verify (key [redacted], authorization [redacted]). Check "authorization", "headers" and "signingSecret".',
    });
    expectNoSecrets(error);
    const visible = [error.message, JSON.stringify(error.data), JSON.stringify((error.data as ZodError).issues)].join(
      '\n'
    );
    for (const value of [signature, signature.slice('v1,'.length), authorization]) {
      expect(visible).not.toContain(value);
    }
  });

  it('when the config is rejected', async () => {
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '1' } },
        { ...fullConfig, headers: { 'X-Api-Key': `${apiKey}\n`, Host: token }, signingSecret: `${signingSecret}!` }
      )
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expectNoSecrets(error);
  });

  it.each([
    ['a timeout', () => nock('https://sms-gateway.example.com').post(/.*/).delay(1000).reply(200)],
    ['an HTTP 500', () => nock('https://sms-gateway.example.com').post(/.*/).reply(500, 'down')],
    [
      'a network error',
      () =>
        nock('https://sms-gateway.example.com')
          .post(/.*/)
          .replyWithError(
            Object.assign(
              new Error(
                'socket hang up: POST https://sms-gateway.example.com/hooks/t0k3n-in-path/send?api_key=k3y-in-query'
              ),
              { code: 'ECONNRESET' }
            )
          ),
    ],
  ])('shows only the host of the endpoint on %s (keys often live in its path or query)', async (_, intercept) => {
    const scope = intercept();
    const error = await rejection(
      consoleSend(
        createConnector,
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '1' } },
        { endpoint: 'https://sms-gateway.example.com/hooks/t0k3n-in-path/send?api_key=k3y-in-query', timeout: 50 }
      )
    );
    expect(scope.isDone()).toBe(true);
    const visible = `${error.message}\n${JSON.stringify(error.data)}\n${logtoResponseFor(error).toast}`;
    expect(visible).toContain('sms-gateway.example.com');
    expect(visible).not.toContain('t0k3n-in-path');
    expect(visible).not.toContain('k3y-in-query');
  });
});

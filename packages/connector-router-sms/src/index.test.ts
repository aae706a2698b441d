import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { sandboxCredentials } from '@sms-suite/catalog';
import { wireFormsOf } from '@sms-suite/sms-kit';
import { notImplemented, rejectionOf } from '@sms-suite/sms-kit/testing';
import { ZodError } from 'zod';

import createConnector, { metadata } from '.';
import {
  accepted,
  aliyunConfig,
  signIn,
  twilioConfig,
  twilioError,
  twilioFraudBlock,
  vonageConfig,
} from '../test/provider-configs';
import { closedPortUrl, startProviderDouble, type DoubleBehaviour, type ProviderDouble } from '../test/provider-double';

/**
 * The router end to end from source, on real sockets and real time: every provider is a double on
 * 127.0.0.1 that answers in that provider's own format and counts what it saw.
 */

const doubles: ProviderDouble[] = [];
const double = async (behaviour: DoubleBehaviour) => {
  const started = await startProviderDouble(behaviour);
  doubles.push(started);
  return started;
};
afterEach(async () => {
  await Promise.all(doubles.splice(0).map(async (started) => started.close()));
});

const connector = async (stored?: unknown) =>
  createConnector({ getConfig: stored === undefined ? notImplemented : async () => stored });

/** Two routes as the issue shows them: Aliyun then Twilio for CN, Twilio then Vonage elsewhere. */
const chinaAndWorld = (
  urls: { aliyun: string; twilio: string; vonage: string },
  extra: Record<string, unknown> = {}
) => ({
  providers: {
    'aliyun-cn': { use: 'aliyun', config: aliyunConfig(urls.aliyun) },
    twilio: { use: 'twilio', config: twilioConfig(urls.twilio) },
    vonage: { use: 'vonage', config: vonageConfig(urls.vonage) },
  },
  routes: [
    { countries: ['CN'], providers: ['aliyun-cn', 'twilio'] },
    { countries: ['*'], providers: ['twilio', 'vonage'] },
  ],
  ...extra,
});

const expectError = (error: unknown, code: ConnectorErrorCodes) => {
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).code).toBe(code);
  return error as ConnectorError;
};

/** Every string a failed send shows: the data, a ZodError's issues included. */
const shown = (error: ConnectorError) =>
  JSON.stringify(error.data instanceof ZodError ? error.data.issues : error.data);

describe('routes by the number’s own country', () => {
  it('sends +86 through the first CN provider and +1 through the first "*" provider, one request each', async () => {
    const aliyun = await double(accepted.aliyun);
    const twilio = await double(accepted.twilio);
    const vonage = await double(accepted.vonage);
    const created = await connector(chinaAndWorld({ aliyun: aliyun.url, twilio: twilio.url, vonage: vonage.url }));

    await expect(created.sendMessage(signIn('8613800138000'))).resolves.toEqual({
      provider: 'aliyun-cn',
      messageId: 'A0001',
      attempts: [
        {
          provider: 'aliyun-cn',
          use: 'aliyun',
          outcome: 'delivered',
          messageId: 'A0001',
          elapsedMs: expect.any(Number),
        },
      ],
    });
    expect(new URLSearchParams(aliyun.requests[0]?.body).get('PhoneNumbers')).toBe('13800138000');
    expect(new URLSearchParams(aliyun.requests[0]?.body).get('TemplateCode')).toBe('SMS_100000001');

    await expect(created.sendMessage(signIn('16502530000'))).resolves.toMatchObject({
      provider: 'twilio',
      messageId: 'SM0001',
    });
    expect(new URLSearchParams(twilio.requests[0]?.body).get('To')).toBe('+16502530000');
    expect(new URLSearchParams(twilio.requests[0]?.body).get('Body')).toBe('Your code is 123456');
    expect([aliyun.requests.length, twilio.requests.length, vonage.requests.length]).toEqual([1, 1, 0]);
  });

  it('routes +1 868 as Trinidad and Tobago, not the United States', async () => {
    const us = await double(accepted.twilio);
    const tt = await double(accepted.vonage);
    const created = await connector({
      providers: {
        'twilio-us': { use: 'twilio', config: twilioConfig(us.url) },
        'vonage-tt': { use: 'vonage', config: vonageConfig(tt.url) },
      },
      routes: [
        { countries: ['US', 'CA'], providers: ['twilio-us'] },
        { countries: ['TT'], providers: ['vonage-tt'] },
      ],
    });
    await expect(created.sendMessage(signIn('18687654321'))).resolves.toMatchObject({ provider: 'vonage-tt' });
    expect([us.requests.length, tt.requests.length]).toEqual([0, 1]);
  });

  it('refuses a number no route serves as invalid_request_parameters naming its country, with no request', async () => {
    const twilio = await double(accepted.twilio);
    const created = await connector({
      providers: { twilio: { use: 'twilio', config: twilioConfig(twilio.url) } },
      routes: [{ countries: ['US', 'CA'], providers: ['twilio'] }],
    });
    const error = expectError(
      await rejectionOf(created.sendMessage(signIn('18687654321'))),
      ConnectorErrorCodes.InvalidRequestParameters
    );
    expect((error.data as ZodError).issues[0]).toMatchObject({
      path: ['to'],
      message:
        'No route serves Trinidad and Tobago (TT): the routes serve US, CA only. Add TT to a route, or a "*" route last for every other country.',
    });
    expect(twilio.requests).toHaveLength(0);
  });
});

describe('failover: only where the first provider certainly did not deliver', () => {
  const worldOnly = (first: string, second: string, extra: Record<string, unknown> = {}) => ({
    providers: {
      twilio: { use: 'twilio', config: twilioConfig(first, { timeout: 1500 }) },
      vonage: { use: 'vonage', config: vonageConfig(second) },
    },
    routes: [{ countries: ['*'], providers: ['twilio', 'vonage'] }],
    ...extra,
  });

  it.each<[string, DoubleBehaviour, Record<string, unknown>]>([
    [
      'a 429',
      twilioError(429, 20429, 'Too Many Requests'),
      { code: 'rate_limit_exceeded', providerCode: 20429, httpStatus: 429 },
    ],
    [
      'invalid credentials',
      twilioError(401, 20003, 'Authenticate'),
      { code: 'invalid_config', providerCode: 20003, httpStatus: 401 },
    ],
    [
      'a 503',
      twilioError(503, 20503, 'Service Unavailable'),
      { code: 'general', providerCode: 20503, httpStatus: 503 },
    ],
  ])('moves on after %s: the next provider delivers, once', async (_name, behaviour, first) => {
    const firstDouble = await double(behaviour);
    const second = await double(accepted.vonage);
    const created = await connector(worldOnly(firstDouble.url, second.url));
    await expect(created.sendMessage(signIn('447911123456'))).resolves.toEqual({
      provider: 'vonage',
      messageId: 'V0001',
      attempts: [
        {
          provider: 'twilio',
          use: 'twilio',
          outcome: 'refused',
          elapsedMs: expect.any(Number),
          description: expect.stringMatching(/^Twilio error /),
          ...first,
        },
        { provider: 'vonage', use: 'vonage', outcome: 'delivered', messageId: 'V0001', elapsedMs: expect.any(Number) },
      ],
    });
    expect([firstDouble.requests.length, second.requests.length]).toEqual([1, 1]);
    expect(new URLSearchParams(second.requests[0]?.body).get('to')).toBe('447911123456');
  });

  it('moves on after a usage limit (an exhausted balance): the next provider delivers, once', async () => {
    const first = await double({
      reply: {
        status: 200,
        body: { 'message-count': '1', messages: [{ status: '9', 'error-text': 'Partner quota exceeded' }] },
      },
    });
    const second = await double(accepted.twilio);
    const created = await connector({
      providers: {
        vonage: { use: 'vonage', config: vonageConfig(first.url) },
        twilio: { use: 'twilio', config: twilioConfig(second.url) },
      },
      routes: [{ countries: ['*'], providers: ['vonage', 'twilio'] }],
    });
    await expect(created.sendMessage(signIn('447911123456'))).resolves.toMatchObject({
      provider: 'twilio',
      attempts: [
        { provider: 'vonage', outcome: 'refused', code: 'usage_limit_exceeded', providerCode: '9', httpStatus: 200 },
        { provider: 'twilio', outcome: 'delivered', messageId: 'SM0001' },
      ],
    });
    expect([first.requests.length, second.requests.length]).toEqual([1, 1]);
  });

  it('moves on when the first provider refuses the connection (nothing was sent)', async () => {
    const second = await double(accepted.vonage);
    const created = await connector(worldOnly(await closedPortUrl(), second.url));
    const result = await created.sendMessage(signIn('447911123456'));
    expect(result).toMatchObject({
      provider: 'vonage',
      attempts: [
        { provider: 'twilio', use: 'twilio', outcome: 'notSent', code: 'general' },
        { provider: 'vonage', use: 'vonage', outcome: 'delivered', messageId: 'V0001' },
      ],
    });
    expect(second.requests).toHaveLength(1);
  });

  it.each<[string, DoubleBehaviour, ConnectorErrorCodes, RegExp]>([
    [
      'a timeout',
      { hang: true },
      ConnectorErrorCodes.General,
      /twilio: no complete reply after the request was sent — may have been delivered/,
    ],
    [
      'a reset after the request was written',
      { reset: true },
      ConnectorErrorCodes.General,
      /twilio: no complete reply after the request was sent — may have been delivered/,
    ],
    [
      'a 500',
      twilioError(500, 20500, 'Internal'),
      ConnectorErrorCodes.General,
      /twilio: failed \(Twilio 20500, HTTP 500\) — may have been delivered/,
    ],
    [
      'an unreadable 2xx',
      { reply: { status: 201, body: '<html>ok</html>' } },
      ConnectorErrorCodes.InvalidResponse,
      /twilio: unreadable reply \(HTTP 201\) — may have been delivered/,
    ],
    [
      'an invalid number',
      twilioError(400, 21211, "The 'To' number is not valid"),
      ConnectorErrorCodes.InvalidRequestParameters,
      /twilio: number refused \(Twilio 21211, HTTP 400\) — not sent/,
    ],
    [
      'Twilio 30450 (created, then failed by SMS Pumping Protection)',
      twilioFraudBlock,
      ConnectorErrorCodes.InvalidRequestParameters,
      /twilio: blocked as SMS pumping \(Twilio 30450, HTTP 201\) — not sent/,
    ],
    [
      'Twilio 60410 as an HTTP error',
      twilioError(403, 60410, 'Verification delivery attempt blocked'),
      ConnectorErrorCodes.InvalidRequestParameters,
      /blocked as SMS pumping \(Twilio 60410, HTTP 403\)/,
    ],
    [
      'a refusal another provider would not change (a body too long)',
      twilioError(400, 21617, 'Body too long'),
      ConnectorErrorCodes.General,
      /twilio: failed \(Twilio 21617, HTTP 400\) — not sent/,
    ],
  ])(
    'stops at the first provider after %s, with one request and none to the next',
    async (_name, behaviour, code, line) => {
      const first = await double(behaviour);
      const second = await double(accepted.vonage);
      const created = await connector(worldOnly(first.url, second.url));
      const error = expectError(await rejectionOf(created.sendMessage(signIn('447911123456'))), code);
      expect(shown(error)).toMatch(line);
      expect(shown(error)).toContain('no other provider was tried');
      expect(shown(error)).toContain('vonage: not tried (stopped at twilio)');
      expect(shown(error)).toContain('{"provider":"vonage","use":"vonage","outcome":"notTried"}');
      expect([first.requests.length, second.requests.length]).toEqual([1, 0]);
    }
  );

  it('says what each attempt got when every provider refused, with the code of the last (invalid_config → its key path)', async () => {
    const aliyun = await double({
      reply: {
        status: 200,
        body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: 'frequency limit', RequestId: 'R-2' },
      },
    });
    const twilio = await double(twilioError(401, 20003, 'Authenticate'));
    const vonage = await double(accepted.vonage);
    const created = await connector(chinaAndWorld({ aliyun: aliyun.url, twilio: twilio.url, vonage: vonage.url }));
    const error = expectError(
      await rejectionOf(created.sendMessage(signIn('8613800138000'))),
      ConnectorErrorCodes.InvalidConfig
    );
    const [issue] = (error.data as ZodError).issues;
    expect(issue?.path).toEqual(['providers', 'twilio', 'config', 'authToken']);
    expect(issue?.message).toMatch(
      /^No provider of the route for CN sent the message\. aliyun-cn: rate limited \(Aliyun isv\.BUSINESS_LIMIT_CONTROL, HTTP 200\) — not sent; twilio: invalid_config \(Twilio 20003, HTTP 401, authToken\) — not sent\. \[aliyun-cn\] Aliyun .+ \[twilio\] Twilio error 20003: Authenticate/
    );
    expect(issue).toMatchObject({
      params: {
        provider: 'twilio',
        use: 'twilio',
        providerCode: 20003,
        httpStatus: 401,
        delivery: 'refused',
        attempts: [
          {
            provider: 'aliyun-cn',
            use: 'aliyun',
            outcome: 'refused',
            code: 'rate_limit_exceeded',
            providerCode: 'isv.BUSINESS_LIMIT_CONTROL',
          },
          { provider: 'twilio', use: 'twilio', outcome: 'refused', code: 'invalid_config', providerCode: 20003 },
        ],
      },
    });
    expect([aliyun.requests.length, twilio.requests.length, vonage.requests.length]).toEqual([1, 1, 0]);
  });

  it('answers rate_limit_exceeded (HTTP 429 in Logto) when the last provider was rate limited', async () => {
    const first = await double(twilioError(401, 20003, 'Authenticate'));
    const second = await double({ reply: { status: 429, body: 'slow down' } });
    const created = await connector(worldOnly(first.url, second.url));
    const error = expectError(
      await rejectionOf(created.sendMessage(signIn('447911123456'))),
      ConnectorErrorCodes.RateLimitExceeded
    );
    expect(error.data).toMatchObject({ provider: 'vonage', httpStatus: 429, delivery: 'refused' });
    expect((error.data as { errorDescription: string }).errorDescription).toMatch(
      /^No provider of the "\*" route sent the message\. twilio: invalid_config .+ — not sent; vonage: rate limited \(HTTP 429\) — not sent\./
    );
  });

  it('keeps every provider secret out of the error, in every wire form, even from a provider that echoes the request', async () => {
    const first = await double({ echo: 401 });
    const second = await double({ echo: 401 });
    // Vonage first: its 401 is invalid_config, so the router moves on to Twilio, which echoes too.
    const created = await connector({
      providers: {
        vonage: { use: 'vonage', config: vonageConfig(first.url) },
        twilio: { use: 'twilio', config: twilioConfig(second.url) },
      },
      routes: [{ countries: ['*'], providers: ['vonage', 'twilio'] }],
    });
    const error = expectError(
      await rejectionOf(created.sendMessage(signIn('447911123456'))),
      ConnectorErrorCodes.General
    );
    expect(shown(error)).toContain(
      'vonage: invalid_config (HTTP 401, apiSecret) — not sent; twilio: failed (HTTP 401)'
    );
    const text = `${shown(error)} ${error.message}`;
    const { accountSID, authToken } = sandboxCredentials.twilio;
    const secrets = [
      authToken,
      sandboxCredentials.vonage.apiSecret,
      Buffer.from(`${accountSID}:${authToken}`).toString('base64'),
    ];
    for (const secret of secrets) {
      for (const form of wireFormsOf(secret)) {
        expect(text).not.toContain(form);
      }
    }
    expect(text).toContain('[redacted]');
    expect([first.requests.length, second.requests.length]).toEqual([1, 1]);
  });
});

describe('one deadline for the whole send', () => {
  const route = (first: string, second: string, firstTimeout: number, timeout: number) => ({
    providers: {
      twilio: { use: 'twilio', config: twilioConfig(first, { timeout: firstTimeout }) },
      vonage: { use: 'vonage', config: vonageConfig(second, { timeout: 10_000 }) },
    },
    routes: [{ countries: ['*'], providers: ['twilio', 'vonage'] }],
    timeout,
  });
  const slow503 = (delayMs: number): DoubleBehaviour => ({ reply: { status: 503, body: 'busy', delayMs } });

  it('starts no attempt with less than 1 s left: the next provider is not tried', async () => {
    const first = await double(slow503(1600));
    const second = await double(accepted.vonage);
    const created = await connector(route(first.url, second.url, 5000, 2500));
    const startedAt = Date.now();
    const error = expectError(
      await rejectionOf(created.sendMessage(signIn('447911123456'))),
      ConnectorErrorCodes.General
    );
    expect(Date.now() - startedAt).toBeLessThan(2500);
    expect(error.data).toMatchObject({
      provider: 'twilio',
      httpStatus: 503,
      delivery: 'refused',
      attempts: [
        { provider: 'twilio', outcome: 'refused', httpStatus: 503 },
        { provider: 'vonage', use: 'vonage', outcome: 'notTried' },
      ],
    });
    expect((error.data as { errorDescription: string }).errorDescription).toContain(
      'vonage: not tried (less than 1000 ms of the 2500 ms deadline was left)'
    );
    expect([first.requests.length, second.requests.length]).toEqual([1, 0]);
  });

  it('gives the next attempt only what is left of the deadline, not its own timeout', async () => {
    const first = await double(slow503(1000));
    const second = await double({ hang: true });
    const created = await connector(route(first.url, second.url, 5000, 2600));
    const startedAt = Date.now();
    const error = expectError(
      await rejectionOf(created.sendMessage(signIn('447911123456'))),
      ConnectorErrorCodes.General
    );
    const elapsed = Date.now() - startedAt;
    // Vonage's own timeout is 10 s; the router's deadline ends its attempt after about 1.6 s.
    expect(elapsed).toBeGreaterThanOrEqual(2500);
    expect(elapsed).toBeLessThan(4000);
    expect(error.data).toMatchObject({ provider: 'vonage', delivery: 'unknown' });
    expect([first.requests.length, second.requests.length]).toEqual([1, 1]);
  });

  it("ends an attempt at its provider's own timeout when that comes first", async () => {
    const first = await double({ hang: true });
    const second = await double(accepted.vonage);
    const created = await connector(route(first.url, second.url, 1200, 20_000));
    const startedAt = Date.now();
    await rejectionOf(created.sendMessage(signIn('447911123456')));
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect([first.requests.length, second.requests.length]).toEqual([1, 0]);
  });
});

describe('config', () => {
  it('reports a provider config mistake with its full key path, before any request', async () => {
    const twilio = await double(accepted.twilio);
    const created = await connector();
    const config = chinaAndWorld({ aliyun: twilio.url, twilio: twilio.url, vonage: twilio.url });
    delete (config.providers.twilio.config as { authToken?: string }).authToken;
    const error = expectError(
      await rejectionOf(created.sendMessage(signIn('16502530000'), config)),
      ConnectorErrorCodes.InvalidConfig
    );
    expect((error.data as ZodError).issues.map(({ path }) => path.join('.'))).toEqual([
      'providers.twilio.config.authToken',
    ]);
    expect(twilio.requests).toHaveLength(0);
  });

  it('reads the stored config by its own id for a real send', async () => {
    const twilio = await double(accepted.twilio);
    const ids: string[] = [];
    const created = await createConnector({
      getConfig: async (id) => {
        ids.push(id);
        return {
          providers: { twilio: { use: 'twilio', config: twilioConfig(twilio.url) } },
          routes: [{ countries: ['*'], providers: ['twilio'] }],
        };
      },
    });
    await created.sendMessage(signIn('16502530000'));
    expect(ids).toEqual([metadata.id]);
    expect(metadata.id).toBe('sms-suite-router');
  });
});

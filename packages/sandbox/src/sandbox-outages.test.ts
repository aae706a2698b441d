/**
 * Outages on the wire: what each provider answers in each mode (exact status and body), that an
 * outage touches one provider only, keeps its refusals out of the inbox and is counted, and the
 * `/outages` and `/requests` endpoints a sandbox in another process is driven with.
 */
import { request as httpRequest } from 'node:http';

import { sandboxCredentials } from './credentials';
import {
  aliyunSend,
  gatewayApiSend,
  httpSmsBody,
  httpSmsSend,
  messagingServiceSid,
  smsAeroSend,
  tencentSend,
  twilioSend,
  useHarness,
  vonageFields,
  vonageSend,
  type Answer,
} from './test-support';
import {
  outageDescriptions,
  outageModes,
  outageProvidersFor,
  parseOutage,
  readOutage,
  type OutageMode,
} from './outages';
import { startSandbox } from './server';
import { sandboxProviders, type Sandbox, type SandboxProvider } from './types';

const harness = useHarness();

afterEach(() => {
  harness.sandbox.clearOutage();
  harness.sandbox.resetRequestCounts();
  harness.logs.length = 0;
});

const ordinary = '+16502530000';

/** A valid, signed send to an ordinary number: what the provider accepts when it is not in an outage. */
const sends: Record<SandboxProvider, (sandbox: Sandbox) => Promise<Answer>> = {
  twilio: (sandbox) => twilioSend(sandbox, { to: ordinary }),
  aliyun: (sandbox) => aliyunSend(sandbox, { phoneNumbers: '16502530000' }),
  tencent: (sandbox) => tencentSend(sandbox, { numbers: [ordinary] }),
  http: (sandbox) => httpSmsSend(sandbox, { body: httpSmsBody(ordinary) }),
  smsaero: (sandbox) =>
    smsAeroSend(sandbox, { body: { number: '16502530000', sign: 'SMS Aero', text: 'Your code is 123456' } }),
  gatewayapi: (sandbox) =>
    gatewayApiSend(sandbox, {
      body: { sender: 'ExampleCo', message: 'Your code is 123456', recipients: [{ msisdn: 16502530000 }] },
    }),
  vonage: (sandbox) => vonageSend(sandbox, vonageFields('16502530000')),
};

/** The success status of each provider, to see it working beside another's outage. */
const successStatus: Record<SandboxProvider, number> = {
  twilio: 201,
  aliyun: 200,
  tencent: 200,
  http: 200,
  smsaero: 200,
  gatewayapi: 200,
  vonage: 200,
};

type Expected = { status: number; json?: unknown; text?: string; headers?: Record<string, string>; log: string };

const twilioError = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});
const aliyunGateway = (code: string, message: string) => ({
  RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
  HostId: 'dysmsapi.aliyuncs.com',
  Code: code,
  Message: message,
  Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Dysmsapi`,
});
const tencentFailure = (code: string, message: string) => ({
  Response: { Error: { Code: code, Message: message }, RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
});
const gatewayApiFailure = (message: string, code?: string) => ({
  ...(code && { code }),
  incident_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
  message,
});
const vonageStatus = (status: string, errorText: string) => ({
  'message-count': '1',
  messages: [{ status, 'error-text': errorText }],
});

type CommonMode = Exclude<OutageMode, 'no-reply' | 'reset' | 'fraud-block'>;

/** What the connector's side of the wire sees, per provider and mode. */
const expected: Record<SandboxProvider, Record<CommonMode, Expected>> = {
  twilio: {
    'refuse-credentials': {
      status: 401,
      json: twilioError(401, 20003, 'Authenticate'),
      log: '401 20003 Authenticate',
    },
    'rate-limited': {
      status: 429,
      json: twilioError(429, 20429, 'Too Many Requests'),
      log: '429 20429 Too Many Requests',
    },
    unavailable: {
      status: 503,
      json: twilioError(503, 20503, 'Service Unavailable'),
      log: '503 20503 Service Unavailable',
    },
    'server-error': {
      status: 500,
      json: twilioError(500, 20500, 'An internal server error has occurred'),
      log: '500 20500 An internal server error has occurred',
    },
  },
  aliyun: {
    'refuse-credentials': {
      status: 404,
      json: aliyunGateway('InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
      log: '404 InvalidAccessKeyId.NotFound',
    },
    'rate-limited': {
      status: 200,
      json: {
        RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
        Code: 'isv.BUSINESS_LIMIT_CONTROL',
        Message: '触发小时级流控Permits:5 (hourly flow control triggered)',
      },
      log: '200 isv.BUSINESS_LIMIT_CONTROL',
    },
    unavailable: {
      status: 503,
      json: aliyunGateway('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
      log: '503 ServiceUnavailable',
    },
    'server-error': {
      status: 500,
      json: aliyunGateway(
        'InternalError',
        'The request processing has failed due to some unknown error, exception or failure.'
      ),
      log: '500 InternalError',
    },
  },
  tencent: {
    'refuse-credentials': {
      status: 200,
      json: tencentFailure(
        'AuthFailure.SecretIdNotFound',
        'The SecretId is not found, please ensure that your SecretId is correct.'
      ),
      log: '200 AuthFailure.SecretIdNotFound',
    },
    'rate-limited': {
      status: 200,
      json: tencentFailure('RequestLimitExceeded', 'The number of requests exceeds the frequency limit.'),
      log: '200 RequestLimitExceeded',
    },
    unavailable: {
      status: 503,
      json: tencentFailure('ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.'),
      log: '503 ServiceUnavailable',
    },
    'server-error': {
      status: 500,
      json: tencentFailure('InternalError', 'An internal error occurred. Please try again later.'),
      log: '500 InternalError',
    },
  },
  http: {
    'refuse-credentials': {
      status: 401,
      json: { error: { code: 'unauthorized', message: 'The Authorization header is not valid.' } },
      log: '401 unauthorized',
    },
    'rate-limited': {
      status: 429,
      json: { error: { code: 'rate_limited', message: 'Too many messages to this number; retry in 30 seconds.' } },
      headers: { 'retry-after': '30' },
      log: '429 rate_limited',
    },
    unavailable: {
      status: 503,
      json: { error: { code: 'unavailable', message: 'The gateway is temporarily unavailable; retry in 30 seconds.' } },
      headers: { 'retry-after': '30' },
      log: '503 unavailable',
    },
    'server-error': {
      status: 500,
      json: { error: { code: 'internal_error', message: 'The gateway failed to process the message.' } },
      log: '500 internal_error',
    },
  },
  smsaero: {
    'refuse-credentials': {
      status: 401,
      json: { success: false, data: null, message: 'Your request was made with invalid credentials.' },
      log: '401 Your request was made with invalid credentials.',
    },
    'rate-limited': {
      status: 429,
      json: { success: false, data: null, message: 'Too Many Requests' },
      log: '429 Too Many Requests',
    },
    unavailable: {
      status: 503,
      json: { success: false, data: null, message: 'Service Unavailable' },
      log: '503 Service Unavailable',
    },
    'server-error': {
      status: 500,
      json: { success: false, data: null, message: 'Internal Server Error' },
      log: '500 Internal Server Error',
    },
  },
  gatewayapi: {
    'refuse-credentials': {
      status: 401,
      json: gatewayApiFailure('Invalid username or API token', '0x0210'),
      log: '401 0x0210 Invalid username or API token',
    },
    'rate-limited': {
      status: 429,
      json: gatewayApiFailure('Too many requests, slow down'),
      log: '429 Too many requests, slow down',
    },
    unavailable: {
      status: 503,
      json: gatewayApiFailure('Service temporarily unavailable'),
      log: '503 Service temporarily unavailable',
    },
    'server-error': {
      status: 500,
      json: gatewayApiFailure('Internal server error'),
      log: '500 Internal server error',
    },
  },
  vonage: {
    'refuse-credentials': {
      status: 200,
      json: vonageStatus('4', 'Bad Credentials'),
      log: '200 status 4 Bad Credentials',
    },
    'rate-limited': { status: 200, json: vonageStatus('1', 'Throttled'), log: '200 status 1 Throttled' },
    unavailable: { status: 503, text: 'Service Unavailable', log: '503 Service Unavailable' },
    'server-error': { status: 500, json: vonageStatus('5', 'Internal Error'), log: '500 status 5 Internal Error' },
  },
};

const zeroCounts = Object.fromEntries(sandboxProviders.map((provider) => [provider, 0]));
const countsWith = (counts: Partial<Record<SandboxProvider, number>>) => ({ ...zeroCounts, ...counts });

const label = (provider: SandboxProvider) => provider.padEnd(10);

/** Where a bare POST reaches each provider: Tencent's root needs its headers, `/tencent` does not. */
const rawUrl = (sandbox: Sandbox, provider: SandboxProvider) =>
  provider === 'tencent' ? `${sandbox.url}/tencent` : sandbox.endpointFor(provider);

type RawOutcome = { status: number; text: string } | { error: string };

/**
 * A POST on a fresh connection, reporting how the exchange ended: a reply, or the socket error. fetch
 * hides the difference between a reset and other failures behind "fetch failed".
 */
const rawPost = (url: string, body: string, timeoutMs = 2000): Promise<RawOutcome> =>
  new Promise((resolve) => {
    const outgoing = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'text/plain' } });
    outgoing.setTimeout(timeoutMs, () => {
      outgoing.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' }));
    });
    outgoing.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, text });
      });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ error: error.code ?? error.message });
    });
    outgoing.end(body);
  });

describe('outage replies, provider by provider', () => {
  const cases = sandboxProviders.flatMap((provider) =>
    (Object.keys(expected[provider]) as CommonMode[]).map((mode) => [provider, mode] as const)
  );

  it.each(cases)(
    '%s in outage %s answers its own reply, keeps nothing and counts the request',
    async (provider, mode) => {
      const { sandbox } = harness;
      sandbox.setOutage(provider, mode);
      const want = expected[provider][mode];

      const answer = await sends[provider](sandbox);

      expect(answer.status).toBe(want.status);
      if (want.json !== undefined) {
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
        expect(answer.json).toEqual(want.json);
      } else {
        expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(answer.text).toBe(want.text);
      }
      for (const [name, value] of Object.entries(want.headers ?? {})) {
        expect(answer.headers.get(name)).toBe(value);
      }
      expect(sandbox.inbox).toEqual([]);
      expect(harness.messages).toEqual([]);
      expect(sandbox.requestCounts()).toEqual(countsWith({ [provider]: 1 }));
      expect(harness.logs).toEqual([
        `sandbox    outage ${provider}: ${mode} (until cleared)`,
        `${label(provider)} outage ${mode}: ${want.log}`,
      ]);
    }
  );

  it('Aliyun answers an outage in the Format asked for (XML by default)', async () => {
    harness.sandbox.setOutage('aliyun', 'refuse-credentials');
    const answer = await aliyunSend(harness.sandbox, { phoneNumbers: '16502530000', format: 'XML' });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    expect(answer.text).toMatch(
      /^<\?xml version='1.0' encoding='UTF-8'\?><Error><RequestId>[0-9A-F-]{36}<\/RequestId><HostId>dysmsapi\.aliyuncs\.com<\/HostId><Code>InvalidAccessKeyId\.NotFound<\/Code>/
    );
  });

  it('Twilio fraud-block: 201, a message resource created already failed with 30450, not in the inbox', async () => {
    const { sandbox } = harness;
    sandbox.setOutage('twilio', 'fraud-block');
    const answer = await twilioSend(sandbox, { to: ordinary });

    expect(answer.status).toBe(201);
    expect(answer.headers.get('twilio-request-id')).toMatch(/^RQ[0-9a-f]{32}$/);
    const sid = (answer.json as { sid: string }).sid;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    const { accountSID } = sandboxCredentials.twilio as { accountSID: string };
    expect(answer.json).toEqual({
      account_sid: accountSID,
      api_version: '2010-04-01',
      body: 'Your verification code is 123456',
      date_created: expect.stringMatching(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
      date_sent: null,
      date_updated: expect.any(String),
      direction: 'outbound-api',
      error_code: 30450,
      error_message: 'Message delivery blocked',
      from: null,
      messaging_service_sid: messagingServiceSid,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid,
      status: 'failed',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSID}/Messages/${sid}/Media.json` },
      to: ordinary,
      uri: `/2010-04-01/Accounts/${accountSID}/Messages/${sid}.json`,
    });
    expect(sandbox.inbox).toEqual([]);
    expect(sandbox.requestCounts()).toEqual(countsWith({ twilio: 1 }));
    expect(harness.logs.at(-1)).toBe(`twilio     outage fraud-block: 201 ${sid} failed 30450 Message delivery blocked`);
  });

  it.each(sandboxProviders.map((provider) => [provider]))(
    '%s in outage no-reply holds the request until the client gives up, and counts it',
    async (provider) => {
      const { sandbox } = harness;
      sandbox.setOutage(provider, 'no-reply');
      const outcome = await rawPost(rawUrl(sandbox, provider), 'anything', 150);
      expect(outcome).toEqual({ error: 'TIMEOUT' });
      // The sandbox logs the give-up when the socket closes on its side.
      for (let attempt = 0; attempt < 50 && harness.logs.length < 3; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(harness.logs).toEqual([
        `sandbox    outage ${provider}: no-reply (until cleared)`,
        `${label(provider)} outage no-reply: holding the request open until the client gives up`,
        expect.stringMatching(new RegExp(`^${label(provider)} client gave up after \\d+ ms$`)),
      ]);
      expect(sandbox.requestCounts()).toEqual(countsWith({ [provider]: 1 }));
      expect(sandbox.inbox).toEqual([]);
    }
  );

  it.each(sandboxProviders.map((provider) => [provider]))(
    '%s in outage reset reads the request, then resets the connection without a reply',
    async (provider) => {
      const { sandbox } = harness;
      sandbox.setOutage(provider, 'reset');
      // A body larger than one TCP segment: the reset comes after all of it was read.
      const outcome = await rawPost(rawUrl(sandbox, provider), 'x'.repeat(200_000));
      expect(outcome).toEqual({ error: 'ECONNRESET' });
      expect(harness.logs).toEqual([
        `sandbox    outage ${provider}: reset (until cleared)`,
        `${label(provider)} outage reset: request read, connection reset without a reply`,
      ]);
      expect(sandbox.requestCounts()).toEqual(countsWith({ [provider]: 1 }));
      expect(sandbox.inbox).toEqual([]);
    }
  );

  it('an outage answers before any check: no credentials and no body get the outage reply too', async () => {
    harness.sandbox.setOutage('gatewayapi', 'unavailable');
    const outcome = await rawPost(harness.sandbox.endpointFor('gatewayapi'), 'not json');
    expect(outcome).toMatchObject({ status: 503 });
  });
});

describe('one provider down, the others up', () => {
  it.each(sandboxProviders.map((provider) => [provider]))(
    'with %s unavailable, every other provider still accepts and keeps its message',
    async (down) => {
      const { sandbox } = harness;
      sandbox.setOutage(down, 'unavailable');
      for (const provider of sandboxProviders) {
        const answer = await sends[provider](sandbox);
        expect([provider, answer.status]).toEqual([provider, provider === down ? 503 : successStatus[provider]]);
      }
      expect(new Set(sandbox.inbox.map(({ provider }) => provider))).toEqual(
        new Set(sandboxProviders.filter((provider) => provider !== down))
      );
      expect(sandbox.requestCounts()).toEqual(Object.fromEntries(sandboxProviders.map((provider) => [provider, 1])));
    }
  );

  it('clearing an outage restores the provider; clearing all restores every one', async () => {
    const { sandbox } = harness;
    sandbox.setOutage('twilio', 'server-error');
    sandbox.setOutage('vonage', 'rate-limited');
    expect(sandbox.outages).toEqual({ twilio: 'server-error', vonage: 'rate-limited' });
    expect((await sends.twilio(sandbox)).status).toBe(500);

    sandbox.clearOutage('twilio');
    expect(sandbox.outages).toEqual({ vonage: 'rate-limited' });
    expect((await sends.twilio(sandbox)).status).toBe(201);
    expect((await sends.vonage(sandbox)).json).toMatchObject({ messages: [{ status: '1' }] });

    sandbox.clearOutage();
    expect(sandbox.outages).toEqual({});
    expect((await sends.vonage(sandbox)).json).toMatchObject({ messages: [{ status: '0' }] });
    expect(sandbox.inbox.map(({ provider }) => provider)).toEqual(['twilio', 'vonage']);
    expect(sandbox.requestCounts()).toEqual(countsWith({ twilio: 2, vonage: 2 }));
    expect(harness.logs.filter((line) => line.startsWith('sandbox '))).toEqual([
      'sandbox    outage twilio: server-error (until cleared)',
      'sandbox    outage vonage: rate-limited (until cleared)',
      'sandbox    outage twilio cleared',
      'sandbox    outages cleared (1)',
    ]);
  });

  it('an outage wins over a magic number, and setting another mode replaces the first', async () => {
    const { sandbox } = harness;
    sandbox.setOutage('twilio', 'rate-limited');
    sandbox.setOutage('twilio', 'refuse-credentials');
    expect(sandbox.outages).toEqual({ twilio: 'refuse-credentials' });
    expect((await twilioSend(sandbox, { to: '+16505550105' })).status).toBe(401);
  });

  it('sandbox.outages is a snapshot nobody can change', () => {
    const { sandbox } = harness;
    sandbox.setOutage('aliyun', 'unavailable');
    const view = sandbox.outages;
    expect(Object.isFrozen(view)).toBe(true);
    sandbox.clearOutage('aliyun');
    expect(view).toEqual({ aliyun: 'unavailable' });
    expect(sandbox.outages).toEqual({});
  });

  it('refuses a mode the provider does not have, or an unknown provider or mode, naming the valid ones', () => {
    const { sandbox } = harness;
    expect(() => {
      sandbox.setOutage('aliyun', 'fraud-block');
    }).toThrow('Cannot set the outage: the "fraud-block" outage exists for twilio only, not for aliyun.');
    expect(() => {
      sandbox.setOutage('twilio', 'down' as OutageMode);
    }).toThrow(`Cannot set the outage: "down" is not an outage mode: use one of ${outageModes.join(', ')}.`);
    expect(() => {
      sandbox.setOutage('sinch' as SandboxProvider, 'unavailable');
    }).toThrow(`Cannot set the outage: "sinch" is not a sandbox provider: use one of ${sandboxProviders.join(', ')}.`);
    expect(() => {
      sandbox.clearOutage('sinch' as SandboxProvider);
    }).toThrow('Cannot clear the outage: "sinch" is not a sandbox provider');
    expect(sandbox.outages).toEqual({});
  });
});

describe('request counts', () => {
  it('count every request a provider path receives, whatever the outcome; GET /requests serves them, DELETE resets', async () => {
    const { sandbox } = harness;
    await sends.twilio(sandbox);
    await twilioSend(sandbox, { to: '+16505550101' }); // magic: rate limited
    await twilioSend(sandbox, { to: ordinary, authorization: null }); // refused: no credentials
    await fetch(`${sandbox.endpointFor('twilio')}/nothing`); // 404 under the prefix
    await sends.tencent(sandbox); // served at the root
    await fetch(`${sandbox.url}/inbox`); // not a provider
    await fetch(`${sandbox.url}/`);

    const counts = countsWith({ twilio: 4, tencent: 1 });
    expect(sandbox.requestCounts()).toEqual(counts);
    const served = await fetch(`${sandbox.url}/requests`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual(counts);

    const reset = await fetch(`${sandbox.url}/requests`, { method: 'DELETE' });
    expect(await reset.json()).toEqual({ cleared: 5 });
    expect(sandbox.requestCounts()).toEqual(zeroCounts);
    expect(harness.logs.at(-1)).toBe('sandbox    request counts reset (5 requests)');
    expect((await fetch(`${sandbox.url}/requests`, { method: 'POST' })).status).toBe(405);
  });

  it('requestCounts() is a copy', async () => {
    const counts = harness.sandbox.requestCounts();
    counts.twilio = 99;
    expect(harness.sandbox.requestCounts().twilio).toBe(0);
  });
});

describe('HTTP control of outages', () => {
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${harness.sandbox.url}${path}`, {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };

  it('PUT /outages/<provider> sets, GET /outages lists, DELETE clears one or all', async () => {
    expect(await control('GET', '/outages')).toEqual({ status: 200, json: {} });
    expect(await control('PUT', '/outages/twilio', { mode: 'unavailable' })).toEqual({
      status: 200,
      json: { twilio: 'unavailable' },
    });
    expect(await control('PUT', '/outages/aliyun', { mode: 'rate-limited' })).toEqual({
      status: 200,
      json: { twilio: 'unavailable', aliyun: 'rate-limited' },
    });
    expect(harness.sandbox.outages).toEqual({ twilio: 'unavailable', aliyun: 'rate-limited' });
    expect((await sends.twilio(harness.sandbox)).status).toBe(503);

    expect(await control('DELETE', '/outages/twilio')).toEqual({ status: 200, json: { aliyun: 'rate-limited' } });
    expect((await sends.twilio(harness.sandbox)).status).toBe(201);
    expect(await control('DELETE', '/outages')).toEqual({ status: 200, json: {} });
    expect(harness.sandbox.outages).toEqual({});
    // Clearing what is not set is not an error.
    expect(await control('DELETE', '/outages/vonage')).toEqual({ status: 200, json: {} });
  });

  it.each([
    ['an unknown provider', '/outages/sinch', { mode: 'unavailable' }, '"sinch" is not a sandbox provider'],
    ['an unknown mode', '/outages/twilio', { mode: 'down' }, '"down" is not an outage mode'],
    ['a mode the provider lacks', '/outages/vonage', { mode: 'fraud-block' }, 'exists for twilio only'],
    ['no mode', '/outages/twilio', {}, '"undefined" is not an outage mode'],
    ['a body that is not JSON', '/outages/twilio', 'mode=unavailable', '"undefined" is not an outage mode'],
  ])('PUT with %s is a 400 naming the valid providers and modes', async (_what, path, body, problem) => {
    const { status, json } = await control('PUT', path, body);
    expect(status).toBe(400);
    expect(json).toEqual({
      error: expect.stringContaining(problem),
      providers: [...sandboxProviders],
      modes: outageModes.map((mode) => ({
        mode,
        description: outageDescriptions[mode],
        providers: outageProvidersFor(mode),
      })),
    });
    expect(harness.sandbox.outages).toEqual({});
  });

  it('DELETE of an unknown provider is a 400; other methods are 405 with what is served', async () => {
    expect(await control('DELETE', '/outages/sinch')).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('"sinch" is not a sandbox provider') },
    });
    for (const [method, path] of [
      ['POST', '/outages'],
      ['PUT', '/outages'],
      ['GET', '/outages/twilio'],
    ] as const) {
      expect(await control(method, path)).toEqual({
        status: 405,
        json: { error: expect.stringContaining('PUT /outages/<provider> with {"mode": "…"} sets one') },
      });
    }
  });

  it('the index at / lists the outages, the modes and the control URLs', async () => {
    harness.sandbox.setOutage('smsaero', 'reset');
    const index = (await (await fetch(`${harness.sandbox.url}/`)).json()) as Record<string, unknown>;
    expect(index.requests).toBe(`${harness.sandbox.url}/requests`);
    expect(index.outages).toEqual({
      control: `${harness.sandbox.url}/outages`,
      active: { smsaero: 'reset' },
      modes: outageModes.map((mode) => ({
        mode,
        description: outageDescriptions[mode],
        providers: outageProvidersFor(mode),
      })),
    });
  });
});

describe('outages from the start options', () => {
  it('apply from the first request', async () => {
    const sandbox = await startSandbox({ outages: { twilio: 'fraud-block', http: 'server-error' } });
    try {
      expect(sandbox.outages).toEqual({ twilio: 'fraud-block', http: 'server-error' });
      expect((await sends.http(sandbox)).status).toBe(500);
      expect((await sends.smsaero(sandbox)).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it('a wrong one rejects startSandbox, before it listens', async () => {
    await expect(startSandbox({ outages: { tencent: 'fraud-block' } })).rejects.toThrow(
      'Cannot start the sandbox with this outage: the "fraud-block" outage exists for twilio only, not for tencent.'
    );
  });
});

describe('outage modes', () => {
  it('every mode has a description; fraud-block is Twilio only, the rest apply to every provider', () => {
    for (const mode of outageModes) {
      expect(outageDescriptions[mode]).toEqual(expect.any(String));
      expect(outageProvidersFor(mode)).toEqual(mode === 'fraud-block' ? ['twilio'] : [...sandboxProviders]);
    }
  });

  it.each([
    ['twilio=unavailable', { ok: true, provider: 'twilio', mode: 'unavailable' }],
    [' aliyun = rate-limited ', { ok: true, provider: 'aliyun', mode: 'rate-limited' }],
    ['twilio', { ok: false, problem: '"twilio" is not provider=mode (e.g. twilio=unavailable)' }],
    ['twilio=', { ok: false, problem: expect.stringContaining('"" is not an outage mode: use one of') }],
    ['=unavailable', { ok: false, problem: expect.stringContaining('"" is not a sandbox provider: use one of') }],
    ['gatewayapi=fraud-block', { ok: false, problem: expect.stringContaining('exists for twilio only') }],
  ])('parseOutage(%j)', (text, result) => {
    expect(parseOutage(text)).toEqual(result);
  });

  it('readOutage reads what a JSON body may hold', () => {
    expect(readOutage('vonage', 3)).toEqual({
      ok: false,
      problem: expect.stringContaining('"3" is not an outage mode'),
    });
    expect(readOutage(undefined, 'reset')).toEqual({
      ok: false,
      problem: expect.stringContaining('"undefined" is not a sandbox provider'),
    });
  });
});

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { ZodError, z } from 'zod';

import { parsePhone } from '../phone';
import { policyShape, refinePolicy, type PolicyConfig, type SendLimit } from './config';
import { checkDestination, countryName } from './countries';
import { describeTrippedLimit, describeWindow, plannedLimits } from './limits';
import { createMemoryStore } from './memory-store';
import { applyPolicy, counterStoreFor } from './policy';
import type { CounterStore } from './store';

const policyGuard = z.object(policyShape).superRefine(refinePolicy);

const refusalOf = (run: () => unknown): ConnectorError => {
  try {
    run();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected a refusal');
};

const rejectionOf = async (promise: Promise<unknown>): Promise<ConnectorError> =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ConnectorError);
      return error as ConnectorError;
    }
  );

const messageOf = (error: ConnectorError) =>
  error.data instanceof ZodError
    ? error.data.issues[0]?.message
    : (error.data as { errorDescription: string }).errorDescription;

describe('the policy fields', () => {
  it('accept the documented example and normalise country codes', () => {
    const config = {
      allowedCountries: ['us', 'CA', 'GB', 'CN'],
      blockedCountries: ['KP'],
      sendLimits: [
        { by: 'ip', max: 5, windowSeconds: 3600 },
        { by: 'ipCountries', max: 3, windowSeconds: 86_400 },
        { by: 'country', max: 200, windowSeconds: 3600 },
        { by: 'prefix', digits: 7, max: 20, windowSeconds: 3600 },
        { by: 'recipient', max: 3, windowSeconds: 600 },
        { by: 'all', max: 1000, windowSeconds: 3600 },
      ],
      redisUrl: 'redis://redis.internal:6379/0',
    };
    expect(policyGuard.parse(config)).toEqual({ ...config, allowedCountries: ['US', 'CA', 'GB', 'CN'] });
  });

  it.each([
    [
      { allowedCountries: ['USA'] },
      'allowedCountries.0: each country must be an ISO 3166-1 alpha-2 code such as "US", "CN" or "GB"',
    ],
    [
      { allowedCountries: [] },
      'allowedCountries: allowedCountries must list at least one country (leave it out to allow every country)',
    ],
    [
      { allowedCountries: ['US'], blockedCountries: ['us'] },
      'blockedCountries.0: US is in both allowedCountries and blockedCountries: keep it in one',
    ],
    [
      { sendLimits: [{ by: 'phone', max: 1, windowSeconds: 60 }] },
      'sendLimits.0.by: by must be one of ip, ipCountries, country, prefix, recipient, all',
    ],
    [
      { sendLimits: [{ by: 'ip', max: 0, windowSeconds: 60 }] },
      'sendLimits.0.max: max must be at least 1 (to send nothing to a country, use blockedCountries)',
    ],
    [
      { sendLimits: [{ by: 'ip', max: 1, windowSeconds: 1.5 }] },
      'sendLimits.0.windowSeconds: windowSeconds must be a whole number of seconds',
    ],
    [
      { sendLimits: [{ by: 'prefix', max: 1, windowSeconds: 60 }] },
      'sendLimits.0.digits: digits must be the number of leading digits to count by, e.g. 7',
    ],
    [
      { redisUrl: 'http://redis:6379' },
      'redisUrl: redisUrl must be a redis:// or rediss:// URL, e.g. redis://redis.internal:6379/0',
    ],
    [
      { sendLimitsOnStoreError: 'block' },
      'sendLimitsOnStoreError: sendLimitsOnStoreError must be "allow" (the default) or "refuse"',
    ],
  ])('refuses %j: %s', (config, message) => {
    const issues = policyGuard
      .safeParse(config)
      .error?.issues.map(({ path, message: text }) => `${path.join('.')}: ${text}`);
    expect(issues).toEqual([message]);
  });
});

describe('checkDestination', () => {
  // Calling codes shared by several countries: the region comes from the number itself.
  it.each([
    ['+1 868 620 0000', 'TT'],
    ['+1 416 555 0100', 'CA'],
    ['+1 650 253 0000', 'US'],
    ['+7 701 123 4567', 'KZ'],
    ['+7 916 123 4567', 'RU'],
    ['+44 7400 123456', 'GB'],
    ['+44 7781 123456', 'GG'],
    ['+44 7797 123456', 'JE'],
    ['+44 7624 123456', 'IM'],
  ])('%s is %s', (number, country) => {
    const phone = parsePhone(number);
    expect(phone.country).toBe(country);
    expect(() => checkDestination(phone, { allowedCountries: [country] })).not.toThrow();
    const others = ['US', 'CA', 'TT', 'RU', 'KZ', 'GB', 'GG', 'JE', 'IM'].filter((code) => code !== country);
    const error = refusalOf(() => checkDestination(phone, { allowedCountries: others }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect((error.data as ZodError).issues[0]).toMatchObject({ path: ['to'], params: { country } });
  });

  it('names the country and the setting', () => {
    const trinidad = parsePhone('+1 868 620 0000');
    expect(messageOf(refusalOf(() => checkDestination(trinidad, { allowedCountries: ['US', 'CA'] })))).toBe(
      'Trinidad and Tobago (TT) is not in allowedCountries (US, CA).'
    );
    expect(
      messageOf(refusalOf(() => checkDestination(parsePhone('+850 2 123 4567'), { blockedCountries: ['KP'] })))
    ).toBe('North Korea (KP) is in blockedCountries: this connector does not send SMS there.');
    expect(countryName('GB')).toBe('United Kingdom (GB)');
  });

  it('refuses a number without a country only under allowedCountries', () => {
    const satellite = parsePhone('+882 1600 0000');
    expect(satellite.country).toBeUndefined();
    expect(() => checkDestination(satellite, { blockedCountries: ['KP'] })).not.toThrow();
    expect(messageOf(refusalOf(() => checkDestination(satellite, { allowedCountries: ['US'] })))).toBe(
      'The country of +882 numbers cannot be determined, and allowedCountries only allows US.'
    );
  });

  it('lets every country through without lists', () => {
    expect(() => checkDestination(parsePhone('+850 2 123 4567'), {})).not.toThrow();
  });
});

describe('plannedLimits', () => {
  const phone = parsePhone('+1 650 253 0000');
  const limits: SendLimit[] = [
    { by: 'ip', max: 5, windowSeconds: 3600 },
    { by: 'ipCountries', max: 3, windowSeconds: 86_400 },
    { by: 'country', max: 200, windowSeconds: 3600 },
    { by: 'prefix', digits: 7, max: 20, windowSeconds: 3600 },
    { by: 'recipient', max: 3, windowSeconds: 600 },
    { by: 'all', max: 1000, windowSeconds: 3600 },
  ];

  it('keys each limit by what it counts, never with the number or the IP in clear', () => {
    const planned = plannedLimits(limits, { connectorId: 'sms-suite-twilio', phone, ip: '203.0.113.7' });
    expect(planned.map(({ counter }) => counter)).toEqual([
      {
        key: expect.stringMatching(/^sms-suite:send-limits:sms-suite-twilio:ip:3600:[\w-]{22}$/),
        windowMs: 3_600_000,
        max: 5,
      },
      {
        key: expect.stringMatching(/^sms-suite:send-limits:sms-suite-twilio:ipCountries:86400:[\w-]{22}$/),
        windowMs: 86_400_000,
        max: 3,
        distinct: 'US',
      },
      { key: 'sms-suite:send-limits:sms-suite-twilio:country:3600:US', windowMs: 3_600_000, max: 200 },
      {
        key: expect.stringMatching(/^sms-suite:send-limits:sms-suite-twilio:prefix7:3600:[\w-]{22}$/),
        windowMs: 3_600_000,
        max: 20,
      },
      {
        key: expect.stringMatching(/^sms-suite:send-limits:sms-suite-twilio:recipient:600:[\w-]{22}$/),
        windowMs: 600_000,
        max: 3,
      },
      { key: 'sms-suite:send-limits:sms-suite-twilio:all:3600', windowMs: 3_600_000, max: 1000 },
    ]);
    const keys = planned.map(({ counter }) => counter.key).join(' ');
    expect(keys).not.toMatch(/203\.0\.113\.7|16502530000|6502530000|1650253/);
  });

  it('skips the IP limits for a send without an IP, and uses the calling code for numbers outside any country', () => {
    expect(plannedLimits(limits, { connectorId: 'c', phone }).map(({ limit }) => limit.by)).toEqual([
      'country',
      'prefix',
      'recipient',
      'all',
    ]);
    const satellite = plannedLimits(limits, { connectorId: 'c', phone: parsePhone('+882 1600 0000'), ip: '::1' });
    expect(satellite[1]?.counter.distinct).toBe('+882');
    expect(satellite[2]?.counter.key).toBe('sms-suite:send-limits:c:country:3600:+882');
  });

  it('says which limit tripped without the IP or the whole number', () => {
    const subject = { connectorId: 'c', phone, ip: '203.0.113.7' };
    const texts = limits.map((limit) => describeTrippedLimit(limit, subject));
    expect(texts).toEqual([
      expect.stringContaining("the per-IP limit (5 SMS per 1 hour) was reached for this visitor's IP address"),
      expect.stringContaining(
        "this visitor's IP address already sent SMS to 3 countries within 24 hours (ipCountries limit), and United States (US) would be one more"
      ),
      expect.stringContaining('the limit for United States (US) (200 SMS per 1 hour) was reached'),
      expect.stringContaining('the limit for numbers starting +1650253 (20 SMS per 1 hour) was reached'),
      expect.stringContaining('the per-number limit (3 SMS per 10 minutes) was reached for +1 650****000'),
      expect.stringContaining('the limit for this connector (1000 SMS per 1 hour) was reached'),
    ]);
    for (const text of texts) {
      expect(text).toMatch(/^Too many SMS: .+, so the message was not sent\./);
      expect(text).not.toMatch(/203\.0\.113\.7|6502530000/);
    }
    expect([60, 90, 600, 3600, 7200, 86_400, 172_800].map(describeWindow)).toEqual([
      '1 minute',
      '90 seconds',
      '10 minutes',
      '1 hour',
      '2 hours',
      '24 hours',
      '2 days',
    ]);
  });
});

describe('the memory store', () => {
  const counter = (max: number, windowMs = 60_000, distinct?: string) => ({
    key: `k${max}:${windowMs}`,
    windowMs,
    max,
    ...(distinct && { distinct }),
  });

  it('counts in a sliding window: a send counted at t stops counting at t + window', async () => {
    const store = createMemoryStore();
    const limit = counter(2, 1000);
    expect((await store.reserve([limit], 10_000, 0)).ok).toBe(true);
    expect((await store.reserve([limit], 10_500, 0)).ok).toBe(true);
    expect(await store.reserve([limit], 10_999, 0)).toEqual({ ok: false, tripped: 0 });
    expect((await store.reserve([limit], 11_000, 0)).ok).toBe(true);
    expect(await store.reserve([limit], 11_499, 0)).toEqual({ ok: false, tripped: 0 });
    expect((await store.reserve([limit], 11_500, 0)).ok).toBe(true);
  });

  it('counts nothing when any counter of the send trips, and reports the first', async () => {
    const store = createMemoryStore();
    const wide = counter(10);
    const narrow = counter(1);
    expect((await store.reserve([wide, narrow], 0, 0)).ok).toBe(true);
    expect(await store.reserve([wide, narrow], 1, 0)).toEqual({ ok: false, tripped: 1 });
    // The refused send was not counted in `wide`: 9 more fit.
    for (let index = 0; index < 9; index += 1) {
      expect((await store.reserve([wide], 2, 0)).ok).toBe(true);
    }
    expect(await store.reserve([wide], 3, 0)).toEqual({ ok: false, tripped: 0 });
  });

  it('releases a reservation the provider refused', async () => {
    const store = createMemoryStore();
    const limit = counter(1);
    const first = await store.reserve([limit], 0, 0);
    expect(first.ok).toBe(true);
    expect((await store.reserve([limit], 1, 0)).ok).toBe(false);
    if (first.ok) {
      await first.reservation.release();
    }
    expect((await store.reserve([limit], 2, 0)).ok).toBe(true);
  });

  it('counts a distinct member once: a country already counted passes at max, a new one does not', async () => {
    const store = createMemoryStore();
    const country = (code: string) => counter(2, 60_000, code);
    expect((await store.reserve([country('US')], 0, 0)).ok).toBe(true);
    expect((await store.reserve([country('CA')], 1, 0)).ok).toBe(true);
    expect((await store.reserve([country('US')], 2, 0)).ok).toBe(true);
    expect(await store.reserve([country('TT')], 3, 0)).toEqual({ ok: false, tripped: 0 });
    // Releasing a send to a country counted before leaves the country counted.
    const again = await store.reserve([country('CA')], 4, 0);
    if (again.ok) {
      await again.reservation.release();
    }
    expect(await store.reserve([country('TT')], 5, 0)).toEqual({ ok: false, tripped: 0 });
  });

  it('keeps concurrent sends to a limit of one to one', async () => {
    const store = createMemoryStore();
    const results = await Promise.all(Array.from({ length: 50 }, async () => store.reserve([counter(1)], 0, 0)));
    expect(results.filter(({ ok }) => ok)).toHaveLength(1);
  });

  it('stays bounded under 1 000 000 distinct IPs, evicting the least recently used and keeping the busy counters', async () => {
    const store = createMemoryStore(10_000);
    // One send per millisecond: the connector-wide counter's one-second window holds the last 1000.
    const all = { key: 'all', windowMs: 1000, max: 1_000_000 };
    for (let index = 0; index < 1_000_000; index += 1) {
      const result = await store.reserve([{ key: `ip:${index}`, windowMs: 3_600_000, max: 5 }, all], index, 0);
      if (!result.ok) {
        throw new Error(`send ${index} was refused`);
      }
    }
    expect(store.size).toBeLessThanOrEqual(10_000);
    // The connector-wide counter, touched by every send, survived the flood: its last 1000 sends count.
    expect(await store.reserve([{ ...all, max: 1000 }], 999_999, 0)).toEqual({ ok: false, tripped: 0 });
    // The first IPs were evicted (their counts are gone); the latest are kept.
    expect(await store.reserve([{ key: 'ip:999999', windowMs: 3_600_000, max: 1 }], 1_000_000, 0)).toEqual({
      ok: false,
      tripped: 0,
    });
  }, 60_000);
});

describe('applyPolicy', () => {
  const phone = parsePhone('+1 650 253 0000');
  const config: PolicyConfig = { sendLimits: [{ by: 'recipient', max: 1, windowSeconds: 600 }] };
  const input = (store: CounterStore, overrides: Partial<Parameters<typeof applyPolicy>[0]> = {}) => ({
    config,
    data: { ip: '203.0.113.7' },
    phone,
    connectorId: 'sms-suite-test',
    consoleTest: false,
    store,
    ...overrides,
  });

  it('refuses a tripped limit as rate_limit_exceeded naming the limit', async () => {
    const store = createMemoryStore();
    await applyPolicy(input(store));
    const error = await rejectionOf(applyPolicy(input(store)));
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(error.data).toEqual({
      errorDescription: expect.stringContaining(
        'the per-number limit (1 SMS per 10 minutes) was reached for +1 650****000'
      ),
      limit: { by: 'recipient', max: 1, windowSeconds: 600 },
    });
  });

  it('applies the country lists but not the limits to the console test', async () => {
    const store = createMemoryStore();
    await applyPolicy(input(store));
    await applyPolicy(input(store, { consoleTest: true }));
    await applyPolicy(input(store, { consoleTest: true }));
    const error = await rejectionOf(
      applyPolicy(input(store, { consoleTest: true, config: { ...config, allowedCountries: ['CA'] } }))
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(store.size).toBe(1);
  });

  const brokenStore: CounterStore = {
    name: 'Redis',
    reserve: async () => {
      throw new Error('Redis at 127.0.0.1:1 did not answer within 1000 ms');
    },
  };

  it('lets the send go on when the store cannot answer (fail open)', async () => {
    await expect(applyPolicy(input(brokenStore))).resolves.toEqual({ release: expect.any(Function) });
  });

  it('refuses with sendLimitsOnStoreError "refuse", saying why and that nothing was sent', async () => {
    const error = await rejectionOf(
      applyPolicy(input(brokenStore, { config: { ...config, sendLimitsOnStoreError: 'refuse' } }))
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription:
        'The send limits could not be checked (Redis at 127.0.0.1:1 did not answer within 1000 ms) and sendLimitsOnStoreError is "refuse", so the message was not sent.',
      delivery: 'notSent',
    });
  });

  it("uses Redis when redisUrl or Logto's REDIS_URL is set, else this process", () => {
    expect(counterStoreFor({}, {}).name).toBe('memory');
    expect(counterStoreFor({ redisUrl: 'redis://127.0.0.1:1' }, {}).name).toBe('Redis');
    expect(counterStoreFor({}, { REDIS_URL: 'redis://127.0.0.1:1' }).name).toBe('Redis');
  });
});

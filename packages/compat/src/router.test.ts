import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { buildRawConnector, loadConnectorFactories } from '@logto/cli/lib/connector/index.js';
import {
  ConnectorError,
  ConnectorErrorCodes,
  ConnectorType,
  connectorMetadataGuard,
  type SmsConnector,
} from '@logto/connector-kit';
import { officialConnectorIds, routerEntry } from '@sms-suite/catalog';
import { ZodError } from 'zod';

import {
  connectorKitCopies,
  createFakeLogto,
  installedDirectoryName,
  installPacked,
  logtoRuntimeSources,
  packageDirectoryOf,
  packageVersionOf,
  removeFakeLogto,
  repositoryRoot,
  type ConnectorPackage,
  loadLikeLogto,
} from './harness';
import {
  closedPortUrl,
  startProviderDouble,
  type DoubleBehaviour,
  type ProviderDouble,
} from '../../connector-router-sms/test/provider-double';
import {
  accepted,
  aliyunConfig,
  signIn,
  twilioConfig,
  twilioError,
  twilioFraudBlock,
  vonageConfig,
} from '../../connector-router-sms/test/provider-configs';

/**
 * The routing connector as a Logto instance runs it: packed, added with the published `logto
 * connector add` into a fake instance of its own, loaded by the @logto/cli loader with the version
 * check on, then called the two ways Logto calls an SMS connector. Every provider is a double on
 * 127.0.0.1 that answers in that provider's format and counts the requests it saw, so each case says
 * how many requests EACH server got. Real sockets and real time only; the slow cases run concurrently.
 */
const routerPackage: ConnectorPackage = {
  name: routerEntry.name,
  directory: path.join(repositoryRoot, 'packages/connector-router-sms'),
  packageName: routerEntry.packageName,
};
const installedDirectory = installedDirectoryName(routerPackage.packageName);

type Factory = Awaited<ReturnType<typeof loadConnectorFactories>>[number];

let instance: string | undefined;
let connectorsDirectory = '';
let factories: Factory[] = [];
const skipped: string[] = [];
const doubles: ProviderDouble[] = [];

beforeAll(async () => {
  instance = createFakeLogto();
  connectorsDirectory = await installPacked(instance, [routerPackage]);
  const loaded = await loadLikeLogto(connectorsDirectory);
  factories = loaded.factories;
  skipped.push(...loaded.skipped);
}, 120_000);

afterAll(async () => {
  await Promise.all(doubles.splice(0).map(async (started) => started.close()));
  removeFakeLogto(instance);
});

const factory = (): Factory => {
  const found = factories.find((loaded) => path.basename(loaded.path) === installedDirectory);
  if (!found) {
    throw new Error(
      `${installedDirectory} was not loaded: ${skipped.join('; ') || 'see "[load-connector] skip" lines'}`
    );
  }
  return found;
};

const installedBundle = () => path.join(connectorsDirectory, installedDirectory, 'lib/index.js');

/** A real send: Logto reads the stored config with `getConfig`. */
const realSender = async (stored: unknown): Promise<SmsConnector> =>
  (await buildRawConnector(factory(), async () => stored)).rawConnector as SmsConnector;

/** The console's Send: no `getConfig` (the loader's own throws), the unsaved config as the 2nd argument. */
const consoleSender = async (): Promise<SmsConnector> =>
  (await buildRawConnector(factory())).rawConnector as SmsConnector;

const double = async (behaviour: DoubleBehaviour): Promise<ProviderDouble> => {
  const started = await startProviderDouble(behaviour);
  doubles.push(started);
  return started;
};

const counts = (...servers: ProviderDouble[]) => servers.map(({ requests }) => requests.length);

const rejection = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    // The loader's own ConnectorError (one @logto/connector-kit for the loader and this test).
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected the send to fail with a ConnectorError');
};

/** Every string a failed send shows: its data, a ZodError's issues included. */
const shown = (error: ConnectorError) =>
  JSON.stringify(error.data instanceof ZodError ? error.data.issues : error.data);

/** The attempts a failed send reports, in its data or in its ZodError issue's params. */
const attemptsOf = (error: ConnectorError): unknown => {
  const data = error.data instanceof ZodError ? (error.data.issues[0] as { params?: unknown })?.params : error.data;
  return (data as { attempts?: unknown } | undefined)?.attempts;
};

type Urls = { aliyun: string; twilio: string; vonage: string };
type ProviderExtras = {
  aliyun?: Record<string, unknown>;
  twilio?: Record<string, unknown>;
  vonage?: Record<string, unknown>;
};

/** Aliyun then Twilio for CN, Twilio then Vonage for every other country. */
const routerConfig = (urls: Urls, extra: Record<string, unknown> = {}, providerExtras: ProviderExtras = {}) => ({
  providers: {
    'aliyun-cn': { use: 'aliyun', config: aliyunConfig(urls.aliyun, providerExtras.aliyun) },
    twilio: { use: 'twilio', config: twilioConfig(urls.twilio, providerExtras.twilio) },
    vonage: { use: 'vonage', config: vonageConfig(urls.vonage, providerExtras.vonage) },
  },
  routes: [
    { countries: ['CN'], providers: ['aliyun-cn', 'twilio'] },
    { countries: ['*'], providers: ['twilio', 'vonage'] },
  ],
  ...extra,
});

/**
 * Three doubles (each accepts unless told otherwise) and the router config that points at them. For
 * `'closed'` the provider's endpoint is a port nothing listens on; its double still starts (and must
 * see nothing), so every case counts the same three servers.
 */
const setUp = async (
  behaviours: { aliyun?: DoubleBehaviour | 'closed'; twilio?: DoubleBehaviour | 'closed'; vonage?: DoubleBehaviour },
  extra: Record<string, unknown> = {},
  providerExtras: ProviderExtras = {}
) => {
  const aliyun = await double(
    behaviours.aliyun === 'closed' ? accepted.aliyun : (behaviours.aliyun ?? accepted.aliyun)
  );
  const twilio = await double(
    behaviours.twilio === 'closed' ? accepted.twilio : (behaviours.twilio ?? accepted.twilio)
  );
  const vonage = await double(behaviours.vonage ?? accepted.vonage);
  const urls: Urls = {
    aliyun: behaviours.aliyun === 'closed' ? await closedPortUrl() : aliyun.url,
    twilio: behaviours.twilio === 'closed' ? await closedPortUrl() : twilio.url,
    vonage: vonage.url,
  };
  return { aliyun, twilio, vonage, config: routerConfig(urls, extra, providerExtras) };
};

/** Results and attempt reports compared without their timings. */
const withoutTimings = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, inner: unknown) => (key === 'elapsedMs' ? undefined : inner)));

describe('loading through the @logto/cli loader', () => {
  it('shares one @logto/connector-kit between the loader and this test', () => {
    expect(connectorKitCopies()).toHaveLength(1);
  });

  it('loads the router alone, with the version check on, skipping nothing', () => {
    expect(skipped).toEqual([]);
    expect(factories.map((loaded) => path.basename(loaded.path))).toEqual([installedDirectory]);
    expect(path.relative(repositoryRoot, realpathSync(connectorsDirectory))).toMatch(/^\.\./);
  });

  it('is an SMS connector whose metadata passes the console guard, with its own, non-official id', () => {
    const { type, metadata } = factory();
    expect(type).toBe(ConnectorType.Sms);
    expect(() => connectorMetadataGuard.parse(metadata)).not.toThrow();
    expect(metadata.id).toBe('sms-suite-router');
    expect(metadata.id).toBe(routerEntry.metadata.id);
    expect(officialConnectorIds.has(metadata.id)).toBe(false);
    expect(metadata.logo).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(metadata.readme).toMatch(/^# /);
  });

  it('declares only connector-kit and zod, and its bundle imports only them (redis only through import())', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(connectorsDirectory, installedDirectory, 'package.json'), 'utf8')
    ) as { dependencies: Record<string, string> };
    expect(manifest.dependencies).toEqual({ '@logto/connector-kit': '>=5.0.1 <6', zod: '3.24.3' });

    const bundle = readFileSync(installedBundle(), 'utf8');
    const isPackage = (specifier: string) => !specifier.startsWith('.') && !specifier.startsWith('node:');
    const staticImports = [...bundle.matchAll(/^(?:import|export)\b[^;"]*?(?:\bfrom\s*)?"([^"]+)";/gm)]
      .map(([, specifier]) => specifier!)
      .filter(isPackage);
    const dynamicImports = [...bundle.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)]
      .map(([, specifier]) => specifier!)
      .filter(isPackage);
    const requires = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)]
      .map(([, specifier]) => specifier!)
      .filter(isPackage);
    expect([...new Set(staticImports)].sort()).toEqual(['@logto/connector-kit', 'zod']);
    expect([...new Set(dynamicImports)]).toEqual(['redis']);
    expect(requires).toEqual([]);
    expect(bundle).not.toMatch(/class ConnectorError\b/);
  });

  it("resolves connector-kit, zod and redis from the fake instance's core node_modules", () => {
    const sources = logtoRuntimeSources();
    const coreModules = path.join(connectorsDirectory, '../node_modules');
    const fromBundle = createRequire(installedBundle());
    for (const name of ['@logto/connector-kit', 'zod', 'redis'] as const) {
      const resolved = realpathSync(packageDirectoryOf(fromBundle.resolve(name)));
      expect({ name, resolved }).toEqual({ name, resolved: sources[name] });
      expect({ name, resolved }).toEqual({ name, resolved: realpathSync(path.join(coreModules, name)) });
    }
    expect(packageVersionOf(sources['@logto/connector-kit'])).toBe('5.1.1');
    expect(packageVersionOf(sources.zod)).toBe('3.24.3');
  });
});

describe('routing by the number’s country', () => {
  it.concurrent('sends +86 through the first CN provider and +1 through the first "*" provider', async () => {
    const { aliyun, twilio, vonage, config } = await setUp({});
    const router = await realSender(config);

    await expect(router.sendMessage(signIn('8613800138000'))).resolves.toEqual({
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
    expect(counts(aliyun, twilio, vonage)).toEqual([1, 0, 0]);
    expect(new URLSearchParams(aliyun.requests[0]?.body).get('PhoneNumbers')).toBe('13800138000');

    await expect(router.sendMessage(signIn('16502530000'))).resolves.toEqual({
      provider: 'twilio',
      messageId: 'SM0001',
      attempts: [
        { provider: 'twilio', use: 'twilio', outcome: 'delivered', messageId: 'SM0001', elapsedMs: expect.any(Number) },
      ],
    });
    expect(counts(aliyun, twilio, vonage)).toEqual([1, 1, 0]);
    expect(new URLSearchParams(twilio.requests[0]?.body).get('To')).toBe('+16502530000');
    expect(new URLSearchParams(twilio.requests[0]?.body).get('Body')).toBe('Your code is 123456');
  });
});

describe('failover: the next provider only where the first certainly did not deliver', () => {
  it.concurrent.each<[string, DoubleBehaviour | 'closed', Record<string, unknown>, number]>([
    ['a refused connection (closed port)', 'closed', { outcome: 'notSent', code: 'general' }, 0],
    [
      'a 429',
      twilioError(429, 20429, 'Too Many Requests'),
      { outcome: 'refused', code: 'rate_limit_exceeded', providerCode: 20429, httpStatus: 429 },
      1,
    ],
    [
      'invalid credentials (Twilio 401, 20003)',
      twilioError(401, 20003, 'Authenticate'),
      { outcome: 'refused', code: 'invalid_config', providerCode: 20003, httpStatus: 401 },
      1,
    ],
    [
      'a 503',
      twilioError(503, 20503, 'Service Unavailable'),
      { outcome: 'refused', code: 'general', providerCode: 20503, httpStatus: 503 },
      1,
    ],
  ])('moves on after %s: exactly one delivery, by the next provider', async (_name, behaviour, first, firstCount) => {
    const { aliyun, twilio, vonage, config } = await setUp({ twilio: behaviour });
    const router = await realSender(config);
    await expect(router.sendMessage(signIn('16502530000'))).resolves.toEqual({
      provider: 'vonage',
      messageId: 'V0001',
      attempts: [
        { provider: 'twilio', use: 'twilio', elapsedMs: expect.any(Number), description: expect.any(String), ...first },
        { provider: 'vonage', use: 'vonage', outcome: 'delivered', messageId: 'V0001', elapsedMs: expect.any(Number) },
      ],
    });
    expect(counts(aliyun, twilio, vonage)).toEqual([0, firstCount, 1]);
    expect(new URLSearchParams(vonage.requests[0]?.body).get('to')).toBe('16502530000');
  });

  it.concurrent.each<[string, DoubleBehaviour, ConnectorErrorCodes, RegExp, string]>([
    [
      'a timeout',
      { hang: true },
      ConnectorErrorCodes.General,
      /twilio: no complete reply after the request was sent — may have been delivered/,
      'unknown',
    ],
    [
      'a reset after the request was written',
      { reset: true },
      ConnectorErrorCodes.General,
      /twilio: no complete reply after the request was sent — may have been delivered/,
      'unknown',
    ],
    [
      'an HTTP 500',
      twilioError(500, 20500, 'Internal Server Error'),
      ConnectorErrorCodes.General,
      /twilio: failed \(Twilio 20500, HTTP 500\) — may have been delivered/,
      'unknown',
    ],
    [
      'an invalid number (Twilio 400, 21211)',
      twilioError(400, 21211, "The 'To' number is not valid"),
      ConnectorErrorCodes.InvalidRequestParameters,
      /twilio: number refused \(Twilio 21211, HTTP 400\) — not sent/,
      'refused',
    ],
    [
      'Twilio 30450 (created, then failed by SMS Pumping Protection)',
      twilioFraudBlock,
      ConnectorErrorCodes.InvalidRequestParameters,
      /twilio: blocked as SMS pumping \(Twilio 30450, HTTP 201\) — not sent/,
      'refused',
    ],
  ])(
    'stops at the first provider after %s: one request there, none to the next',
    async (_name, behaviour, code, line, outcome) => {
      const { aliyun, twilio, vonage, config } = await setUp({ twilio: behaviour }, {}, { twilio: { timeout: 1200 } });
      const router = await realSender(config);
      const startedAt = Date.now();
      const error = await rejection(router.sendMessage(signIn('16502530000')));
      const elapsed = Date.now() - startedAt;
      expect(error.code).toBe(code);
      expect(shown(error)).toMatch(line);
      expect(shown(error)).toContain('no other provider was tried');
      if (outcome === 'unknown') {
        expect(shown(error)).toContain('may have been delivered');
        expect(error.data).toMatchObject({ provider: 'twilio', delivery: 'unknown' });
        const { errorDescription } = error.data as { errorDescription: string };
        expect(errorDescription).toContain('no other provider was tried');
        expect(errorDescription).toContain('may have been delivered, and another provider could send a second code');
        expect(errorDescription).toMatch(line);
      }
      expect(attemptsOf(error)).toEqual([
        expect.objectContaining({ provider: 'twilio', use: 'twilio', outcome }),
        { provider: 'vonage', use: 'vonage', outcome: 'notTried' },
      ]);
      expect(shown(error)).toContain('vonage: not tried (stopped at twilio)');
      expect(counts(aliyun, twilio, vonage)).toEqual([0, 1, 0]);
      // The hang ends at the first provider's own timeout (1200 ms), not the router's 20 s.
      expect(elapsed).toBeLessThan(3000);
    }
  );
});

describe('one deadline for every attempt together', () => {
  const slow503 = (delayMs: number): DoubleBehaviour => ({ reply: { status: 503, body: 'busy', delayMs } });
  const ownTimeouts = { twilio: { timeout: 5000 }, vonage: { timeout: 10_000 } };

  it.concurrent('starts no second attempt with less than 1 s left, and ends before the deadline', async () => {
    const { aliyun, twilio, vonage, config } = await setUp({ twilio: slow503(1600) }, { timeout: 2500 }, ownTimeouts);
    const router = await realSender(config);
    const startedAt = Date.now();
    const error = await rejection(router.sendMessage(signIn('16502530000')));
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(1590);
    expect(elapsed).toBeLessThan(2500);
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toMatchObject({
      provider: 'twilio',
      httpStatus: 503,
      delivery: 'refused',
      attempts: [
        { provider: 'twilio', outcome: 'refused', httpStatus: 503 },
        { provider: 'vonage', use: 'vonage', outcome: 'notTried' },
      ],
    });
    expect(shown(error)).toContain('vonage: not tried (less than 1000 ms of the 2500 ms deadline was left)');
    expect(counts(aliyun, twilio, vonage)).toEqual([0, 1, 0]);
  });

  it.concurrent("ends the second attempt when the deadline ends, not at that provider's own 10 s timeout", async () => {
    const deadline = 2600;
    const { aliyun, twilio, vonage, config } = await setUp(
      { twilio: slow503(1000), vonage: { hang: true } },
      { timeout: deadline },
      ownTimeouts
    );
    const router = await realSender(config);
    const startedAt = Date.now();
    const error = await rejection(router.sendMessage(signIn('16502530000')));
    const elapsed = Date.now() - startedAt;
    // A few ms of slack under the deadline: Node's timers and Date.now() round to whole milliseconds.
    expect(elapsed).toBeGreaterThanOrEqual(deadline - 5);
    expect(elapsed).toBeLessThan(deadline + 1500);
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toMatchObject({
      provider: 'vonage',
      delivery: 'unknown',
      attempts: [
        { provider: 'twilio', outcome: 'refused', httpStatus: 503 },
        { provider: 'vonage', outcome: 'unknown' },
      ],
    });
    expect(shown(error)).toContain('may have been delivered');
    expect(counts(aliyun, twilio, vonage)).toEqual([0, 1, 1]);
  });
});

describe("the console's Send", () => {
  it.concurrent('takes the same route and failover as a real send of that number, with one delivery', async () => {
    const behaviours = { twilio: twilioError(503, 20503, 'Service Unavailable') };
    const forConsole = await setUp(behaviours);
    const forReal = await setUp(behaviours);

    const consoleResult = await (await consoleSender()).sendMessage(signIn('16502530000'), forConsole.config);
    const realResult = await (await realSender(forReal.config)).sendMessage(signIn('16502530000'));
    expect(consoleResult).toMatchObject({
      provider: 'vonage',
      messageId: 'V0001',
      attempts: [
        { provider: 'twilio', outcome: 'refused', httpStatus: 503 },
        { provider: 'vonage', outcome: 'delivered' },
      ],
    });
    expect(withoutTimings(consoleResult)).toEqual(withoutTimings(realResult));
    expect(counts(forConsole.aliyun, forConsole.twilio, forConsole.vonage)).toEqual([0, 1, 1]);
    expect(counts(forReal.aliyun, forReal.twilio, forReal.vonage)).toEqual([0, 1, 1]);
    expect(forConsole.vonage.requests[0]?.body).toBe(forReal.vonage.requests[0]?.body);

    // A mainland number takes the CN route from the console too.
    const china = await (await consoleSender()).sendMessage(signIn('8613800138000'), forConsole.config);
    expect(china).toMatchObject({ provider: 'aliyun-cn', messageId: 'A0001' });
    expect(counts(forConsole.aliyun, forConsole.twilio, forConsole.vonage)).toEqual([1, 1, 1]);
  });
});

describe('an invalid router config', () => {
  it.concurrent.each<[string, (config: ReturnType<typeof routerConfig>) => unknown, string]>([
    [
      'a provider config without its authToken',
      (config) => ({
        ...config,
        providers: {
          ...config.providers,
          twilio: {
            use: 'twilio',
            config: Object.fromEntries(
              Object.entries(config.providers.twilio.config).filter(([key]) => key !== 'authToken')
            ),
          },
        },
      }),
      'providers.twilio.config.authToken',
    ],
    [
      'a route naming an unknown provider',
      (config) => ({
        ...config,
        routes: [{ countries: ['CN'], providers: ['aliyun-cn', 'tencent-cn'] }, config.routes[1]],
      }),
      'routes.0.providers.1',
    ],
  ])('is invalid_config at its key path, with no request: %s', async (_name, spoil, issuePath) => {
    const { aliyun, twilio, vonage, config } = await setUp({});
    const invalid = spoil(config);
    const errors = [
      await rejection((await consoleSender()).sendMessage(signIn('16502530000'), invalid)),
      await rejection((await realSender(invalid)).sendMessage(signIn('8613800138000'))),
    ];
    for (const error of errors) {
      expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
      expect(error.data).toBeInstanceOf(ZodError);
      expect((error.data as ZodError).issues.map(({ path: issue }) => issue.join('.'))).toEqual([issuePath]);
    }
    expect(counts(aliyun, twilio, vonage)).toEqual([0, 0, 0]);
  });
});

describe('the destination policy, applied once per send', () => {
  const oncePerNumber = { sendLimits: [{ by: 'recipient', max: 1, windowSeconds: 600 }] };

  it.concurrent(
    'counts a send that failed over once: the next send to that number is refused with no request',
    async () => {
      const { aliyun, twilio, vonage, config } = await setUp(
        { twilio: twilioError(503, 20503, 'Service Unavailable') },
        oncePerNumber
      );
      const router = await realSender(config);
      await expect(router.sendMessage(signIn('16502531001'))).resolves.toMatchObject({ provider: 'vonage' });
      expect(counts(aliyun, twilio, vonage)).toEqual([0, 1, 1]);

      const error = await rejection(router.sendMessage(signIn('16502531001')));
      expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
      expect(shown(error)).toContain('the per-number limit (1 SMS per 10 minutes) was reached');
      expect(counts(aliyun, twilio, vonage)).toEqual([0, 1, 1]);
    }
  );

  it.concurrent('counts a send once whatever the number of attempts (max 2: the second send still goes)', async () => {
    const { aliyun, twilio, vonage, config } = await setUp(
      { twilio: twilioError(503, 20503, 'Service Unavailable') },
      { sendLimits: [{ by: 'recipient', max: 2, windowSeconds: 600 }] }
    );
    const router = await realSender(config);
    await expect(router.sendMessage(signIn('16502531002'))).resolves.toMatchObject({ provider: 'vonage' });
    await expect(router.sendMessage(signIn('16502531002'))).resolves.toMatchObject({ provider: 'vonage' });
    expect(counts(aliyun, twilio, vonage)).toEqual([0, 2, 2]);
    expect((await rejection(router.sendMessage(signIn('16502531002')))).code).toBe(
      ConnectorErrorCodes.RateLimitExceeded
    );
    expect(counts(aliyun, twilio, vonage)).toEqual([0, 2, 2]);
  });

  it.concurrent('does not count a send every provider refused: the next one reaches the servers', async () => {
    const tooMany = twilioError(429, 20429, 'Too Many Requests');
    const { aliyun, twilio, vonage, config } = await setUp(
      { twilio: tooMany, vonage: { reply: { status: 429, body: 'slow down' } } },
      oncePerNumber
    );
    const router = await realSender(config);
    for (const expected of [
      [0, 1, 1],
      [0, 2, 2],
    ]) {
      const error = await rejection(router.sendMessage(signIn('16502531003')));
      // The providers' own refusal (the last one's code), not the send limit.
      expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
      expect(error.data).toMatchObject({
        provider: 'vonage',
        httpStatus: 429,
        delivery: 'refused',
        attempts: [
          { provider: 'twilio', outcome: 'refused' },
          { provider: 'vonage', outcome: 'refused' },
        ],
      });
      expect(shown(error)).not.toContain('per-number limit');
      expect(counts(aliyun, twilio, vonage)).toEqual(expected);
    }
  });
});

import { readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { buildRawConnector, loadConnectorFactories } from '@logto/cli/lib/connector/index.js';
import {
  ConnectorError,
  ConnectorErrorCodes,
  ConnectorType,
  TemplateType,
  connectorMetadataGuard,
  type SmsConnector,
} from '@logto/connector-kit';
import { officialConnectorIds, providerNames } from '@sms-suite/catalog';
import { startSandbox, type Sandbox, type SandboxProvider } from '@sms-suite/sandbox';
import { createClient } from 'redis';
import { ZodError } from 'zod';

import {
  connectorKitCopies,
  connectorPackages,
  createFakeLogto,
  installedDirectoryName,
  installPacked,
  logtoCoreRuntime,
  logtoRuntimeSources,
  packageDirectoryOf,
  packageVersionOf,
  removeFakeLogto,
  repositoryRoot,
  type LogtoRuntimePackage,
  loadLikeLogto,
} from './harness';
import { describeWithRedis, startRedisServer, type RedisServer } from '../../sms-kit/test/redis-server';

/**
 * Loads every packed connector through the loader of the published @logto/cli, exactly as a Logto
 * instance does at start-up, then drives each one the two ways Logto calls a connector. The sandbox
 * plays the providers; each connector's example config comes from packages/cli/examples.
 */
const packages = connectorPackages();
type Factory = Awaited<ReturnType<typeof loadConnectorFactories>>[number];

let factories: Factory[] = [];
let instance: string | undefined;
/** The instance's `packages/core/connectors`, where `logto connector add` put every package. */
let connectorsDirectory = '';
/** A port nothing listens on: connections are refused at once. */
let closedPort = 0;
let sandbox: Sandbox;
const skipped: string[] = [];

const exampleConfig = (name: string): Record<string, unknown> => {
  const file = path.join(repositoryRoot, 'packages/cli/examples', `${name}.json`);
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return { ...config, endpoint: sandbox.endpointFor(name as SandboxProvider) };
};

const factoryOf = (directory: string): Factory => {
  const found = factories.find((factory) => path.basename(factory.path) === directory);
  if (!found) {
    throw new Error(`${directory} was not loaded: ${skipped.join('; ') || 'see "[load-connector] skip" lines'}`);
  }
  return found;
};

const installedFile = (directory: string, file: string) => path.join(connectorsDirectory, directory, file);

/** The package folder a bare import resolves to from the connector's own bundle, as Node resolves it in Logto. */
const resolvedFromConnector = (directory: string, name: LogtoRuntimePackage): string =>
  realpathSync(packageDirectoryOf(createRequire(installedFile(directory, 'lib/index.js')).resolve(name)));

/** Every static, dynamic or CommonJS import of ky in a bundle (the statements, not the 200 kB around them). */
const kyImportsIn = (bundle: string): string[] =>
  bundle.match(
    /^.*(?:from\s*["']ky["']|import\s*["']ky["']|import\(\s*["']ky["']\s*\)|require\(\s*["']ky["']\s*\)).*$/gm
  ) ?? [];

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected a rejection');
};

beforeAll(async () => {
  instance = createFakeLogto();
  connectorsDirectory = await installPacked(instance, packages);
  const loaded = await loadLikeLogto(connectorsDirectory);
  factories = loaded.factories;
  skipped.push(...loaded.skipped);
  sandbox = await startSandbox();
  const probe = createServer();
  await new Promise<void>((resolve) => {
    probe.listen(0, '127.0.0.1', resolve);
  });
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => {
    probe.close(resolve);
  });
}, 180_000);

afterAll(async () => {
  await sandbox?.close();
  removeFakeLogto(instance);
});

describe('the harness', () => {
  it('installs every connector of the catalog', () => {
    expect(packages.map(({ name }) => name)).toEqual(providerNames);
  });

  it('shares one @logto/connector-kit between the loader and the connectors', () => {
    expect(connectorKitCopies()).toHaveLength(1);
  });

  it("lays the instance out outside the repository, with Logto core's runtime packages in core's node_modules", () => {
    expect(path.relative(repositoryRoot, realpathSync(connectorsDirectory))).toMatch(/^\.\./);
    const sources = logtoRuntimeSources();
    for (const name of Object.keys(logtoCoreRuntime) as LogtoRuntimePackage[]) {
      expect(realpathSync(path.join(connectorsDirectory, '../node_modules', name))).toBe(sources[name]);
    }
  });

  it('loads every connector with the version check on and skips none', () => {
    expect(skipped).toEqual([]);
    expect(factories.map((factory) => path.basename(factory.path)).sort()).toEqual(
      packages.map(({ packageName }) => installedDirectoryName(packageName)).sort()
    );
  });

  it('gives every connector its own id, none of them an official Logto id', () => {
    const ids = factories.map((factory) => factory.metadata.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(officialConnectorIds.has(id)).toBe(false);
    }
  });
});

describe.each(packages)('$packageName', ({ name, packageName }) => {
  const directory = installedDirectoryName(packageName);

  it('declares a connector-kit range that accepts 5.0.1 to 5.x and keeps kit and zod external', () => {
    const manifest = JSON.parse(readFileSync(installedFile(directory, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies).toEqual({ '@logto/connector-kit': '>=5.0.1 <6', zod: '3.24.3' });
    const bundle = readFileSync(installedFile(directory, 'lib/index.js'), 'utf8');
    expect(bundle).toContain('from "@logto/connector-kit"');
    expect(bundle).toContain('from "zod"');
    expect(bundle).not.toMatch(/class ConnectorError\b/);
  });

  it("resolves, from where it is installed, the runtime packages of Logto core 1.43 and the loader's connector-kit", () => {
    const sources = logtoRuntimeSources();
    for (const [name, version] of Object.entries(logtoCoreRuntime) as [LogtoRuntimePackage, string][]) {
      const resolved = resolvedFromConnector(directory, name);
      expect({ name, version: packageVersionOf(resolved) }).toEqual({ name, version });
      expect({ name, resolved }).toEqual({ name, resolved: sources[name] });
    }
  });

  it('imports no ky: the kit owns the transport, so the ky in Logto (1.2.3 in 1.43) plays no part in a send', () => {
    expect(kyImportsIn(readFileSync(installedFile(directory, 'lib/index.js'), 'utf8'))).toEqual([]);
  });

  it('is an SMS connector whose metadata passes the guard of the console API', () => {
    const factory = factoryOf(directory);
    expect(factory.type).toBe(ConnectorType.Sms);
    expect(() => connectorMetadataGuard.parse(factory.metadata)).not.toThrow();
    expect(factory.metadata.logo).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(factory.metadata.readme).toMatch(/^# /);
    expect(factory.metadata.id).toMatch(/^sms-suite-/);
  });

  it('sends the console test message: getConfig throws, config as the second argument', async () => {
    const { rawConnector } = await buildRawConnector(factoryOf(directory));
    const before = sandbox.inbox.length;
    const result = await (rawConnector as SmsConnector).sendMessage(
      { to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } },
      exampleConfig(name)
    );
    expect(result).toMatchObject({ messageId: expect.any(String) });
    const entry = sandbox.inbox.at(-1);
    expect(sandbox.inbox.length).toBe(before + 1);
    expect(entry?.provider).toBe(name);
    expect(JSON.stringify(entry)).toContain('000000');
    expect(entry?.to).toContain('6502530000');
  });

  it('sends a real sign-in: config from getConfig, locale and uiLocales in the payload, ip', async () => {
    const config = exampleConfig(name);
    const { rawConnector } = await buildRawConnector(factoryOf(directory), async () => config);
    const before = sandbox.inbox.length;
    await (rawConnector as SmsConnector).sendMessage({
      to: '8613800138000',
      type: TemplateType.SignIn,
      payload: { code: '123456', locale: 'en', uiLocales: 'fr-CA fr en' },
      ip: '203.0.113.7',
    });
    expect(sandbox.inbox.length).toBe(before + 1);
    const entry = JSON.stringify(sandbox.inbox.at(-1)?.templateParams ?? sandbox.inbox.at(-1)?.text ?? '');
    expect(entry).toContain('123456');
    // uiLocales never reaches a provider's template parameters or text.
    expect(entry).not.toContain('fr-CA fr en');
  });

  it("throws the loader's own ConnectorError for a bad config and a bad number", async () => {
    const { rawConnector } = await buildRawConnector(factoryOf(directory));
    const sendMessage = (rawConnector as SmsConnector).sendMessage;

    const badConfig = await rejection(
      sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } }, {})
    );
    expect(badConfig).toBeInstanceOf(ConnectorError);
    expect((badConfig as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect((badConfig as ConnectorError).data).toBeInstanceOf(ZodError);

    const badNumber = await rejection(
      sendMessage({ to: '1', type: TemplateType.Generic, payload: { code: '000000' } }, exampleConfig(name))
    );
    expect(badNumber).toBeInstanceOf(ConnectorError);
    expect((badNumber as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
  });

  it('answers a provider failure with a general error that carries errorDescription', async () => {
    const { rawConnector } = await buildRawConnector(factoryOf(directory));
    const error = await rejection(
      (rawConnector as SmsConnector).sendMessage(
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } },
        { ...exampleConfig(name), endpoint: `http://127.0.0.1:${closedPort}/` }
      )
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.General);
    expect((error as ConnectorError).data).toMatchObject({
      errorDescription: expect.stringContaining(`Could not reach`),
    });
    expect((error as ConnectorError).data).toMatchObject({
      errorDescription: expect.stringContaining(`127.0.0.1:${closedPort}`),
    });
  });
});

describe.each(packages.map(({ name, packageName }) => [name, installedDirectoryName(packageName)]))(
  'the destination policy of %s through the loader',
  (name, directory) => {
    const inboxCount = () => sandbox.inbox.length;
    // A number per connector: its counts never meet another connector's.
    const recipient = `1650253${String(2000 + providerNames.indexOf(name as (typeof providerNames)[number])).padStart(4, '0')}`;

    it('refuses a country outside allowedCountries with no request, the console test included', async () => {
      const { rawConnector } = await buildRawConnector(factoryOf(directory));
      const before = inboxCount();
      const error = await rejection(
        (rawConnector as SmsConnector).sendMessage(
          { to: recipient, type: TemplateType.Generic, payload: { code: '000000' } },
          { ...exampleConfig(name), allowedCountries: ['CA'] }
        )
      );
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
      expect(JSON.stringify((error as ConnectorError).data)).toContain(
        'United States (US) is not in allowedCountries (CA).'
      );
      expect(inboxCount()).toBe(before);
    });

    it('refuses a send past a limit as rate_limit_exceeded with no request; the console test is not limited', async () => {
      const config = { ...exampleConfig(name), sendLimits: [{ by: 'recipient', max: 1, windowSeconds: 600 }] };
      const { rawConnector } = await buildRawConnector(factoryOf(directory), async () => config);
      const sendMessage = (rawConnector as SmsConnector).sendMessage;
      const signIn = { to: recipient, type: TemplateType.SignIn, payload: { code: '123456' }, ip: '203.0.113.9' };
      const before = inboxCount();
      await sendMessage(signIn);
      const error = await rejection(sendMessage(signIn));
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.RateLimitExceeded);
      expect((error as ConnectorError).data).toMatchObject({
        errorDescription: expect.stringContaining('the per-number limit (1 SMS per 10 minutes) was reached'),
      });
      expect(inboxCount()).toBe(before + 1);
      await sendMessage({ ...signIn, type: TemplateType.Generic }, config);
      expect(inboxCount()).toBe(before + 2);
    });
  }
);

describeWithRedis('send limits shared through Redis, through the loader', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 30_000);

  /** The keys Redis holds that match `pattern`, read with a client of our own. */
  const redisKeys = async (pattern: string): Promise<string[]> => {
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await client.keys(pattern);
    } finally {
      await client.disconnect();
    }
  };
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(packages.map(({ name, packageName }) => [name, installedDirectoryName(packageName)]))(
    "%s imports redis from the Logto instance's node_modules and counts in Redis, keyed without the number",
    async (name, directory) => {
      const to = `1650253${String(3000 + providerNames.indexOf(name as (typeof providerNames)[number])).padStart(4, '0')}`;
      const config = {
        ...exampleConfig(name),
        sendLimits: [{ by: 'recipient', max: 1, windowSeconds: 600 }],
        redisUrl: redis.url,
      };
      // Two connector objects, as two Logto instances would hold: they share only Redis.
      const first = (await buildRawConnector(factoryOf(directory), async () => config)).rawConnector as SmsConnector;
      const second = (await buildRawConnector(factoryOf(directory), async () => config)).rawConnector as SmsConnector;
      const signIn = { to, type: TemplateType.SignIn, payload: { code: '123456' } };
      const before = sandbox.inbox.length;
      await first.sendMessage(signIn);
      const error = await rejection(second.sendMessage(signIn));
      expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.RateLimitExceeded);
      expect(sandbox.inbox.length).toBe(before + 1);
      expect(resolvedFromConnector(directory, 'redis')).toBe(logtoRuntimeSources().redis);
      // The count is in Redis (the process's memory store would refuse the second send too), under a
      // key that holds a hash, not the number.
      const keys = await redisKeys(`sms-suite:send-limits:${factoryOf(directory).metadata.id}:recipient:600:*`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain(to.slice(1));
    }
  );

  it('lets sign-ins go on when Redis is down (fail open), and refuses them with sendLimitsOnStoreError "refuse"', async () => {
    const directory = installedDirectoryName(packages[0]!.packageName);
    const name = packages[0]!.name;
    await redis.stop();
    try {
      const config = {
        ...exampleConfig(name),
        sendLimits: [{ by: 'recipient', max: 1, windowSeconds: 600 }],
        redisUrl: redis.url,
      };
      const open = (await buildRawConnector(factoryOf(directory), async () => config)).rawConnector as SmsConnector;
      const signIn = { to: '16502534000', type: TemplateType.SignIn, payload: { code: '123456' } };
      const before = sandbox.inbox.length;
      const started = Date.now();
      await open.sendMessage(signIn);
      await open.sendMessage(signIn);
      expect(sandbox.inbox.length).toBe(before + 2);
      expect(Date.now() - started).toBeLessThan(5000);

      const strict = (
        await buildRawConnector(factoryOf(directory), async () => ({ ...config, sendLimitsOnStoreError: 'refuse' }))
      ).rawConnector as SmsConnector;
      const error = await rejection(strict.sendMessage(signIn));
      expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.General);
      expect((error as ConnectorError).data).toMatchObject({
        errorDescription: expect.stringContaining('sendLimitsOnStoreError is "refuse", so the message was not sent'),
        delivery: 'notSent',
      });
      expect(sandbox.inbox.length).toBe(before + 2);
    } finally {
      await redis.restart();
    }
  });
});

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { buildRawConnector, loadConnectorFactories } from '@logto/cli/lib/connector/index.js';
import { TemplateType, type SmsConnector } from '@logto/connector-kit';
import { routerEntry } from '@sms-suite/catalog';
import { startSandbox, type Sandbox, type SandboxProvider } from '@sms-suite/sandbox';

import {
  connectorPackages,
  createFakeLogto,
  installedDirectoryName,
  loadLikeLogto,
  logtoRuntimeSources,
  packageVersionOf,
  removeFakeLogto,
  repositoryRoot,
  type ConnectorPackage,
} from './harness';

/**
 * Installing by name, as an admin will once the connectors are published: a real npm registry
 * (Verdaccio, on a free port of 127.0.0.1, its own storage, no uplink: it serves what this test
 * publishes and nothing else), the packed connectors published to it with `npm publish`, then the
 * published `logto connector add <package name> -p <instance>`, which fetches by name with
 * `npm pack <name>` (so `npm_config_registry` points it at Verdaccio), then Logto's discovery and
 * loader, and the console's Send through the sandbox.
 */
const run = promisify(execFile);
const fromCompat = createRequire(path.join(repositoryRoot, 'packages/compat/package.json'));
const verdaccioBin = path.join(path.dirname(fromCompat.resolve('verdaccio/package.json')), 'bin/verdaccio');
const logtoBin = fromCompat.resolve('@logto/cli/bin/logto.js');

const twilio = connectorPackages().find(({ name }) => name === 'twilio');
if (!twilio) {
  throw new Error('the catalog has no twilio connector');
}
const router: ConnectorPackage = {
  name: routerEntry.name,
  directory: path.join(repositoryRoot, 'packages/connector-router-sms'),
  packageName: routerEntry.packageName,
};
const published = [twilio, router];

type Factory = Awaited<ReturnType<typeof loadConnectorFactories>>[number];

let work = '';
let verdaccio: ChildProcess | undefined;
let verdaccioOutput = '';
let registry = '';
let instance: string | undefined;
let connectorsDirectory = '';
let addOutput = '';
let factories: Factory[] = [];
const skipped: string[] = [];
let sandbox: Sandbox | undefined;

const freePort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((resolve) => {
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => {
    probe.close(resolve);
  });
  return port;
};

/** Verdaccio's config: local storage only, anyone may read and publish @sms-suite/*, no uplink to proxy to. */
const verdaccioConfig = (root: string) =>
  [
    `storage: ${JSON.stringify(path.join(root, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(root, 'htpasswd'))}`,
    '    max_users: -1',
    'uplinks: {}',
    'packages:',
    "  '@sms-suite/*':",
    '    access: $all',
    '    publish: $all',
    '    unpublish: $all',
    "  '**':",
    '    access: $all',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');

const stopVerdaccio = async () => {
  const child = verdaccio;
  verdaccio = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
};

/** Even when jest is torn down without afterAll, the registry does not outlive this process. */
const killOnExit = () => verdaccio?.kill('SIGKILL');

const startVerdaccio = async (root: string): Promise<string> => {
  const configFile = path.join(root, 'config.yaml');
  writeFileSync(configFile, verdaccioConfig(root));
  const port = await freePort();
  const child = spawn(process.execPath, [verdaccioBin, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  verdaccio = child;
  process.once('exit', killOnExit);
  const keep = (chunk: Buffer) => {
    verdaccioOutput = (verdaccioOutput + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Verdaccio exited (${child.exitCode ?? child.signalCode}):\n${verdaccioOutput}`);
    }
    try {
      const reply = await fetch(`${url}-/ping`);
      if (reply.ok) {
        return url;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Verdaccio did not answer ${url}-/ping within 30 s:\n${verdaccioOutput}`);
};

/**
 * npm's environment for this registry only: every inherited npm setting dropped (a CI or pnpm run
 * sets its own), the registry, a throwaway token in a .npmrc of its own and an empty cache.
 */
const npmEnvironment = (): NodeJS.ProcessEnv => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_config_'))
  );
  const npmrc = path.join(work, '.npmrc');
  const { host } = new URL(registry);
  writeFileSync(npmrc, `registry=${registry}\n//${host}/:_authToken=throwaway-${path.basename(work)}\n`);
  return {
    ...inherited,
    npm_config_registry: registry,
    npm_config_userconfig: npmrc,
    npm_config_cache: path.join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
};

/** `pnpm pack` (workspace ranges rewritten, `files` applied), then `npm publish <tarball>` to Verdaccio. */
const packAndPublish = async ({ directory, packageName }: ConnectorPackage, env: NodeJS.ProcessEnv) => {
  if (!existsSync(path.join(directory, 'lib/index.js'))) {
    throw new Error(`${directory}/lib/index.js is missing: run the build first (npx --yes pnpm@10 build)`);
  }
  const destination = path.join(work, 'tarballs', installedDirectoryName(packageName));
  mkdirSync(destination, { recursive: true });
  await run('npx', ['--yes', 'pnpm@10', 'pack', '--pack-destination', destination], { cwd: directory });
  const [file] = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
  if (!file) {
    throw new Error(`pnpm pack produced no tarball for ${packageName}`);
  }
  // An absolute path: `npm publish dir/x.tgz` would read as a GitHub shorthand.
  await run('npm', ['publish', path.join(destination, file)], { cwd: work, env });
};

/** The layout `logto connector add -p` requires, with Logto core's runtime packages in core's node_modules. */
const layOutInstance = (root: string) => {
  const core = path.join(root, 'packages/core');
  mkdirSync(core, { recursive: true });
  writeFileSync(path.join(core, 'package.json'), JSON.stringify({ name: '@logto/core' }));
  for (const [name, source] of Object.entries(logtoRuntimeSources())) {
    const link = path.join(core, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(source, link, 'dir');
  }
};

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'sms-suite-registry-'));
  registry = await startVerdaccio(work);
  const env = npmEnvironment();
  await Promise.all(published.map(async (connector) => packAndPublish(connector, env)));

  instance = createFakeLogto();
  layOutInstance(instance);
  // Twilio by its full name; the router by the short name `logto connector add` completes
  // (`@sms-suite/router-sms` → `@sms-suite/connector-router-sms`).
  const { stdout, stderr } = await run(
    process.execPath,
    [logtoBin, 'connector', 'add', twilio.packageName, '@sms-suite/router-sms', '-p', instance],
    { cwd: instance, env }
  );
  addOutput = `${stdout}\n${stderr}`;
  connectorsDirectory = path.join(instance, 'packages/core/connectors');

  const loaded = await loadLikeLogto(connectorsDirectory);
  factories = loaded.factories;
  skipped.push(...loaded.skipped);
  sandbox = await startSandbox();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await stopVerdaccio();
  process.removeListener('exit', killOnExit);
  removeFakeLogto(instance);
  if (work) {
    rmSync(work, { recursive: true, force: true });
  }
});

const factoryOf = ({ packageName }: ConnectorPackage): Factory => {
  const directory = installedDirectoryName(packageName);
  const found = factories.find((factory) => path.basename(factory.path) === directory);
  if (!found) {
    throw new Error(
      `${directory} was not loaded: ${skipped.join('; ') || 'see "[load-connector] skip" lines'}\n${addOutput}`
    );
  }
  return found;
};

const exampleConfig = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(repositoryRoot, 'packages/cli/examples', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;

describe('the local registry', () => {
  it('serves every published connector at its version', async () => {
    for (const { directory, packageName } of published) {
      const reply = await fetch(`${registry}${packageName.replace('/', '%2f')}`);
      expect(reply.status).toBe(200);
      const document = (await reply.json()) as { 'dist-tags': Record<string, string> };
      expect(document['dist-tags'].latest).toBe(packageVersionOf(directory));
    }
  });

  it('proxies nothing: a package it was not given is not found', async () => {
    const reply = await fetch(`${registry}left-pad`);
    expect(reply.status).toBe(404);
    await reply.arrayBuffer();
  });
});

describe('logto connector add <package name>', () => {
  it('adds each connector by name, the router by its short name, and fails on none', () => {
    for (const { directory, packageName } of published) {
      expect(addOutput).toContain(`Added ${packageName} v${packageVersionOf(directory)}`);
    }
    expect(addOutput).not.toContain('Failed to add');
  });

  it('extracts each package into packages/core/connectors/<name with / → ->, with no node_modules and no tarball left', () => {
    expect(readdirSync(connectorsDirectory).sort()).toEqual(
      published.map(({ packageName }) => installedDirectoryName(packageName)).sort()
    );
    for (const { packageName } of published) {
      const installed = path.join(connectorsDirectory, installedDirectoryName(packageName));
      expect(existsSync(path.join(installed, 'lib/index.js'))).toBe(true);
      expect(existsSync(path.join(installed, 'node_modules'))).toBe(false);
      const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { name: string };
      expect(manifest.name).toBe(packageName);
    }
  });

  it("loads both through Logto's discovery and loader with the version check on, skipping none", () => {
    expect(skipped).toEqual([]);
    expect(factories.map((factory) => path.basename(factory.path)).sort()).toEqual(
      published.map(({ packageName }) => installedDirectoryName(packageName)).sort()
    );
  });

  it("sends the console's test message through the Twilio connector installed by name", async () => {
    const active = sandbox as Sandbox;
    const { rawConnector } = await buildRawConnector(factoryOf(twilio));
    const before = active.inbox.length;
    const result = await (rawConnector as SmsConnector).sendMessage(
      { to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } },
      { ...exampleConfig('twilio'), endpoint: active.endpointFor('twilio') }
    );
    expect(result).toMatchObject({ messageId: expect.any(String) });
    expect(active.inbox.length).toBe(before + 1);
    expect(active.inbox.at(-1)?.provider).toBe('twilio');
    expect(JSON.stringify(active.inbox.at(-1))).toContain('000000');
  });

  it("sends the console's test message through the router installed by name (route * → twilio)", async () => {
    const active = sandbox as Sandbox;
    const config = exampleConfig('router') as {
      providers: Record<string, { use: SandboxProvider; config: Record<string, unknown> }>;
    };
    const providers = Object.fromEntries(
      Object.entries(config.providers).map(([name, provider]) => [
        name,
        { ...provider, config: { ...provider.config, endpoint: active.endpointFor(provider.use) } },
      ])
    );
    const { rawConnector } = await buildRawConnector(factoryOf(router));
    const before = active.inbox.length;
    await (rawConnector as SmsConnector).sendMessage(
      { to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } },
      { ...config, providers }
    );
    expect(active.inbox.length).toBe(before + 1);
    expect(active.inbox.at(-1)?.provider).toBe('twilio');
  });
});

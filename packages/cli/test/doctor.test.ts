import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

import {
  connectorPackages,
  createFakeLogto,
  installPacked,
  removeFakeLogto,
  repositoryRoot,
} from '../../compat/src/harness';
import { describeWithRedis, startRedisServer } from '../../sms-kit/test/redis-server';
import { assertBuilt, examplesDir, inPool, lines, runCli, type CliResult } from './support';

beforeAll(assertBuilt);

/** The JSON report, as much of it as the tests read. */
type Finding = { severity: 'problem' | 'warning'; code: string; message: string; fix?: string; logtoLog?: string };
type ConnectorReport = {
  folder: string;
  packageName?: string;
  logto: string;
  id?: string;
  type?: string;
  verdict: string;
  findings: Finding[];
};
type Report = {
  logto: {
    path: string;
    loader: { origin: string; version: string };
    connectorKit?: string;
    ignoreConnectorVersionCheck: boolean;
  };
  exitCode: number;
  problems: number;
  warnings: number;
  connectors: ConnectorReport[];
  instance: Finding[];
  node: { logtoRunsOn?: string; doctorRunsOn: string; findings: Finding[] };
  redis: { set: boolean; from?: string; target?: string; reachable?: boolean; reason?: string; findings: Finding[] };
  config?: { valid?: boolean; problems?: Array<{ path: string }>; error?: string };
};

const twilioFolder = '@sms-suite-connector-twilio-sms';
const twilioId = 'sms-suite-twilio';

/** A small connector package written by hand (a third party's): lib/index.js and package.json. */
const writePackage = (
  instance: string,
  folder: string,
  manifest: Record<string, unknown> | string,
  code: string
): string => {
  const dir = path.join(instance, 'packages/core/connectors', folder);
  mkdirSync(path.join(dir, 'lib'), { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    typeof manifest === 'string' ? manifest : JSON.stringify({ version: '1.0.0', ...manifest })
  );
  writeFileSync(path.join(dir, 'lib/index.js'), code);
  return dir;
};

const kitRange = { '@logto/connector-kit': '>=4.7.0 <6' };
/** A working SMS connector importing Logto's kit and zod, as a third party's package does. */
const smsConnector = (id: string, prefix = '') => `${prefix}
import { ConnectorType } from '@logto/connector-kit';
import { z } from 'zod';
export default async () => ({
  metadata: { id: '${id}', target: '${id}', platform: null, name: { en: 'Acme ${id}' }, description: { en: 'Acme' }, readme: '', logo: '', logoDark: null, configTemplate: '' },
  type: ConnectorType.Sms,
  configGuard: z.object({}),
  sendMessage: async () => ({}),
});
`;

const withoutRedis = { REDIS_URL: undefined, IGNORE_CONNECTOR_VERSION_CHECK: undefined };

const doctor = (instance: string, args: string[] = [], env: Record<string, string | undefined> = {}) =>
  runCli(['doctor', '--logto', instance, ...args], { env: { ...withoutRedis, ...env }, timeout: 30_000 });

const jsonOf = (result: CliResult): Report => JSON.parse(result.stdout) as Report;
const connectorIn = (report: Report, folder: string): ConnectorReport => {
  const found = report.connectors.find((connector) => connector.folder === folder);
  if (!found) {
    throw new Error(`no ${folder} in ${report.connectors.map((connector) => connector.folder).join(', ')}`);
  }
  return found;
};
const codesOf = (connector: ConnectorReport) => connector.findings.map(({ code }) => code);

const freeClosedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });

describe('doctor', () => {
  /** One packed install of the twilio connector; every case is a copy of it with hand-written packages added. */
  let healthy: string;
  const instances: string[] = [];
  const variant = (setup: (instance: string) => void): string => {
    const instance = createFakeLogto();
    instances.push(instance);
    cpSync(healthy, instance, { recursive: true, verbatimSymlinks: true });
    setup(instance);
    return instance;
  };

  /** `text`: the human output is asserted too (each run loads Logto's CLI, about a second of CPU: only where it matters). */
  type Case = { name: string; instance: () => string; args?: string[]; text?: boolean };
  const results = new Map<string, CliResult>();
  const json = (name: string) => jsonOf(results.get(`${name} --json`)!);
  const text = (name: string) => results.get(name)!;
  const exitOf = (name: string) => results.get(`${name} --json`)!.code;

  beforeAll(async () => {
    healthy = createFakeLogto();
    instances.push(healthy);
    await installPacked(
      healthy,
      connectorPackages().filter(({ name }) => name === 'twilio')
    );
    const closedPort = await freeClosedPort();
    const cases: Case[] = [
      { name: 'healthy', instance: () => healthy, text: true },
      {
        name: 'missing dependency',
        text: true,
        instance: () =>
          variant((instance) => {
            writePackage(
              instance,
              'connector-acme-sms',
              { name: 'connector-acme-sms', dependencies: { ...kitRange, zod: '3.24.3', dayjs: '^1.11.10' } },
              smsConnector('acme-sms', "import dayjs from 'dayjs';")
            );
          }),
      },
      {
        name: 'kit range',
        instance: () =>
          variant((instance) => {
            writePackage(
              instance,
              'connector-old-kit',
              { name: 'connector-old-kit', dependencies: { '@logto/connector-kit': '^4.7.0' } },
              smsConnector('acme-old-kit')
            );
          }),
      },
      {
        name: 'bundled kit',
        instance: () =>
          variant((instance) => {
            writePackage(
              instance,
              '@acme-connector-bundled',
              { name: '@acme/connector-bundled', dependencies: kitRange },
              `class ConnectorError extends Error {}
export default async () => ({ metadata: { id: 'acme-bundled', name: { en: 'Acme bundled' } }, type: 'Sms', configGuard: {}, sendMessage: async () => { throw new ConnectorError('general'); } });
`
            );
          }),
      },
      {
        name: 'id clash',
        instance: () =>
          variant((instance) => {
            writePackage(
              instance,
              'connector-clash',
              { name: 'connector-clash', dependencies: kitRange },
              smsConnector(twilioId)
            );
          }),
      },
      {
        name: 'two sms',
        text: true,
        instance: () =>
          variant((instance) => {
            writePackage(
              instance,
              'connector-acme-sms',
              { name: 'connector-acme-sms', dependencies: kitRange },
              smsConnector('acme-sms')
            );
          }),
      },
      {
        name: 'invalid package.json',
        text: true,
        instance: () =>
          variant((instance) => {
            writePackage(instance, 'connector-broken', '{ "name": "connector-broken", ', smsConnector('broken'));
          }),
      },
      {
        name: 'name pattern',
        instance: () =>
          variant((instance) => {
            writePackage(instance, 'acme-sms', { name: 'acme-sms', dependencies: kitRange }, smsConnector('acme-sms'));
          }),
      },
      {
        // The instance's own @logto/cli (where core imports it from) runs the version check, and .env
        // sets IGNORE_CONNECTOR_VERSION_CHECK: the old-kit connector loads, with a warning.
        name: 'own loader',
        text: true,
        instance: () =>
          variant((instance) => {
            const cli = path.dirname(
              createRequire(path.join(repositoryRoot, 'package.json')).resolve('@logto/cli/package.json')
            );
            symlinkSync(cli, path.join(instance, 'packages/core/node_modules/@logto/cli'), 'dir');
            writePackage(
              instance,
              'connector-old-kit',
              { name: 'connector-old-kit', dependencies: { '@logto/connector-kit': '^4.7.0' } },
              smsConnector('acme-old-kit')
            );
            writeFileSync(path.join(instance, '.env'), 'IGNORE_CONNECTOR_VERSION_CHECK=1\n');
          }),
      },
      { name: 'old node', instance: () => healthy, args: ['--node', 'v18.20.0'] },
      {
        name: 'redis unreachable',
        text: true,
        instance: () =>
          variant((instance) => {
            writeFileSync(
              path.join(instance, '.env'),
              `# Logto's settings\nREDIS_URL="redis://:doctorSecretPw@127.0.0.1:${closedPort}"\n`
            );
          }),
      },
      {
        name: 'config',
        text: true,
        instance: () => healthy,
        args: ['--connector', 'twilio', '--config', path.join(examplesDir, 'twilio.json')],
      },
    ];
    const runs = cases.flatMap((entry) => {
      const instance = entry.instance();
      const args = entry.args ?? [];
      return [
        ...(entry.text ? [{ key: entry.name, instance, args }] : []),
        { key: `${entry.name} --json`, instance, args: [...args, '--json'] },
      ];
    });
    await inPool(runs, 3, async ({ key, instance, args }) => {
      results.set(key, await doctor(instance, args));
    });
  }, 120_000);

  afterAll(() => {
    instances.forEach(removeFakeLogto);
  });

  it('says "all good" and exits 0 for a healthy instance', () => {
    const result = text('healthy');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output[0]).toBe(`Logto       ${healthy}`);
    expect(output[1]).toBe(
      'loader      this instance has no @logto/cli: the @logto/cli 1.43.0 sms-connector ships · version check against @logto/connector-kit 5.1.1'
    );
    expect(output[2]).toBe('connectors  packages/core/connectors · 1 package');
    expect(output[3]).toMatch(
      /^ {2}✔ @sms-suite\/connector-twilio-sms \d+\.\d+\.\d+ · loads · SMS · id sms-suite-twilio$/
    );
    expect(output[4]).toMatch(/^Node {8}Logto's Node is not known \(pass --node\) · doctor runs on v\d+/);
    expect(output[5]).toBe(
      'Redis       REDIS_URL is not set (environment, .env): send limits are counted in each Logto process (set it to share them between Logto instances)'
    );
    expect(output.slice(-3)).toEqual([
      '✔ all good: Logto will load the connector',
      'Restart Logto after any change in packages/core/connectors: it loads connectors once, at startup.',
      '',
    ]);

    const report = json('healthy');
    expect(results.get('healthy --json')!.code).toBe(0);
    expect(report).toMatchObject({
      exitCode: 0,
      problems: 0,
      warnings: 0,
      logto: {
        path: healthy,
        loader: { origin: 'bundled', version: '1.43.0' },
        connectorKit: '5.1.1',
        ignoreConnectorVersionCheck: false,
      },
      instance: [],
      redis: { set: false, findings: [] },
      node: { findings: [] },
    });
    expect(report.connectors).toEqual([
      expect.objectContaining({
        folder: twilioFolder,
        packageName: '@sms-suite/connector-twilio-sms',
        logto: 'loads',
        id: twilioId,
        type: 'Sms',
        verdict: 'ok',
        findings: [],
      }),
    ]);
  });

  it('names a dependency the instance lacks (#6461) and how to install it', () => {
    const result = text('missing dependency');
    expect(result.code).toBe(1);
    const report = json('missing dependency');
    const acme = connectorIn(report, 'connector-acme-sms');
    const dir = path.join(report.logto.path, 'packages/core/connectors/connector-acme-sms');
    expect(acme).toMatchObject({ logto: 'skips', verdict: 'problem' });
    expect(acme.findings).toEqual([
      {
        severity: 'problem',
        code: 'missing-dependency',
        message:
          'it needs the package "dayjs" (imported by lib/index.js), which this Logto instance does not have (Logto\'s "connector add" never runs npm install, and Logto core does not ship it): Logto skips it',
        fix: `install a build of connector-acme-sms that bundles its dependencies (ask its author), or install dayjs into the connector's folder: cd ${dir} && npm install --omit=dev --omit=peer --no-save 'dayjs@^1.11.10', then rm -rf node_modules/@logto/connector-kit node_modules/zod (npm installs them too; the connector must use Logto's own); in Docker, do it in an image built FROM Logto's or on the volume that holds the connectors, or it is lost with the container; restart Logto`,
        logtoLog: `[load-connector] skip connector-acme-sms due to error: Cannot find package 'dayjs' imported from ${dir}/lib/index.js`,
      },
    ]);
    // The others are not affected.
    expect(connectorIn(report, twilioFolder)).toMatchObject({ logto: 'loads', verdict: 'ok' });
    expect(result.stdout).toContain('  ✖ connector-acme-sms 1.0.0 · skipped: Logto does not load it\n');
    expect(lines(result.stdout).at(-3)).toBe('✖ 1 problem, 0 warnings: Logto will load 1 of 2 connectors');
  });

  it("says when the connector-kit range excludes the instance's kit", () => {
    expect(exitOf('kit range')).toBe(1);
    const oldKit = connectorIn(json('kit range'), 'connector-old-kit');
    expect(oldKit).toMatchObject({ logto: 'skips', verdict: 'problem' });
    expect(oldKit.findings).toEqual([
      {
        severity: 'problem',
        code: 'kit-range',
        message:
          "it requires @logto/connector-kit ^4.7.0 (its package.json dependencies), but this Logto has 5.1.1: Logto's version check skips it",
        fix: 'install a version of connector-old-kit that accepts @logto/connector-kit 5.1.1 (a connector should declare ">=4.7.0 <6"), or run a Logto whose kit is in ^4.7.0; starting Logto with IGNORE_CONNECTOR_VERSION_CHECK=1 loads it anyway (discouraged in production)',
        logtoLog:
          '[load-connector] skip connector-old-kit due to error: Connector requires @logto/connector-kit to be ^4.7.0, but the version here is 5.1.1.',
      },
    ]);
  });

  it('counts a bundled connector-kit as a problem: Logto loads it, its errors become HTTP 500', () => {
    expect(exitOf('bundled kit')).toBe(1);
    const bundled = connectorIn(json('bundled kit'), '@acme-connector-bundled');
    expect(bundled).toMatchObject({ logto: 'loads', id: 'acme-bundled', verdict: 'problem' });
    expect(codesOf(bundled)).toEqual(['bundled-connector-kit']);
    expect(bundled.findings[0]!.message).toBe(
      'its lib/index.js carries its own copy of @logto/connector-kit (class ConnectorError): Logto loads it, but no error it throws is Logto\'s ConnectorError, so every failed send or config test (invalid config, rate limit, …) becomes HTTP 500 "Internal server error." instead of a 400/429 with its message'
    );
  });

  it('reports a metadata id clash on both packages', () => {
    expect(exitOf('id clash')).toBe(1);
    const report = json('id clash');
    for (const [folder, other] of [
      [twilioFolder, 'connector-clash (folder connector-clash)'],
      ['connector-clash', `@sms-suite/connector-twilio-sms (folder ${twilioFolder})`],
    ] as const) {
      const connector = connectorIn(report, folder);
      expect(connector).toMatchObject({ logto: 'loads', id: twilioId, verdict: 'problem' });
      expect(connector.findings).toEqual([
        {
          severity: 'problem',
          code: 'duplicate-id',
          message: `its metadata id "${twilioId}" is also the id of ${other}: Logto refuses two connectors with one id (connector.more_than_one_connector_factory, HTTP 422), so every connector request fails for every connector, and Logto may not start`,
          fix: `keep one of them: remove the folder packages/core/connectors/${twilioFolder} or packages/core/connectors/connector-clash; restart Logto`,
        },
      ]);
    }
  });

  it('warns about two SMS connectors, naming the one Logto lists first, and exits 0', () => {
    const result = text('two sms');
    expect(result.code).toBe(0);
    const report = json('two sms');
    expect(report).toMatchObject({ exitCode: 0, problems: 0, warnings: 1 });
    expect(report.connectors.map(({ verdict }) => verdict)).toEqual(['ok', 'ok']);
    expect(report.instance).toHaveLength(1);
    expect(report.instance[0]).toMatchObject({ severity: 'warning', code: 'several-sms-connectors' });
    expect(report.instance[0]!.message).toMatch(
      /^2 SMS connectors will load: .*Twilio SMS \(SMS Suite\) \(@sms-suite\/connector-twilio-sms\).*Acme acme-sms \(connector-acme-sms\).*\. A tenant uses one SMS connector at a time: the admin picks which in the console \(Connectors → SMS connector\); Logto lists (Twilio SMS \(SMS Suite\)|Acme acme-sms) first$/
    );
    expect(lines(result.stdout).at(-3)).toBe('✔ no problems, 1 warning: Logto will load all 2 connectors');
  });

  it('says that an invalid package.json stops Logto from loading any connector', () => {
    expect(text('invalid package.json').code).toBe(1);
    const report = json('invalid package.json');
    const broken = connectorIn(report, 'connector-broken');
    expect(broken.logto).toBe('breaks-discovery');
    expect(broken.findings).toHaveLength(1);
    expect(broken.findings[0]!.code).toBe('invalid-package-json');
    expect(broken.findings[0]!.message).toMatch(
      /^its package\.json is not valid JSON \(.+\): Logto's discovery reads every package\.json in packages\/core\/connectors and throws on this one, so Logto loads NO connector at all, not even the valid ones \(at startup: "Error while initializing app"\)$/
    );
    expect(broken.findings[0]!.fix).toBe(
      'fix packages/core/connectors/connector-broken/package.json (valid JSON with a string "name"), or remove the folder; restart Logto'
    );
    // The healthy connector is not loaded either.
    const twilio = connectorIn(report, twilioFolder);
    expect(twilio).toMatchObject({ logto: 'blocked', verdict: 'problem' });
    expect(codesOf(twilio)).toEqual(['blocked-by-discovery']);
    expect(report.instance.map(({ code }) => code)).toEqual(['discovery-fails']);
    expect(lines(text('invalid package.json').stdout).at(-3)).toBe(
      '✖ 3 problems, 0 warnings: Logto will load 0 of 2 connectors'
    );
  });

  it('says that Logto ignores a package whose name does not match connector-…', () => {
    expect(exitOf('name pattern')).toBe(1);
    const acme = connectorIn(json('name pattern'), 'acme-sms');
    expect(acme).toMatchObject({ logto: 'ignores', verdict: 'problem' });
    expect(acme.findings).toEqual([
      {
        severity: 'problem',
        code: 'name-not-discovered',
        message:
          'Logto ignores it without a word: its package name "acme-sms" does not start with "connector-" (or "@scope/connector-"), the names Logto\'s discovery looks for',
        fix: 'rename the package to "connector-acme-sms" in its package.json (or install a version so named), or remove the folder if it is not a connector; restart Logto',
      },
    ]);
  });

  it("runs the instance's own @logto/cli, and reads IGNORE_CONNECTOR_VERSION_CHECK from its .env", () => {
    const result = text('own loader');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[1]).toBe(
      'loader      @logto/cli 1.43.0 of this instance (packages/core/node_modules/@logto/cli) · version check against @logto/connector-kit 5.1.1 · IGNORE_CONNECTOR_VERSION_CHECK is set'
    );
    const report = json('own loader');
    expect(report.logto).toMatchObject({ loader: { origin: 'instance' }, ignoreConnectorVersionCheck: true });
    const oldKit = connectorIn(report, 'connector-old-kit');
    expect(oldKit).toMatchObject({ logto: 'loads', verdict: 'warning' });
    expect(codesOf(oldKit)).toEqual(['kit-range-ignored']);
  });

  it('checks the connectors against the Node Logto runs on (--node)', () => {
    expect(exitOf('old node')).toBe(1);
    const report = json('old node');
    expect(report.node.logtoRunsOn).toBe('18.20.0');
    const twilio = connectorIn(report, twilioFolder);
    expect(twilio.findings).toEqual([
      expect.objectContaining({
        severity: 'problem',
        code: 'node-engine',
        message:
          'it is made for Node >=20.11 (its engines.node), but Logto runs on Node 18.20.0: it may fail when it runs',
      }),
    ]);
  });

  it('reports a REDIS_URL (from .env) that does not answer, without its password', () => {
    const result = text('redis unreachable');
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain('doctorSecretPw');
    const report = json('redis unreachable');
    expect(results.get('redis unreachable --json')!.stdout).not.toContain('doctorSecretPw');
    expect(report.redis).toMatchObject({ set: true, from: '.env', reachable: false });
    expect(report.redis.reason).toMatch(/ECONNREFUSED/);
    expect(report.redis.findings.map(({ code }) => code)).toEqual(['redis-unreachable']);
    expect(lines(result.stdout).find((line) => line.startsWith('Redis'))).toMatch(
      /^Redis {7}REDIS_URL \(from \.env\) → 127\.0\.0\.1:\d+ ✖ connect ECONNREFUSED 127\.0\.0\.1:\d+$/
    );
  });

  it('checks a config as validate does, with the connector as installed', () => {
    const result = text('config');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `config      ${path.relative(repositoryRoot, path.join(examplesDir, 'twilio.json'))} for @sms-suite/connector-twilio-sms, as "sms-connector validate" checks it:\n`
    );
    expect(result.stdout).toContain('\n  ✔ valid');
    expect(json('config').config).toMatchObject({ valid: true, problems: [] });
  });

  it('refuses --config without --connector, and prints its help', async () => {
    const [usage, help] = await Promise.all([
      runCli(['doctor', '--logto', healthy, '--config', 'x.json']),
      runCli(['doctor', '--help']),
    ]);
    expect(usage.code).toBe(2);
    expect(lines(usage.stderr)[0]).toBe('error: --config needs --connector');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sms-connector doctor --logto <path-to-logto>/);
  });

  describeWithRedis('with a Redis that answers', () => {
    it('says REDIS_URL answers PING, and never prints its password', async () => {
      const redis = await startRedisServer({ password: 'doctorRedisPw' });
      try {
        const result = await doctor(healthy, ['--json'], { REDIS_URL: redis.url });
        expect(result.code).toBe(0);
        expect(result.stdout).not.toContain('doctorRedisPw');
        expect(jsonOf(result).redis).toMatchObject({
          set: true,
          from: 'the environment',
          target: `127.0.0.1:${redis.port}`,
          reachable: true,
          findings: [],
        });
        const wrong = await doctor(healthy, [], { REDIS_URL: redis.url.replace('doctorRedisPw', 'wrongPassword1') });
        expect(wrong.code).toBe(1);
        expect(wrong.stdout).not.toContain('wrongPassword1');
        expect(wrong.stdout).toMatch(/✖ Redis answered "WRONGPASS/);
      } finally {
        await redis.stop();
      }
    });
  });
});

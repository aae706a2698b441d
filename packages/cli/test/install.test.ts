import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { sandboxCredentials, startSandbox, type Sandbox } from '@sms-suite/sandbox';

import {
  assertBuilt,
  builtConnectors,
  builtSuiteConnectors,
  examplesDir,
  lines,
  makeScratch,
  repoRoot,
  routerBuilt,
  runCli,
  stderrOf,
  type CliResult,
} from './support';

beforeAll(assertBuilt);

const scratch = makeScratch('install');
afterAll(() => {
  scratch.remove();
});

const fakeLogto = (name: string, coreName = '@logto/core') => {
  scratch.write(`${name}/packages/core/package.json`, { name: coreName, version: '1.43.0' });
  return path.join(scratch.dir, name);
};

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full).map((file) => `${entry}/${file}`) : [entry];
  });

/** Loads the installed packages with @logto/cli's loader in a fresh process and sends like the console. */
const loaderScript = `
import { loadConnectorFactories, buildRawConnector } from '@logto/cli/lib/connector/index.js';
import { getConnectorPackagesFromDirectory } from '@logto/cli/lib/utils.js';
import { ConnectorError, TemplateType, connectorMetadataGuard } from '@logto/connector-kit';

const [directory, configsJson] = process.argv.slice(2);
const configs = JSON.parse(configsJson);
const packages = await getConnectorPackagesFromDirectory(directory);
const factories = await loadConnectorFactories(packages, false);
const report = { packages: packages.map(({ name }) => name).sort(), connectors: {} };
for (const factory of factories) {
  const { rawConnector } = await buildRawConnector(factory);
  const name = factory.metadata.id.replace(/^sms-suite-/, '');
  const entry = { type: factory.type, metadataValid: connectorMetadataGuard.safeParse(factory.metadata).success, logo: factory.metadata.logo.slice(0, 26) };
  try {
    entry.sent = await rawConnector.sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } }, configs[name]);
  } catch (error) {
    entry.sendError = String(error);
  }
  try {
    await rawConnector.sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } }, {});
  } catch (error) {
    entry.invalidConfig = { code: error.code, isLoadersConnectorError: error instanceof ConnectorError };
  }
  report.connectors[name] = entry;
}
console.log(JSON.stringify(report));
`;

const runNode = (script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: repoRoot, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });

describe("install every connector into a Logto instance, then load them with Logto's loader", () => {
  let logto: string;
  let connectorsDir: string;
  let result: CliResult;
  let sandbox: Sandbox;

  beforeAll(async () => {
    logto = fakeLogto('logto');
    connectorsDir = path.join(logto, 'packages/core/connectors');
    // An older copy of ours, with a file the new package no longer has: it must be replaced, not merged.
    scratch.write('logto/packages/core/connectors/@sms-suite-connector-twilio-sms/leftover.txt', 'old');
    result = await runCli(['install', '--logto', logto], { timeout: 60_000 });
    sandbox = await startSandbox();
  }, 90_000);
  afterAll(async () => {
    await sandbox.close();
  });

  it('installs each connector as an extracted package named after it, and says to restart Logto', () => {
    expect(stderrOf(result)).toBe('');
    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output[0]).toBe(
      `Packing ${builtSuiteConnectors.length} connector${builtSuiteConnectors.length === 1 ? '' : 's'} with npm pack…`
    );
    for (const name of builtSuiteConnectors) {
      expect(output).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^✔ +@sms-suite/connector-${name}-sms \\d+\\.\\d+\\.\\d+ +id sms-suite-${name} +→ packages/core/connectors/@sms-suite-connector-${name}-sms${name === 'twilio' ? ' \\(replaced\\)' : ''}$`
          )
        )
      );
    }
    expect(output.slice(-3)).toEqual([
      `✔ installed ${builtSuiteConnectors.length} connector${builtSuiteConnectors.length === 1 ? '' : 's'} into ${connectorsDir}`,
      'Restart Logto to load them: it reads packages/core/connectors once, at startup.',
      '',
    ]);
    // Logto enables one SMS connector at a time: the router or one provider's connector.
    if (routerBuilt) {
      expect(output.at(-4)).toBe(
        `  note Logto enables one SMS connector at a time: pick "SMS router (SMS Suite)" to route by country and fail over between providers (every provider of the suite is bundled in it), or one of the ${builtConnectors.length} provider connectors for a single provider`
      );
    }
  });

  it.each(builtSuiteConnectors)('%s: the directory holds exactly the packed files, no node_modules', (name) => {
    const dir = path.join(connectorsDir, `@sms-suite-connector-${name}-sms`);
    const source = path.join(repoRoot, 'packages', `connector-${name}-sms`);
    const packageJson = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as { files: string[] };
    const expected = [
      'package.json',
      ...packageJson.files.flatMap((entry) => {
        const full = path.join(source, entry);
        if (!existsSync(full)) {
          return [];
        }
        return statSync(full).isDirectory() ? filesUnder(full).map((file) => `${entry}/${file}`) : [entry];
      }),
    ];

    expect(filesUnder(dir).sort()).toEqual([...new Set(expected)].sort());
    expect(readFileSync(path.join(dir, 'lib/index.js')).equals(readFileSync(path.join(source, 'lib/index.js')))).toBe(
      true
    );
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(
      readFileSync(path.join(source, 'package.json'), 'utf8')
    );
  });

  it("loads every installed package with @logto/cli's loader, which sends to the sandbox like the console", async () => {
    const script = scratch.write('load.mjs', loaderScript);
    const configs: Record<string, unknown> = Object.fromEntries(
      builtConnectors.map((name) => [
        name,
        {
          ...(JSON.parse(readFileSync(path.join(examplesDir, `${name}.json`), 'utf8')) as object),
          ...sandboxCredentials[name],
          endpoint: sandbox.endpointFor(name),
        },
      ])
    );
    if (routerBuilt) {
      // The router's example, every provider config pointed at the sandbox: 16502530000 goes to twilio.
      const router = JSON.parse(readFileSync(path.join(examplesDir, 'router.json'), 'utf8')) as {
        providers: Record<string, { use: 'aliyun' | 'twilio' | 'vonage'; config: object }>;
      };
      configs.router = {
        ...router,
        providers: Object.fromEntries(
          Object.entries(router.providers).map(([name, entry]) => [
            name,
            { ...entry, config: { ...entry.config, endpoint: sandbox.endpointFor(entry.use) } },
          ])
        ),
      };
    }
    const loaded = await runNode(script, [connectorsDir, JSON.stringify(configs)]);

    expect(loaded.stderr).not.toMatch(/skip|error/i);
    expect(loaded.code).toBe(0);
    const report = JSON.parse(loaded.stdout.trim().split('\n').at(-1)!) as {
      packages: string[];
      connectors: Record<
        string,
        {
          type: string;
          metadataValid: boolean;
          logo: string;
          sent?: { messageId?: string };
          sendError?: string;
          invalidConfig?: unknown;
        }
      >;
    };
    expect(report.packages).toEqual(builtSuiteConnectors.map((name) => `@sms-suite/connector-${name}-sms`).sort());
    expect(Object.keys(report.connectors).sort()).toEqual([...builtSuiteConnectors].sort());
    for (const name of builtSuiteConnectors) {
      const connector = report.connectors[name]!;
      expect({ name, ...connector, sent: typeof connector.sent?.messageId }).toEqual({
        name,
        type: 'Sms',
        metadataValid: true,
        logo: 'data:image/svg+xml;base64,',
        sent: 'string',
        invalidConfig: { code: 'invalid_config', isLoadersConnectorError: true },
      });
      // The router sends a US number through the first provider of its "*" route.
      const provider = name === 'router' ? 'twilio' : name;
      expect(sandbox.inbox.some((entry) => entry.provider === provider && entry.id === connector.sent?.messageId)).toBe(
        true
      );
    }
  }, 60_000);
});

describe('install: warnings and refusals', () => {
  it('warns about the official connector of the same provider and about a package with the same metadata id', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const logto = fakeLogto('logto-crowded');
    scratch.write('logto-crowded/packages/core/connectors/connector-twilio-sms/package.json', {
      name: '@logto/connector-twilio-sms',
      version: '1.4.0',
    });
    const copy = path.join(logto, 'packages/core/connectors/connector-twilio-old');
    scratch.write('logto-crowded/packages/core/connectors/connector-twilio-old/package.json', {
      name: '@acme/connector-twilio-old',
      version: '0.0.1',
      type: 'module',
    });
    mkdirSync(path.join(copy, 'lib'), { recursive: true });
    copyFileSync(path.join(repoRoot, 'packages/connector-twilio-sms/lib/index.js'), path.join(copy, 'lib/index.js'));

    const result = await runCli(['install', '--logto', logto, 'twilio'], { timeout: 60_000 });

    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output).toContain(
      '  ⚠ the official Twilio connector (@logto/connector-twilio-sms, id twilio-short-message-service) is installed too, in connector-twilio-sms: both appear in the console; a tenant has one SMS connector at a time, so pick "Twilio SMS (SMS Suite)" when you set it up'
    );
    expect(output).toContain(
      '  ⚠ connector-twilio-old (@acme/connector-twilio-old) has the same metadata id "sms-suite-twilio" as @sms-suite/connector-twilio-sms: Logto refuses duplicate ids (connector.more_than_one_connector_factory) — remove one of the two directories'
    );
    expect(existsSync(path.join(logto, 'packages/core/connectors/@sms-suite-connector-twilio-sms/lib/index.js'))).toBe(
      true
    );
  }, 60_000);

  it("warns when the instance's @logto/connector-kit is outside the connector's declared range", async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const logto = fakeLogto('logto-old');
    scratch.write('logto-old/packages/core/node_modules/@logto/connector-kit/package.json', {
      name: '@logto/connector-kit',
      version: '4.6.0',
    });
    const { dependencies } = JSON.parse(
      readFileSync(path.join(repoRoot, 'packages/connector-twilio-sms/package.json'), 'utf8')
    ) as {
      dependencies: Record<string, string>;
    };

    const result = await runCli(['install', '--logto', logto, 'twilio'], { timeout: 60_000 });

    expect(result.code).toBe(0);
    expect(lines(stderrOf(result))).toContain(
      `warning: @sms-suite/connector-twilio-sms requires @logto/connector-kit ${dependencies['@logto/connector-kit']!}, but this Logto has 4.6.0: Logto skips it at startup (upgrade Logto, or start it with IGNORE_CONNECTOR_VERSION_CHECK=1)`
    );
  }, 60_000);

  it('installs the router alone, and says that Logto enables one SMS connector at a time', async () => {
    if (!routerBuilt) {
      return;
    }
    const logto = fakeLogto('logto-router');
    const result = await runCli(['install', '--logto', logto, 'router'], { timeout: 60_000 });

    expect(stderrOf(result)).toBe('');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'Packing 1 connector with npm pack…',
      expect.stringMatching(
        /^✔ +@sms-suite\/connector-router-sms \d+\.\d+\.\d+ +id sms-suite-router +→ packages\/core\/connectors\/@sms-suite-connector-router-sms$/
      ),
      '  note Logto enables one SMS connector at a time: pick "SMS router (SMS Suite)" to route by country and fail over between providers (every provider of the suite is bundled in it)',
      `✔ installed 1 connector into ${path.join(logto, 'packages/core/connectors')}`,
      'Restart Logto to load them: it reads packages/core/connectors once, at startup.',
      '',
    ]);
  }, 60_000);

  it('refuses a directory that is not a Logto instance, and writes nothing', async () => {
    const notLogto = fakeLogto('not-logto', '@acme/core');
    const result = await runCli(['install', '--logto', notLogto, 'twilio']);

    expect(result.code).toBe(1);
    expect(lines(stderrOf(result))).toEqual([
      `error: refusing to install into ${notLogto}: it is not a Logto instance (no packages/core/package.json named "@logto/core")`,
      'hint: pass the root directory of your Logto installation, the one holding packages/core',
      '',
    ]);
    expect(existsSync(path.join(notLogto, 'packages/core/connectors'))).toBe(false);
  });

  it('stops before writing anything when a connector is not built', async () => {
    const logto = fakeLogto('logto-unbuilt');
    scratch.write('connector-unbuilt/package.json', { name: '@acme/connector-unbuilt', version: '0.0.1' });
    const result = await runCli(['install', '--logto', logto, 'twilio', path.join(scratch.dir, 'connector-unbuilt')]);

    expect(result.code).toBe(1);
    expect(lines(stderrOf(result))).toEqual([
      expect.stringMatching(/^error: \S+connector-unbuilt\/lib\/index\.js not found: the connector is not built$/),
      'hint: run the build first: npx --yes pnpm@10 build',
      '',
    ]);
    expect(existsSync(path.join(logto, 'packages/core/connectors'))).toBe(false);
  });

  it.each([
    [['install'], 2, 'error: missing --logto (e.g. --logto ~/logto)'],
    [['install', '--logto', 'no/such/dir'], 1, 'error: Logto instance not found: no/such/dir is not a directory'],
  ])('%j exits %i', async (args, code, message) => {
    const result = await runCli(args);

    expect(result.code).toBe(code);
    expect(lines(stderrOf(result))[0]).toBe(message);
  });
});

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { providerNames, type ProviderName } from '@sms-suite/catalog';

export const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(cliDir, '../..');
export const cliPath = path.join(cliDir, 'lib/sms-connector.js');
export const examplesDir = path.join(cliDir, 'examples');

/** The provider connectors of the suite (the catalog); the tests cover those present and built in this checkout. */
export const allConnectorNames = providerNames;
export type ConnectorName = ProviderName;
export const builtConnectors: ConnectorName[] = allConnectorNames.filter((name) =>
  existsSync(path.join(repoRoot, 'packages', `connector-${name}-sms`, 'lib/index.js'))
);

/** The routing connector (`-c router`, packages/connector-router-sms), which sends through the providers above. */
export const routerBuilt = existsSync(path.join(repoRoot, 'packages/connector-router-sms/lib/index.js'));

/** Every built connector of the suite, the router last: what `demo` and `install` go through by default. */
export const builtSuiteConnectors: string[] = [...builtConnectors, ...(routerBuilt ? ['router'] : [])];

/** What the CLI lists when a connector name is unknown. */
export const connectorNameList = [...allConnectorNames, 'router'].join(', ');

export const assertBuilt = () => {
  if (!existsSync(cliPath)) {
    throw new Error(`${cliPath} is missing: run "npx --yes pnpm@10 build" before these tests`);
  }
};

export type CliResult = { code: number; stdout: string; stderr: string; output: string };

/**
 * stderr without the CLI's reminder that a connector's lib/index.js is older than its src/ (other
 * people may be editing a connector while these tests run on the last build).
 */
export const stderrOf = (result: CliResult) =>
  result.stderr
    .split('\n')
    .filter((line) => !/^warning: .*is older than the connector's src\//.test(line))
    .join('\n');

/**
 * Runs `node lib/sms-connector.js ...args` and resolves with its exit code and output (never rejects on
 * exit codes). `env` adds to (or, with undefined, removes from) this process's environment.
 */
export const runCli = (
  args: string[],
  {
    cwd = repoRoot,
    timeout = 20_000,
    env = {},
  }: { cwd?: string; timeout?: number; env?: Record<string, string | undefined> } = {}
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd, timeout, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        const code = error ? (error.code as number) : 0;
        resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
      }
    );
  });

/** Runs tasks with at most `limit` at a time (the machine has two cores, shared). */
export const inPool = async <Item, Result>(
  items: readonly Item[],
  limit: number,
  task: (item: Item) => Promise<Result>
) => {
  const results: Result[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => worker()));
  return results;
};

/**
 * A scratch directory inside the repository (packages/cli/.tmp-test-*, gitignored): files written
 * there resolve bare imports (@logto/connector-kit, zod, @logto/cli) from the root node_modules,
 * like a connector installed into a Logto instance resolves them from Logto's.
 */
export const makeScratch = (label: string) => {
  // Created on first use, so a test file filtered out by -t leaves nothing behind.
  let created: string | undefined;
  const root = () => {
    created ??= mkdtempSync(path.join(cliDir, `.tmp-test-${label}-`));
    return created;
  };
  const write = (relative: string, content: string | object) => {
    const file = path.join(root(), relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  return {
    get dir() {
      return root();
    },
    write,
    remove: () => {
      if (created) {
        rmSync(created, { recursive: true, force: true });
      }
    },
  };
};

/** Lines of a CLI output without trailing spaces, for exact assertions. */
export const lines = (text: string) => text.split('\n').map((line) => line.trimEnd());

/** Starts a long-running CLI command and resolves once `ready` appears on stdout. */
export const startCli = (
  args: string[],
  ready: RegExp
): Promise<{ child: ChildProcess; stdout: () => string; exited: Promise<number | null> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => {
      child.on('exit', (code) => {
        done(code);
      });
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (ready.test(stdout)) {
        resolve({ child, stdout: () => stdout, exited });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    void exited.then((code) => {
      reject(new Error(`exited with ${String(code)} before it was ready: ${stdout}${stderr}`));
    });
  });

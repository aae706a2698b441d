import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { buildRawConnector, loadConnectorFactories } from '@logto/cli/lib/connector/index.js';
import { TemplateType, type SmsConnector } from '@logto/connector-kit';
import { routerEntry } from '@sms-suite/catalog';
import { startSandbox, type Sandbox } from '@sms-suite/sandbox';

import {
  connectorPackages,
  installedDirectoryName,
  loadLikeLogto,
  logtoRuntimeSources,
  repositoryRoot,
  type ConnectorPackage,
} from './harness';

/**
 * docs/docker/Dockerfile, proven without Docker: a small interpreter replays exactly the instructions
 * the snippet uses (ARG, FROM, WORKDIR, RUN, COPY) on folders that stand for each stage's file
 * system — the official Logto image's stage laid out as that image is (WORKDIR /etc/logto, Logto core
 * and its runtime packages in /etc/logto/packages/core, the official connectors linked into
 * packages/core/connectors) — then Logto's discovery and loader run on the connectors folder the
 * final image has, and the console's Send goes through the sandbox.
 */
const run = promisify(execFile);
const dockerfile = path.join(repositoryRoot, 'docs/docker/Dockerfile');
const fromCompat = createRequire(path.join(repositoryRoot, 'packages/compat/package.json'));
const logtoCli = path.dirname(fromCompat.resolve('@logto/cli/package.json'));
const logtoCliVersion = (JSON.parse(readFileSync(path.join(logtoCli, 'package.json'), 'utf8')) as { version: string })
  .version;

/** What Logto's own Dockerfile (logto-io/logto, Dockerfile) makes: `WORKDIR /etc/logto`, the repository copied there. */
const logtoImageWorkdir = '/etc/logto';
const logtoImage = /^(?:ghcr\.io\/logto-io\/logto|svhd\/logto)(?::[\w.-]+)?$/;
const imageConnectors = '/etc/logto/packages/core/connectors';
/** An official connector as the image has it: `pnpm cli connector link` makes `@logto-<dir>` → `../../connectors/<dir>`. */
const officialLink = '@logto-connector-twilio-sms';

type Instruction = { keyword: string; argument: string; line: number };
type Stage = { name: string | undefined; image: string; root: string; workdir: string; args: Record<string, string> };

/** Instructions, one per logical line: comments and blank lines dropped, `\` continuations joined. */
const parseDockerfile = (text: string): Instruction[] => {
  const instructions: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) {
      return;
    }
    if (!pending) {
      start = index + 1;
    }
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = pending + line;
    pending = '';
    const match = /^(\S+)\s+(.*)$/.exec(full);
    if (!match?.[1] || match[2] === undefined) {
      throw new Error(`Dockerfile line ${start}: cannot read "${full}"`);
    }
    instructions.push({ keyword: match[1].toUpperCase(), argument: match[2].trim(), line: start });
  });
  return instructions;
};

/** `NAME=default`, `NAME="quoted default"` or `NAME`. */
const parseArg = (argument: string): [string, string | undefined] => {
  const match = /^([A-Za-z_][\w]*)(?:=(.*))?$/.exec(argument);
  if (!match?.[1]) {
    throw new Error(`ARG ${argument}: not NAME[=default]`);
  }
  const value = match[2];
  return [match[1], value === undefined ? undefined : value.replace(/^"(.*)"$/, '$1')];
};

const substitute = (text: string, variables: Record<string, string>) =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = variables[name];
    if (value === undefined) {
      throw new Error(`$${name} is not defined`);
    }
    return value;
  });

/** The official Logto image, as far as connectors are concerned. */
const layOutLogtoImage = (root: string) => {
  const core = path.join(root, 'etc/logto/packages/core');
  mkdirSync(path.join(core, 'connectors'), { recursive: true });
  writeFileSync(path.join(core, 'package.json'), JSON.stringify({ name: '@logto/core' }));
  for (const [name, source] of Object.entries(logtoRuntimeSources())) {
    const link = path.join(core, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(source, link, 'dir');
  }
  // A stand-in for an official connector (no package.json: discovery passes it over), to show the COPY keeps them.
  mkdirSync(path.join(root, 'etc/logto/packages/connectors/connector-twilio-sms'), { recursive: true });
  symlinkSync('../../connectors/connector-twilio-sms', path.join(core, 'connectors', officialLink));
};

/**
 * The replay's `npx`: `npx --yes @logto/cli@<version>` runs the @logto/cli installed here, at the
 * version the snippet pins (checked by a test); anything else fails the RUN.
 */
const writeNpxShim = (directory: string, pinned: string) => {
  mkdirSync(directory, { recursive: true });
  const shim = path.join(directory, 'npx');
  writeFileSync(
    shim,
    [
      '#!/bin/sh',
      'if [ "$1" = "--yes" ]; then shift; fi',
      `if [ "$1" = "@logto/cli@${pinned}" ]; then shift; exec "${process.execPath}" "${path.join(logtoCli, 'bin/logto.js')}" "$@"; fi`,
      'echo "the replay runs only npx --yes @logto/cli@' + pinned + ', not: npx $*" >&2',
      'exit 1',
      '',
    ].join('\n')
  );
  chmodSync(shim, 0o755);
};

/**
 * Replays the Dockerfile: each stage's `/` is a folder of `work`; RUN runs with `sh -c` in the
 * stage's WORKDIR with its ARGs in the environment (an ARG value's absolute paths mapped into the
 * stage), and must itself name no absolute path; COPY copies a folder's contents (from the build
 * context, or `--from` a stage) as Docker does, symbolic links kept. Returns the final stage.
 */
const replay = async (
  text: string,
  {
    context,
    work,
    buildArgs,
    binDirectory,
  }: { context: string; work: string; buildArgs: Record<string, string>; binDirectory: string }
): Promise<{ stages: Stage[]; log: string }> => {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  let log = '';
  const inStage = (stage: Stage, imagePath: string) =>
    path.join(stage.root, path.posix.isAbsolute(imagePath) ? imagePath : path.posix.join(stage.workdir, imagePath));

  for (const { keyword, argument, line } of parseDockerfile(text)) {
    const stage = stages.at(-1);
    const where = `Dockerfile line ${line} (${keyword} ${argument})`;
    if (keyword === 'ARG') {
      const [name, fallback] = parseArg(argument);
      const value = buildArgs[name] ?? fallback;
      if (value !== undefined) {
        (stage ? stage.args : globalArgs)[name] = value;
      }
    } else if (keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(substitute(argument, globalArgs));
      if (!match?.[1]) {
        throw new Error(`${where}: not FROM image [AS name]`);
      }
      const root = path.join(work, `stage-${stages.length}`);
      mkdirSync(root, { recursive: true });
      const official = logtoImage.test(match[1]);
      if (official) {
        layOutLogtoImage(root);
      }
      stages.push({ name: match[2], image: match[1], root, workdir: official ? logtoImageWorkdir : '/', args: {} });
    } else if (!stage) {
      throw new Error(`${where}: before any FROM`);
    } else if (keyword === 'WORKDIR') {
      stage.workdir = path.posix.resolve(stage.workdir, substitute(argument, stage.args));
      mkdirSync(inStage(stage, stage.workdir), { recursive: true });
    } else if (keyword === 'RUN') {
      if (/(?:^|[\s=:'"])\/(?!dev\/null)[\w@.-]/.test(argument)) {
        throw new Error(`${where}: the replay maps only ARG values into the stage, not absolute paths in RUN`);
      }
      const mapped = Object.fromEntries(
        Object.entries(stage.args).map(([name, value]) => [
          name,
          value
            .split(/\s+/)
            .map((token) => (token.startsWith('/') ? inStage(stage, token) : token))
            .join(' '),
        ])
      );
      try {
        const { stdout, stderr } = await run('sh', ['-c', argument], {
          cwd: inStage(stage, stage.workdir),
          env: { ...process.env, ...mapped, PATH: `${binDirectory}${path.delimiter}${process.env.PATH ?? ''}` },
        });
        log += `${where}\n${stdout}${stderr}`;
      } catch (error: unknown) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        throw new Error(`${where} failed:\n${stdout}${stderr}`, { cause: error });
      }
    } else if (keyword === 'COPY') {
      const words = substitute(argument, stage.args).split(/\s+/);
      const fromFlag = words[0]?.startsWith('--from=') ? words.shift()?.slice('--from='.length) : undefined;
      if (words.some((word) => word.startsWith('--') || /[*?[]/.test(word)) || words.length !== 2) {
        throw new Error(`${where}: the replay copies one source to one destination, no other flag, no wildcard`);
      }
      const [source, destination] = words as [string, string];
      let from: string;
      if (fromFlag === undefined) {
        from = path.join(context, source);
      } else {
        const origin = stages.find(({ name }, index) => name === fromFlag || String(index) === fromFlag);
        if (!origin || origin === stage) {
          throw new Error(`${where}: no earlier stage ${fromFlag}`);
        }
        from = inStage(origin, source);
      }
      const to = inStage(stage, destination);
      if (statSync(from).isDirectory()) {
        // Docker copies a folder's contents into the destination, which it creates; what is there stays.
        mkdirSync(to, { recursive: true });
        cpSync(from, to, { recursive: true, verbatimSymlinks: true, force: true });
      } else {
        const target = destination.endsWith('/') ? path.join(to, path.basename(from)) : to;
        mkdirSync(path.dirname(target), { recursive: true });
        cpSync(from, target, { verbatimSymlinks: true });
      }
    } else {
      throw new Error(`${where}: the replay does not know ${keyword}; extend it with the snippet`);
    }
  }
  return { stages, log };
};

const twilio = connectorPackages().find(({ name }) => name === 'twilio') as ConnectorPackage;
const router: ConnectorPackage = {
  name: routerEntry.name,
  directory: path.join(repositoryRoot, 'packages/connector-router-sms'),
  packageName: routerEntry.packageName,
};
const added = [twilio, router];

type Factory = Awaited<ReturnType<typeof loadConnectorFactories>>[number];

const snippet = readFileSync(dockerfile, 'utf8');
let work = '';
let finalStage: Stage;
let replayLog = '';
let factories: Factory[] = [];
const skipped: string[] = [];
let sandbox: Sandbox | undefined;
let tarballArgument = '';

const finalConnectors = () => path.join(finalStage.root, imageConnectors);

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'sms-suite-docker-'));
  // The build context: docs/docker as it is in the repository, plus the packed connectors in tarballs/.
  const context = path.join(work, 'context');
  cpSync(path.dirname(dockerfile), context, { recursive: true });
  const tarballs = path.join(context, 'tarballs');
  const names: string[] = [];
  for (const { directory, packageName } of added) {
    if (!existsSync(path.join(directory, 'lib/index.js'))) {
      throw new Error(`${directory}/lib/index.js is missing: run the build first (npx --yes pnpm@10 build)`);
    }
    const destination = path.join(work, 'packed', installedDirectoryName(packageName));
    mkdirSync(destination, { recursive: true });
    await run('npx', ['--yes', 'pnpm@10', 'pack', '--pack-destination', destination], { cwd: directory });
    const [file] = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
    if (!file) {
      throw new Error(`pnpm pack produced no tarball for ${packageName}`);
    }
    // What docs/docker.md tells: `logto connector add` takes a local file only when its name starts with connector-.
    renameSync(path.join(destination, file), path.join(tarballs, `connector-${file}`));
    names.push(`/logto/tarballs/connector-${file}`);
  }
  tarballArgument = names.join(' ');
  const binDirectory = path.join(work, 'bin');
  writeNpxShim(binDirectory, logtoCliVersion);

  const { stages, log } = await replay(snippet, {
    context,
    work: path.join(work, 'stages'),
    buildArgs: { SMS_CONNECTORS: tarballArgument },
    binDirectory,
  });
  finalStage = stages.at(-1) as Stage;
  replayLog = log;

  const loaded = await loadLikeLogto(finalConnectors());
  factories = loaded.factories;
  skipped.push(...loaded.skipped);
  sandbox = await startSandbox();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  if (work) {
    rmSync(work, { recursive: true, force: true });
  }
});

describe('docs/docker/Dockerfile', () => {
  const instructions = parseDockerfile(snippet);

  it('builds on the official Logto image and copies into the folder Logto loads connectors from', () => {
    const from = instructions.filter(({ keyword }) => keyword === 'FROM').map(({ argument }) => argument);
    expect(from.at(-1)).toBe('${LOGTO_IMAGE}');
    const [, defaultImage] = parseArg(
      instructions.find(({ keyword, argument }) => keyword === 'ARG' && argument.startsWith('LOGTO_IMAGE='))
        ?.argument ?? ''
    );
    expect(defaultImage).toMatch(logtoImage);
    expect(instructions.at(-1)).toMatchObject({
      keyword: 'COPY',
      argument: `--from=connectors /logto/packages/core/connectors/ ${imageConnectors}/`,
    });
  });

  it('is what docs/docker.md shows, instruction for instruction', () => {
    const documented = /```dockerfile\n([\s\S]*?)```/.exec(
      readFileSync(path.join(repositoryRoot, 'docs/docker.md'), 'utf8')
    )?.[1];
    expect(documented).toBeDefined();
    const strip = (list: Instruction[]) => list.map(({ keyword, argument }) => ({ keyword, argument }));
    expect(strip(parseDockerfile(documented ?? ''))).toEqual(strip(instructions));
  });

  it('adds our connectors by name by default, with the @logto/cli version these tests load them with', () => {
    const [, connectors] = parseArg(
      instructions.find(({ keyword, argument }) => keyword === 'ARG' && argument.startsWith('SMS_CONNECTORS='))
        ?.argument ?? ''
    );
    expect(connectors?.split(' ')).toEqual(added.map(({ packageName }) => packageName));
    expect(snippet).toContain(`npx --yes @logto/cli@${logtoCliVersion} connector add`);
  });

  it('lands each connector in /etc/logto/packages/core/connectors/<name with / → ->, with no node_modules', () => {
    expect(readdirSync(finalConnectors()).sort()).toEqual(
      [officialLink, ...added.map(({ packageName }) => installedDirectoryName(packageName))].sort()
    );
    for (const { packageName } of added) {
      const installed = path.join(finalConnectors(), installedDirectoryName(packageName));
      expect(existsSync(path.join(installed, 'lib/index.js'))).toBe(true);
      expect(existsSync(path.join(installed, 'node_modules'))).toBe(false);
      expect((JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { name: string }).name).toBe(
        packageName
      );
    }
    expect(replayLog).not.toContain('Failed to add');
  });

  it("keeps the image's official connectors and its working directory", () => {
    const link = path.join(finalConnectors(), officialLink);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../../connectors/connector-twilio-sms');
    expect(finalStage.workdir).toBe(logtoImageWorkdir);
  });

  it("loads both through Logto's discovery and loader with the version check on, skipping none", () => {
    expect(skipped).toEqual([]);
    expect(factories.map((factory) => path.basename(factory.path)).sort()).toEqual(
      added.map(({ packageName }) => installedDirectoryName(packageName)).sort()
    );
  });

  it("sends the console's test message through the Twilio connector of the image", async () => {
    const active = sandbox as Sandbox;
    const factory = factories.find(
      (loaded) => path.basename(loaded.path) === installedDirectoryName(twilio.packageName)
    );
    expect(factory).toBeDefined();
    const { rawConnector } = await buildRawConnector(factory as Factory);
    const config = JSON.parse(
      readFileSync(path.join(repositoryRoot, 'packages/cli/examples/twilio.json'), 'utf8')
    ) as Record<string, unknown>;
    const before = active.inbox.length;
    await (rawConnector as SmsConnector).sendMessage(
      { to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } },
      { ...config, endpoint: active.endpointFor('twilio') }
    );
    expect(active.inbox.length).toBe(before + 1);
    expect(active.inbox.at(-1)?.provider).toBe('twilio');
  });

  it('stops the build when a connector cannot be added (logto connector add itself exits 0)', async () => {
    const context = path.join(work, 'context');
    const failing = replay(snippet, {
      context,
      work: path.join(work, 'stages-failing'),
      buildArgs: { SMS_CONNECTORS: `${tarballArgument} /logto/tarballs/connector-missing-0.0.0.tgz` },
      binDirectory: path.join(work, 'bin'),
    });
    await expect(failing).rejects.toThrow(/RUN test .* failed/);
  }, 60_000);
});

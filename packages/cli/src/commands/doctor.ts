import path from 'node:path';

import { redisUrlSecrets } from '@sms-suite/sms-kit';

import { parseCommandArgs, requiredOption, stringOption } from '../args';
import { checkConfig } from '../config-check';
import { readJsonObject } from '../config-file';
import { loadConnector } from '../connectors';
import { CliError, exitCodes, UsageError } from '../errors';
import type { Output } from '../output';
import { secretValuesOf } from '../secrets';
import { checkNode, checkRedis } from '../doctor/environment';
import { inspectConnectors, verdictOf, type ConnectorReport } from '../doctor/inspect';
import {
  findLoader,
  importLoader,
  instanceKit,
  isYes,
  logtoEnvironment,
  readLogtoInstance,
} from '../doctor/logto-instance';
import { allFindings, printReport, type ConfigReport, type DoctorReport } from '../doctor/print';
import type { Command } from './command';

const help = `Usage: sms-connector doctor --logto <path-to-logto> [--node <version>] [--json]
                           [--connector <name> --config <file.json>]

Looks at a Logto instance the way Logto does at startup and says, for every package in
<path-to-logto>/packages/core/connectors (this suite's and anyone's), what Logto will do with it and
why: discovered or not (the package name must be connector-… or @scope/connector-…), loaded or
skipped. It runs Logto's own discovery and loader: the instance's @logto/cli (from
packages/core/node_modules/@logto/cli, packages/cli or node_modules/@logto/cli) when it has one,
else the @logto/cli this tool ships, with the version check against the instance's
@logto/connector-kit. Logto skips a failing connector with one log line and the end user then gets
connector.not_found; doctor names the reason in words, with the fix:

  - a package the connector imports that the instance does not have (Cannot find package 'dayjs')
  - a @logto/connector-kit range that excludes the instance's kit, or no kit in "dependencies"
  - no lib/index.js, no default export, a createConnector that reads the config or throws
  - an unreadable or invalid package.json: Logto's discovery throws, and NO connector loads
  - a package name Logto does not discover

and what loads but will not work: a bundled @logto/connector-kit (its errors become HTTP 500), two
connectors with one metadata id (Logto answers HTTP 422 to every connector request), a connector
made for another Node (engines.node; Logto's Node is known only with --node). Two or more SMS
connectors are a warning: a tenant uses one, which the admin picks in the console.

REDIS_URL (from the environment, else the instance's .env, as Logto reads it) is checked with a
connect and PING within 1 s: the suite's connectors share their send limits through it. Its
password is never printed.

Options:
      --logto <path>         the root of the Logto instance (/etc/logto in the Docker image)
      --node <version>       the Node version Logto runs on (node --version where it runs);
                             without it, the connectors' engines.node is compared with doctor's own
  -c, --connector <name>     with --config: an installed connector (folder, package name,
                             metadata id, or twilio, aliyun, …, router)
      --config <file.json>   with --connector: check this config as "validate" does, with the
                             connector as installed in the instance
      --json                 the report as JSON: every connector with its verdict and reasons
      --verbose              stack traces of unexpected errors
  -h, --help                 this help

Exit code 0 when every connector will load and work (warnings included), 1 otherwise, 2 for usage
errors. Restart Logto after any change in packages/core/connectors.

Examples:
  sms-connector doctor --logto ~/logto
  docker cp logto:/etc/logto ./logto-image   # the instance of a Docker container, then:
  sms-connector doctor --logto ./logto-image --node "$(docker exec logto node --version)"
  sms-connector doctor --logto ~/logto -c twilio --config twilio.json --json`;

/** `@sms-suite/connector-twilio-sms`, `connector-twilio-sms`, `twilio-sms` → `twilio`. */
const shortName = (name: string) =>
  name
    .toLowerCase()
    .replace(/^@[^/]+\//, '')
    .replace(/^connector-/, '')
    .replace(/-sms$/, '');

const findInstalled = (connectors: ConnectorReport[], spec: string): ConnectorReport => {
  const exact = connectors.filter(
    (report) => report.folder === spec || report.packageName === spec || report.id === spec
  );
  const matches =
    exact.length > 0
      ? exact
      : connectors.filter((report) => report.packageName && shortName(report.packageName) === shortName(spec));
  if (matches.length === 1) {
    return matches[0]!;
  }
  const names = connectors.map((report) => report.packageName ?? report.folder);
  throw new UsageError(
    matches.length === 0
      ? `no connector "${spec}" in packages/core/connectors`
      : `"${spec}" matches ${matches.length} connectors: ${matches.map(({ folder }) => folder).join(', ')}`,
    names.length > 0 ? `installed: ${names.join(', ')}` : 'the instance has no connector package'
  );
};

const configReportFor = async (
  out: Output,
  connectors: ConnectorReport[],
  spec: string,
  file: string
): Promise<ConfigReport> => {
  const installed = findInstalled(connectors, spec);
  const label = installed.packageName ?? installed.folder;
  const { value: config } = readJsonObject(file);
  // Hidden before anything of the connector is printed: the secrets' names need no metadata.
  out.addSecrets(secretValuesOf(config));
  if (installed.logto !== 'loads') {
    return { file, connector: label, error: 'not checked: Logto does not load this connector (see above)' };
  }
  try {
    const connector = await loadConnector({ dir: installed.path, label });
    out.addSecrets(secretValuesOf(config, connector.metadata));
    const check = checkConfig(connector, config);
    return { file, connector: label, valid: check.valid, problems: check.problems, warnings: check.warnings };
  } catch (error: unknown) {
    return { file, connector: label, error: error instanceof Error ? error.message : String(error) };
  }
};

const run = async (argv: string[], out: Output): Promise<number> => {
  const args = parseCommandArgs('doctor', argv, {
    logto: { type: 'string' },
    node: { type: 'string' },
    json: { type: 'boolean' },
    connector: { type: 'string', short: 'c' },
    config: { type: 'string' },
  });
  if (args.values.help) {
    out.print(help);
    return exitCodes.ok;
  }
  const logtoPath = requiredOption(args, 'doctor', 'logto', '~/logto');
  const connectorSpec = stringOption(args, 'connector');
  const configFile = stringOption(args, 'config');
  if ((connectorSpec === undefined) !== (configFile === undefined)) {
    throw new UsageError(
      connectorSpec === undefined ? '--config needs --connector' : '--connector needs --config',
      'e.g. sms-connector doctor --logto ~/logto --connector twilio --config twilio.json'
    );
  }
  const nodeVersion = stringOption(args, 'node');
  if (nodeVersion !== undefined && !/^v?\d+(\.\d+){0,2}$/.test(nodeVersion.trim())) {
    throw new UsageError(`--node "${nodeVersion}" is not a Node version`, 'e.g. --node 22.14.0 (node --version)');
  }

  const instance = readLogtoInstance(logtoPath);
  const environment = logtoEnvironment(instance);
  const redisUrl = environment('REDIS_URL');
  if (redisUrl) {
    out.addSecrets(redisUrlSecrets(redisUrl.value).slice(1));
  }
  const source = findLoader(instance);
  let loader;
  try {
    loader = await importLoader(source);
  } catch (error: unknown) {
    throw new CliError(
      `cannot import Logto's loader from ${source.dir}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
    );
  }
  const ignoreVersionCheck = isYes(environment('IGNORE_CONNECTOR_VERSION_CHECK')?.value);
  const inspection = await inspectConnectors({
    instance,
    source,
    loader,
    coreKit: instanceKit(instance),
    ignoreVersionCheck,
  });
  const node = checkNode(instance, inspection.connectors, nodeVersion, loader.satisfies);
  const redis = await checkRedis(redisUrl);
  const connectors = inspection.connectors.map((report) => ({ ...report, verdict: verdictOf(report.findings) }));
  const config =
    connectorSpec !== undefined && configFile !== undefined
      ? await configReportFor(out, connectors, connectorSpec, configFile)
      : undefined;

  const partial = { connectors, instance: inspection.instance, node, redis };
  const findings = allFindings(partial);
  const problems =
    findings.filter(({ severity }) => severity === 'problem').length +
    (config ? (config.error ? 1 : (config.problems?.length ?? 0)) : 0);
  const warnings = findings.filter(({ severity }) => severity === 'warning').length;
  const report: DoctorReport = {
    logto: {
      path: instance.root,
      ...(instance.version && { version: instance.version }),
      ...(instance.enginesNode && { requiresNode: instance.enginesNode }),
      connectorsDirectory: instance.connectorsDir,
      loader: {
        package: '@logto/cli',
        version: source.version,
        path: source.dir,
        foundAt: source.foundAt,
        origin: source.origin,
      },
      ...(inspection.kitVersion && { connectorKit: inspection.kitVersion }),
      ignoreConnectorVersionCheck: ignoreVersionCheck,
    },
    exitCode: problems > 0 ? exitCodes.failure : exitCodes.ok,
    problems,
    warnings,
    ...partial,
    ...(config && {
      config: { ...config, file: path.relative(process.cwd(), path.resolve(config.file)) || config.file },
    }),
  };
  if (args.values.json) {
    out.print(JSON.stringify(report, null, 2));
  } else {
    printReport(out, report, instance);
  }
  return report.exitCode;
};

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'say what Logto will do with every connector of an instance, and why',
  help,
  run,
};

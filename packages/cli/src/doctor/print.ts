import path from 'node:path';

import type { Problem } from '../config-issues';
import type { Warning } from '../config-lint';
import { printConfigCheck } from '../config-check';
import type { Output } from '../output';
import type { NodeCheck, RedisCheck } from './environment';
import type { Finding } from './findings';
import type { ConnectorReport, LogtoAction } from './inspect';
import type { LoaderSource, LogtoInstance } from './logto-instance';

export type ConfigReport = {
  file: string;
  connector: string;
  valid?: boolean;
  problems?: Problem[];
  warnings?: Warning[];
  /** Why the config could not be checked. */
  error?: string;
};

export type DoctorReport = {
  logto: {
    path: string;
    version?: string;
    requiresNode?: string;
    connectorsDirectory: string;
    loader: { package: '@logto/cli'; version: string; path: string; foundAt: string; origin: LoaderSource['origin'] };
    connectorKit?: string;
    ignoreConnectorVersionCheck: boolean;
  };
  /** 0 when every connector will load and work, 1 otherwise. */
  exitCode: number;
  problems: number;
  warnings: number;
  connectors: ConnectorReport[];
  instance: Finding[];
  node: NodeCheck;
  redis: RedisCheck;
  config?: ConfigReport;
};

const actionText: Record<LogtoAction, string> = {
  loads: 'loads',
  skips: 'skipped: Logto does not load it',
  ignores: 'ignored: Logto does not discover it',
  'breaks-discovery': 'breaks the discovery: Logto loads no connector',
  blocked: 'not loaded: the discovery fails',
};

const typeText = (type: string | undefined) => (type === 'Sms' ? 'SMS' : type);

/** Every finding of a report, in the order they are printed. */
export const allFindings = (report: Pick<DoctorReport, 'connectors' | 'instance' | 'node' | 'redis'>): Finding[] => [
  ...report.connectors.flatMap(({ findings }) => findings),
  ...report.instance,
  ...report.node.findings,
  ...report.redis.findings,
];

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

const printFinding = (out: Output, finding: Finding, indent: string) => {
  const { style } = out;
  const mark = finding.severity === 'problem' ? style.red('✖') : style.yellow('⚠');
  out.print(`${indent}${mark} ${finding.message}`);
  if (finding.fix) {
    out.print(`${indent}  ${style.bold('fix:')} ${finding.fix}`);
  }
  if (finding.logtoLog) {
    out.print(`${indent}  ${style.dim(`Logto logs: ${finding.logtoLog}`)}`);
  }
};

const label = (text: string) => text.padEnd(12);

const needsLine = (connectors: ConnectorReport[]): string => {
  const counts = new Map<string, number>();
  for (const { enginesNode } of connectors) {
    if (enginesNode) {
      counts.set(enginesNode, (counts.get(enginesNode) ?? 0) + 1);
    }
  }
  return counts.size === 0
    ? 'no connector declares engines.node'
    : `connectors need ${[...counts].map(([range, count]) => `${range} (${count})`).join(', ')}`;
};

const nodeLine = (node: NodeCheck, connectors: ConnectorReport[]): string =>
  [
    node.logtoRunsOn
      ? `Logto runs on ${node.logtoRunsOn} (--node)`
      : `Logto's Node is not known (pass --node) · doctor runs on ${node.doctorRunsOn}`,
    ...(node.logtoRequires ? [`Logto requires ${node.logtoRequires}`] : []),
    needsLine(connectors),
  ].join(' · ');

const redisLine = (redis: RedisCheck, out: Output): string => {
  if (!redis.set) {
    return 'REDIS_URL is not set (environment, .env): send limits are counted in each Logto process (set it to share them between Logto instances)';
  }
  const where = `REDIS_URL (from ${redis.from}) → ${redis.target ?? 'an invalid URL'}`;
  return redis.reachable
    ? `${where} ${out.style.green('✔')} answers PING in ${redis.ms} ms`
    : `${where} ${out.style.red('✖')} ${redis.reason ?? 'unreachable'}`;
};

/** The report in words: every connector with what Logto does and why, then the instance, Node, Redis. */
export const printReport = (out: Output, report: DoctorReport, instance: LogtoInstance) => {
  const { style } = out;
  const { logto, connectors } = report;
  const loaderWhere = path.relative(instance.root, logto.loader.foundAt);
  out.print(`${label('Logto')}${logto.path}${logto.version ? ` · @logto/core ${logto.version}` : ''}`);
  out.print(
    `${label('loader')}${
      logto.loader.origin === 'instance'
        ? `@logto/cli ${logto.loader.version} of this instance (${loaderWhere})`
        : `this instance has no @logto/cli: the @logto/cli ${logto.loader.version} sms-connector ships`
    }${logto.connectorKit ? ` · version check against @logto/connector-kit ${logto.connectorKit}` : ''}${
      logto.ignoreConnectorVersionCheck ? ' · IGNORE_CONNECTOR_VERSION_CHECK is set' : ''
    }`
  );
  out.print(`${label('connectors')}packages/core/connectors · ${plural(connectors.length, 'package')}`);
  for (const connector of connectors) {
    const mark =
      connector.verdict === 'problem'
        ? style.red('✖')
        : connector.verdict === 'warning'
          ? style.yellow('⚠')
          : style.green('✔');
    const name = connector.packageName
      ? `${connector.packageName}${connector.version ? ` ${connector.version}` : ''}`
      : connector.folder;
    const folder =
      connector.packageName && connector.packageName.replace('/', '-') !== connector.folder
        ? ` (folder ${connector.folder})`
        : '';
    const facts = [
      actionText[connector.logto],
      ...(connector.type ? [typeText(connector.type)] : []),
      ...(connector.id ? [`id ${connector.id}`] : []),
    ];
    out.print(`  ${mark} ${style.bold(name)}${folder} · ${facts.join(' · ')}`);
    connector.findings.forEach((finding) => printFinding(out, finding, '      '));
  }
  if (report.instance.length > 0) {
    out.print('instance');
    report.instance.forEach((finding) => printFinding(out, finding, '  '));
  }
  out.print(`${label('Node')}${nodeLine(report.node, connectors)}`);
  report.node.findings.forEach((finding) => printFinding(out, finding, '  '));
  out.print(`${label('Redis')}${redisLine(report.redis, out)}`);
  report.redis.findings.forEach((finding) => printFinding(out, finding, '  '));

  if (report.config) {
    const { config } = report;
    if (config.error) {
      out.print(`${label('config')}${style.red('✖')} ${config.file} for ${config.connector}: ${config.error}`);
    } else {
      out.print(`${label('config')}${config.file} for ${config.connector}, as "sms-connector validate" checks it:`);
      printConfigCheck(out, {
        valid: config.valid ?? false,
        problems: config.problems ?? [],
        warnings: config.warnings ?? [],
      });
      const counts = `${plural(config.problems?.length ?? 0, 'problem')}, ${plural(config.warnings?.length ?? 0, 'warning')}`;
      out.print(
        config.valid
          ? `  ${style.green('✔ valid')}${config.warnings?.length ? `, ${plural(config.warnings.length, 'warning')}` : ''}`
          : `  ${style.red('✖ invalid')}: ${counts}. A send with this config fails with HTTP 400 connector.invalid_config.`
      );
    }
  }

  out.print();
  const loads = connectors.filter(({ logto: action }) => action === 'loads').length;
  const loadText =
    connectors.length === 0
      ? 'there is no connector package in packages/core/connectors'
      : loads === connectors.length
        ? `Logto will load ${connectors.length === 1 ? 'the' : `all ${connectors.length}`} connector${connectors.length === 1 ? '' : 's'}`
        : `Logto will load ${loads} of ${connectors.length} connectors`;
  if (report.problems === 0 && report.warnings === 0) {
    out.print(`${style.green('✔ all good')}: ${loadText}`);
  } else if (report.problems === 0) {
    out.print(`${style.green('✔ no problems')}, ${plural(report.warnings, 'warning')}: ${loadText}`);
  } else {
    out.print(
      `${style.red('✖')} ${plural(report.problems, 'problem')}, ${plural(report.warnings, 'warning')}: ${loadText}${
        loads > 0 && connectors.some(({ verdict, logto: action }) => action === 'loads' && verdict === 'problem')
          ? ', not all of them will work'
          : ''
      }`
    );
  }
  out.print('Restart Logto after any change in packages/core/connectors: it loads connectors once, at startup.');
};

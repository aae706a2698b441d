import type { Finding } from './findings';
import type { ConnectorReport } from './inspect';
import type { EnvironmentValue, LogtoInstance } from './logto-instance';
import { pingRedis, redisPingDeadlineMs, redisTarget } from './redis-ping';

export type NodeCheck = {
  /** The Node Logto runs on, when known (only --node says it: nothing in Logto's files does). */
  logtoRunsOn?: string;
  doctorRunsOn: string;
  /** What Logto declares (engines.node of packages/core). */
  logtoRequires?: string;
  findings: Finding[];
};

const plainVersion = (version: string) => version.trim().replace(/^v/, '');

/**
 * The connectors' engines.node against the Node Logto runs on (`--node`): a connector made for
 * another Node loads, but may fail when it runs. Without --node only doctor's own Node is known, and
 * a mismatch with it is a warning.
 */
export const checkNode = (
  instance: LogtoInstance,
  connectors: ConnectorReport[],
  given: string | undefined,
  satisfies: (version: string, range: string) => boolean
): NodeCheck => {
  const holds = (version: string, range: string) => {
    try {
      return satisfies(version, range);
    } catch {
      return true;
    }
  };
  const doctorRunsOn = process.version;
  const findings: Finding[] = [];
  const relevant = connectors.filter(
    (report): report is ConnectorReport & { enginesNode: string } =>
      report.enginesNode !== undefined && report.logto !== 'ignores' && report.logto !== 'breaks-discovery'
  );
  if (given !== undefined) {
    const version = plainVersion(given);
    for (const report of relevant.filter(({ enginesNode }) => !holds(version, enginesNode))) {
      report.findings.push({
        severity: 'problem',
        code: 'node-engine',
        message: `it is made for Node ${report.enginesNode} (its engines.node), but Logto runs on Node ${version}: it may fail when it runs`,
        fix: `run Logto on a Node in ${report.enginesNode}, or install a version of ${report.packageName ?? report.folder} made for Node ${version}`,
      });
    }
    if (instance.enginesNode && !holds(version, instance.enginesNode)) {
      findings.push({
        severity: 'warning',
        code: 'logto-node-engine',
        message:
          `Logto ${instance.version ?? ''} itself requires Node ${instance.enginesNode} (engines.node of packages/core), not ${version}`.replace(
            '  ',
            ' '
          ),
        fix: `run Logto on a Node in ${instance.enginesNode}`,
      });
    }
    return {
      logtoRunsOn: version,
      doctorRunsOn,
      ...(instance.enginesNode && { logtoRequires: instance.enginesNode }),
      findings,
    };
  }
  const refusing = relevant.filter(({ enginesNode }) => !holds(doctorRunsOn, enginesNode));
  if (refusing.length > 0) {
    findings.push({
      severity: 'warning',
      code: 'node-engine-unknown',
      message: `Logto's own Node version cannot be read from its files, and the Node doctor runs on (${doctorRunsOn}) is outside what ${refusing.map((report) => `${report.packageName ?? report.folder} (${report.enginesNode})`).join(', ')} ${refusing.length === 1 ? 'needs' : 'need'}: if Logto runs on this Node, ${refusing.length === 1 ? 'it' : 'they'} may fail when ${refusing.length === 1 ? 'it runs' : 'they run'}`,
      fix: 'pass --node with the output of "node --version" where Logto runs (docker exec <container> node --version)',
    });
  }
  return {
    doctorRunsOn,
    ...(instance.enginesNode && { logtoRequires: instance.enginesNode }),
    findings,
  };
};

export type RedisCheck = {
  set: boolean;
  /** Where REDIS_URL came from: "the environment" or the instance's .env. */
  from?: string;
  /** host:port, never the user or password. */
  target?: string;
  reachable?: boolean;
  ms?: number;
  reason?: string;
  findings: Finding[];
};

/**
 * REDIS_URL as Logto reads it: the connectors of this suite share their send limits through it (and
 * Logto caches through it). Connects and sends PING within redisPingDeadlineMs.
 */
export const checkRedis = async (redisUrl: EnvironmentValue | undefined): Promise<RedisCheck> => {
  if (!redisUrl) {
    return { set: false, findings: [] };
  }
  let target: string | undefined;
  try {
    target = redisTarget(redisUrl.value);
  } catch {
    return {
      set: true,
      from: redisUrl.from,
      reachable: false,
      reason: 'it is not a URL',
      findings: [
        {
          severity: 'problem',
          code: 'redis-url-invalid',
          message: `REDIS_URL (from ${redisUrl.from}) is not a URL: Logto cannot use it, and send limits shared through Redis do not work`,
          fix: 'set REDIS_URL to redis://[[user]:password@]host[:port] (rediss:// for TLS); restart Logto',
        },
      ],
    };
  }
  const ping = await pingRedis(redisUrl.value);
  if (ping.ok) {
    return { set: true, from: redisUrl.from, target, reachable: true, ms: ping.ms, findings: [] };
  }
  return {
    set: true,
    from: redisUrl.from,
    target,
    reachable: false,
    reason: ping.reason,
    findings: [
      {
        severity: 'problem',
        code: 'redis-unreachable',
        message: `REDIS_URL (from ${redisUrl.from}) points at ${target}, which does not answer PING within ${redisPingDeadlineMs} ms: ${ping.reason}. Logto's cache cannot use it, and send limits (sendLimits) are not shared: each send waits for Redis, then goes on without limits (or is refused, with sendLimitsOnStoreError "refuse")`,
        fix: 'start Redis or correct REDIS_URL (host, port, password), checking from where Logto runs; restart Logto',
      },
    ],
  };
};

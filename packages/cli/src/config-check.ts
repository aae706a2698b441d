import { describeIssue, type Problem } from './config-issues';
import { knownConfigKeys, lintConfig, type Warning } from './config-lint';
import type { LoadedConnector } from './connectors';
import { policyWarnings } from './destination-policy';
import type { Output } from './output';

/** What `validate` finds in a config: the problems that make the connector refuse it, and warnings. */
export type ConfigCheck = {
  valid: boolean;
  problems: Problem[];
  warnings: Warning[];
  /** The config as the connector's guard returned it (defaults applied, values coerced), when valid. */
  parsed?: unknown;
};

/** The keys of the connector's console form (what guardKeys falls back on). */
export const formKeysOf = (connector: LoadedConnector): string[] =>
  (connector.metadata.formItems ?? []).map(({ key }) => key);

/**
 * The config parsed with the connector's own configGuard, every issue as a problem line (one per
 * key path and message), and the lint warnings. `validate` prints it; `send` refuses to send when
 * it is not valid, so the two never disagree about a config.
 */
export const checkConfig = (connector: LoadedConnector, config: Record<string, unknown>): ConfigCheck => {
  const result = connector.configGuard.safeParse(config);
  const problems = result.success
    ? []
    : result.error.issues.flatMap((issue) => describeIssue(issue, config, connector.metadata.formItems ?? []));
  const unique = problems.filter(
    (problem, index) =>
      problems.findIndex((other) => other.path === problem.path && other.message === problem.message) === index
  );
  const formKeys = formKeysOf(connector);
  const warnings = [
    ...lintConfig(config, connector.configGuard, { valid: result.success, formKeys }),
    // A valid config without sendLimits: said once the config works, not among its problems.
    ...(result.success ? policyWarnings(config, knownConfigKeys(connector.configGuard, formKeys)) : []),
  ];
  return result.success
    ? { valid: true, problems: unique, warnings, parsed: result.data as unknown }
    : { valid: false, problems: unique, warnings };
};

export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `2 problems, 4 warnings`. */
export const countFindings = ({ problems, warnings }: ConfigCheck): string =>
  `${plural(problems.length, 'problem')}, ${plural(warnings.length, 'warning')}`;

/** What an invalid config does to every send. */
export const invalidConfigConsequence = 'A send with this config fails with HTTP 400 connector.invalid_config.';

export const printProblems = (out: Output, problems: readonly Problem[]): void => {
  for (const { path, message, hint } of problems) {
    out.print(`  ${out.style.red('✖')} ${out.style.bold(path)}: ${message} → ${hint}`);
  }
};

export const printWarnings = (out: Output, warnings: readonly Warning[]): void => {
  for (const { path, message } of warnings) {
    out.print(`  ${out.style.yellow('⚠')} ${out.style.bold(path)}: ${message}`);
  }
};

/** Every problem, then every warning, one line each with its key path. */
export const printConfigCheck = (out: Output, check: ConfigCheck): void => {
  printProblems(out, check.problems);
  printWarnings(out, check.warnings);
};

import { describeIssue, type Problem } from './config-issues';
import { knownConfigKeys, lintConfig, savedConfigWarnings, unknownKeyWarnings, type Warning } from './config-lint';
import { isRouterConnector, type LoadedConnector } from './connectors';
import { policyWarnings } from './destination-policy';
import type { Output } from './output';
import {
  describeRouterIssue,
  nestedLintWarnings,
  routerTopLevelLint,
  routerUnknownKeyWarnings,
  routerWarnings,
} from './router-config';

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
 *
 * The router's config nests provider configs under `providers.<name>.config`: their issues are
 * described with that provider's form and keep their full key path, they get the single connectors'
 * lint with that prefix, and a valid config also gets the router's own warnings (no "*" route, a
 * provider in no route). The destination policy stays at its top level, as for a single connector.
 */
export const checkConfig = (connector: LoadedConnector, config: Record<string, unknown>): ConfigCheck => {
  const router = isRouterConnector(connector);
  const formItems = connector.metadata.formItems ?? [];
  const describe = router ? describeRouterIssue : describeIssue;
  const result = connector.configGuard.safeParse(config);
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => describe(issue, config, formItems));
  const unique = problems.filter(
    (problem, index) =>
      problems.findIndex((other) => other.path === problem.path && other.message === problem.message) === index
  );
  const formKeys = formKeysOf(connector);
  const guard = connector.configGuard;
  const lint = router
    ? [
        ...routerTopLevelLint(config, guard, formKeys),
        ...nestedLintWarnings(config),
        ...(result.success ? savedConfigWarnings(config, guard, (issue, saved) => describe(issue, saved)) : []),
        ...(result.success ? routerWarnings(result.data) : []),
      ]
    : lintConfig(config, guard, { valid: result.success, formKeys });
  const warnings = [
    ...lint,
    // A valid config without sendLimits: said once the config works, not among its problems.
    ...(result.success ? policyWarnings(config, knownConfigKeys(guard, formKeys)) : []),
  ];
  return result.success
    ? { valid: true, problems: unique, warnings, parsed: result.data as unknown }
    : { valid: false, problems: unique, warnings };
};

/** Keys of a valid config the connector ignores (nested ones too, for the router): what `send` warns about. */
export const unknownKeyFindings = (connector: LoadedConnector, config: Record<string, unknown>): Warning[] =>
  isRouterConnector(connector)
    ? routerUnknownKeyWarnings(config, connector.configGuard, formKeysOf(connector))
    : unknownKeyWarnings(config, connector.configGuard, formKeysOf(connector));

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

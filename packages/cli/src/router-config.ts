import type { ConnectorConfigFormItem } from '@logto/connector-kit';
import type { CatalogEntry } from '@sms-suite/catalog';
import {
  routerConfigWarnings,
  routerOnlyKeys as routersOwnOnlyKeys,
  type RouterConfig,
} from '@sms-suite/connector-router-sms';
import { providerConfigGuard, type AnySmsProvider } from '@sms-suite/sms-kit';
import type { ZodIssue, ZodTypeAny } from 'zod';

import { describeIssue, readmeHint, type Problem } from './config-issues';
import { lintValues, unknownKeyWarnings, type Warning } from './config-lint';
import { nestedProviderConfigs } from './secrets';
import { closest } from './suggest';

/**
 * The router's config as `validate` and `send` read it: provider configs nested under
 * `providers.<name>.config`, each checked and linted with the form of the provider its `use` names,
 * every finding keeping its full key path (`providers.twilio.config.authToken`).
 */

/** Keys a provider config may not set inside the router: it reads the number once and applies the policy once. */
export const routerOnlyKeys: readonly string[] = routersOwnOnlyKeys;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** `providers.twilio.config.` + `templates.0.content (SignIn, fr)`; `(config)` is the nested config itself. */
const prefixed = (prefix: string, path: string) => (path === '(config)' ? prefix : `${prefix}.${path}`);

/** What a provider entry and a route may hold: the router refuses anything else. */
const entryKeys: Record<string, readonly string[]> = {
  providers: ['use', 'config'],
  routes: ['countries', 'providers'],
};

/** One nested provider config's issue, read with that provider's form, its path prefixed. */
const describeNestedIssue = (
  issue: ZodIssue,
  prefix: string,
  nested: Record<string, unknown>,
  row: CatalogEntry | undefined
): Problem[] => {
  const rest = issue.path.slice(3);
  const [key] = rest;
  if (rest.length === 1 && typeof key === 'string' && routerOnlyKeys.includes(key)) {
    return [
      {
        path: prefixed(prefix, key),
        message: issue.message,
        hint: `move "${key}" to the top level of the router config, next to "providers" and "routes"`,
      },
    ];
  }
  const formItems: readonly ConnectorConfigFormItem[] = row?.metadata.formItems ?? [];
  return describeIssue({ ...issue, path: rest }, nested, formItems).map((problem) => ({
    path: prefixed(prefix, problem.path),
    message: problem.message,
    hint: row
      ? problem.hint.replace(readmeHint, `see the configuration table of the ${row.title} connector's README`)
      : problem.hint,
  }));
};

/**
 * describeIssue for a router config: an issue inside `providers.<name>.config` is described as that
 * provider's connector describes it (its form's labels and placeholders, its keys for a misspelt
 * one, its templates by usage type), with the full path; a key a provider entry or a route may not
 * have is named with the keys it may.
 */
export const describeRouterIssue = (
  issue: ZodIssue,
  config: unknown,
  formItems: readonly ConnectorConfigFormItem[] = []
): Problem[] => {
  const [first, name, third] = issue.path;
  if (isRecord(config) && first === 'providers' && typeof name === 'string' && third === 'config') {
    const nested = nestedProviderConfigs(config).find((entry) => entry.name === name);
    if (nested) {
      return describeNestedIssue(issue, `providers.${name}.config`, nested.config, nested.row);
    }
  }
  const keys = typeof first === 'string' && issue.path.length === 2 ? entryKeys[first] : undefined;
  if (keys && issue.code === 'unrecognized_keys') {
    const path = issue.path.map(String).join('.');
    return issue.keys.map((key) => {
      const match = closest(key, [...keys]);
      return {
        path: `${path}.${key}`,
        message: `is not a key of ${first === 'providers' ? 'a provider' : 'a route'}, which has only ${keys.map((known) => `"${known}"`).join(' and ')}`,
        hint: match ? `rename it to "${match}"` : `remove "${key}"`,
      };
    });
  }
  // Deeper in "routes" or "providers", the console form's description of that key says more than the README pointer.
  const item = issue.path.length > 1 ? formItems.find(({ key }) => key === first) : undefined;
  return describeIssue(issue, config, formItems).map((problem) =>
    item?.description && problem.hint === readmeHint ? { ...problem, hint: item.description } : problem
  );
};

// One guard per provider, built on first use (the router's own guards, from the same provider values).
const guards = new Map<string, ZodTypeAny>();
const guardOf = (row: CatalogEntry): ZodTypeAny => {
  let guard = guards.get(row.name);
  if (!guard) {
    guard = providerConfigGuard(row.provider as AnySmsProvider) as unknown as ZodTypeAny;
    guards.set(row.name, guard);
  }
  return guard;
};

const formKeysOfRow = (row: CatalogEntry) => (row.metadata.formItems ?? []).map(({ key }) => key);

const withPrefix = (prefix: string, warnings: Warning[]): Warning[] =>
  warnings.map(({ path, message }) => ({ path: prefixed(prefix, path), message }));

/**
 * The single connectors' lint of every provider config the router nests (unknown keys, templates,
 * placeholders, a local endpoint), with paths prefixed `providers.<name>.config.`. An entry whose
 * `use` names no provider is left to the config's problems.
 */
export const nestedLintWarnings = (config: Record<string, unknown>): Warning[] =>
  nestedProviderConfigs(config).flatMap(({ name, row, config: nested }) =>
    row ? withPrefix(`providers.${name}.config`, lintValues(nested, guardOf(row), formKeysOfRow(row))) : []
  );

/** The router's top-level keys and values, its nested provider configs left to nestedLintWarnings. */
export const routerTopLevelLint = (
  config: Record<string, unknown>,
  guard: ZodTypeAny,
  formKeys: readonly string[]
): Warning[] => {
  const { providers: _providers, ...topLevel } = config;
  return lintValues(topLevel, guard, formKeys);
};

/** Keys nobody reads, at the top level and in every nested provider config (what `send` warns about). */
export const routerUnknownKeyWarnings = (
  config: Record<string, unknown>,
  guard: ZodTypeAny,
  formKeys: readonly string[]
): Warning[] => [
  ...unknownKeyWarnings(config, guard, formKeys),
  ...nestedProviderConfigs(config).flatMap(({ name, row, config: nested }) =>
    row ? withPrefix(`providers.${name}.config`, unknownKeyWarnings(nested, guardOf(row), formKeysOfRow(row))) : []
  ),
];

/**
 * The router's own warnings on a valid config (`routerConfigWarnings`: no "*" route, a provider in
 * no route, templates without the code for a route's side), each under the key path it opens with.
 */
export const routerWarnings = (parsed: unknown): Warning[] => {
  if (!isRecord(parsed) || !isRecord(parsed.providers) || !Array.isArray(parsed.routes)) {
    return [];
  }
  return routerConfigWarnings(parsed as unknown as RouterConfig).map(({ path, message }) => ({ path, message }));
};

import { TemplateType } from '@logto/connector-kit';
import { canonicalUsageType, isLoopbackHost, templateTypes } from '@sms-suite/sms-kit';
import type { ZodIssue, ZodTypeAny } from 'zod';

import { describeIssue, displayPath, type Problem } from './config-issues';
import { closest } from './suggest';

export type Warning = { path: string; message: string };

/** The template types Logto sends to SMS connectors (OrganizationInvitation is email only). */
export const smsTemplateTypes: readonly string[] = templateTypes.filter(
  (type) => type !== TemplateType.OrganizationInvitation
);
const knownUsageTypes = [...(Object.values(TemplateType) as string[]), 'Test'];

type Template = { index: number; usageType: string; locale?: string };

/** `Test` is the legacy name of Generic; the kit's selectTemplate treats them alike. */
const canonicalType = canonicalUsageType;

const templatesOf = (config: Record<string, unknown>): Template[] | undefined => {
  if (!Array.isArray(config.templates)) {
    return undefined;
  }
  return config.templates.flatMap((template: unknown, index) => {
    const { usageType, locale } = (template ?? {}) as { usageType?: unknown; locale?: unknown };
    return typeof usageType === 'string'
      ? [
          {
            index,
            usageType: usageType.trim(),
            ...(typeof locale === 'string' && locale.trim() && { locale: locale.trim() }),
          },
        ]
      : [];
  });
};

const list = (items: readonly string[]) => items.map((item) => `"${item}"`).join(', ');

/** Template problems that validate but bite at send time. */
const templateWarnings = (config: Record<string, unknown>): Warning[] => {
  const templates = templatesOf(config);
  if (!templates || templates.length === 0) {
    return [];
  }
  const warnings: Warning[] = [];
  const at = (template: Template, key?: string) =>
    displayPath(['templates', template.index, ...(key ? [key] : [])], config);

  for (const template of templates) {
    if (!knownUsageTypes.includes(template.usageType)) {
      const match = closest(template.usageType, knownUsageTypes);
      warnings.push({
        path: at(template, 'usageType'),
        message: `"${template.usageType}" is not a usage type Logto sends, so this template is never used${match ? `: did you mean "${match}"?` : ` (types: ${smsTemplateTypes.join(', ')})`}`,
      });
    }
  }

  const localeless = (type: string) =>
    templates.some((template) => canonicalType(template.usageType) === type && !template.locale);
  const localized = (type: string) =>
    templates.filter((template) => canonicalType(template.usageType) === type && template.locale);
  const hasGenericFallback = localeless(TemplateType.Generic);

  if (!hasGenericFallback) {
    warnings.push({
      path: 'templates',
      message:
        'no "Generic" template without a locale: the console\'s Send button (type Generic, no locale) fails with template_not_found',
    });
    // Types with localized templates only are reported below, with their locales.
    const uncovered = smsTemplateTypes.filter(
      (type) => type !== TemplateType.Generic && !localeless(type) && localized(type).length === 0
    );
    if (uncovered.length > 0) {
      warnings.push({
        path: 'templates',
        message: `no template for ${list(uncovered)} and no "Generic" fallback without a locale: those sends fail with template_not_found (HTTP 400)`,
      });
    }
  }

  for (const type of smsTemplateTypes) {
    const variants = localized(type);
    if (variants.length === 0 || localeless(type)) {
      continue;
    }
    const locales = [...new Set(variants.map((template) => template.locale!))];
    warnings.push({
      path: 'templates',
      message:
        type === TemplateType.Generic
          ? `"Generic" has templates for ${list(locales)} only: every other language and every send without a locale (the console test) fails with template_not_found`
          : hasGenericFallback
            ? `"${type}" has templates for ${list(locales)} only: other languages, and sends without a locale, get the "Generic" text instead`
            : `"${type}" has templates for ${list(locales)} only and there is no "Generic" fallback: other languages fail with template_not_found`,
    });
  }
  return warnings;
};

const placeholderPattern = /^<[^<>]*>$|<your[-_ ]/i;

const placeholderWarnings = (value: unknown, path: Array<string | number>, config: unknown): Warning[] => {
  if (typeof value === 'string') {
    return placeholderPattern.test(value.trim())
      ? [
          {
            path: displayPath(path, config),
            message: 'still holds a placeholder from the documentation: put your own value here',
          },
        ]
      : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((entry, index) => placeholderWarnings(entry, [...path, index], config));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, entry]) => placeholderWarnings(entry, [...path, key], config));
  }
  return [];
};

/**
 * The keys of the object schema inside a guard (through refinements, pipes and optionals). Reads
 * `_def.typeName` rather than `instanceof`, so a connector with its own copy of zod works too.
 */
export const guardKeys = (guard: ZodTypeAny): string[] | undefined => {
  let def = guard._def as {
    typeName?: string;
    shape?: () => Record<string, unknown>;
    schema?: ZodTypeAny;
    in?: ZodTypeAny;
    innerType?: ZodTypeAny;
  };
  for (let depth = 0; depth < 10; depth += 1) {
    const next =
      def.typeName === 'ZodEffects'
        ? def.schema
        : def.typeName === 'ZodPipeline'
          ? def.in
          : def.typeName === 'ZodOptional'
            ? def.innerType
            : undefined;
    if (def.typeName === 'ZodObject' && typeof def.shape === 'function') {
      return Object.keys(def.shape());
    }
    if (!next) {
      return undefined;
    }
    def = next._def as typeof def;
  }
  return undefined;
};

/** The config keys a connector knows: its guard's, else its form items', else undefined (cannot tell). */
export const knownConfigKeys = (guard: ZodTypeAny, formKeys: readonly string[] = []): string[] | undefined =>
  guardKeys(guard) ?? (formKeys.length > 0 ? [...formKeys] : undefined);

/** A key the guard does not know is silently dropped: usually a typo of one it needs. */
export const unknownKeyWarnings = (
  config: Record<string, unknown>,
  guard: ZodTypeAny,
  formKeys: readonly string[] = []
): Warning[] => {
  const known = knownConfigKeys(guard, formKeys);
  if (!known) {
    return [];
  }
  return Object.keys(config)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const match = closest(key, known);
      return {
        path: key,
        message: `is not a config key of this connector, so it is ignored${match ? `: did you mean "${match}"?` : ` (keys: ${known.join(', ')})`}`,
      };
    });
};

/** One line for every template still holding a placeholder, instead of one per template. */
const groupTemplatePlaceholders = (warnings: Warning[]): Warning[] => {
  const inTemplates = warnings.filter(({ path }) => path.startsWith('templates.'));
  if (inTemplates.length < 2) {
    return warnings;
  }
  return [
    ...warnings.filter(({ path }) => !path.startsWith('templates.')),
    {
      path: 'templates',
      message: `${inTemplates.map(({ path }) => path.replace(/ \(.*\)$/, '')).join(', ')} still hold placeholders from the documentation: put your own values there`,
    },
  ];
};

const isEmpty = (value: unknown) =>
  value === '' ||
  value === null ||
  value === undefined ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);

/** clean-deep with its defaults: empty strings, null, undefined, empty arrays and objects go, recursively. */
export const cleanDeep = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    return value.map((entry) => cleanDeep(entry)).filter((entry) => !isEmpty(entry));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([key, entry]) => [key, cleanDeep(entry)] as const)
        .filter(([, entry]) => !isEmpty(entry))
    );
  }
  return value;
};

/**
 * The config as Logto stores it after the console's edit page saved it: top-level false, 0 and ''
 * removed (removeFalsyValues), then cleanDeep on the server.
 */
export const asSavedByConsole = (config: Record<string, unknown>): unknown =>
  cleanDeep(
    Object.fromEntries(Object.entries(config).filter(([, value]) => value !== false && value !== 0 && value !== ''))
  );

/** How a zod issue reads as problem lines: describeIssue, or a wrapper that knows nested configs (the router's). */
export type IssueDescriber = (issue: ZodIssue, config: unknown) => Problem[];

export const savedConfigWarnings = (
  config: Record<string, unknown>,
  guard: ZodTypeAny,
  describe: IssueDescriber = (issue, saved) => describeIssue(issue, saved)
): Warning[] => {
  const saved = asSavedByConsole(config);
  const result = guard.safeParse(saved);
  if (result.success) {
    return [];
  }
  return result.error.issues.flatMap((issue) =>
    describe(issue, saved).map(({ path, message }) => ({
      path,
      message: `valid as written, but not once saved: Logto drops empty values (the console also false and 0) when it saves a config, and then: ${message}`,
    }))
  );
};

const endpointWarnings = (config: Record<string, unknown>): Warning[] => {
  if (typeof config.endpoint !== 'string') {
    return [];
  }
  try {
    const { protocol, hostname } = new URL(config.endpoint);
    return protocol === 'http:' && isLoopbackHost(hostname)
      ? [
          {
            path: 'endpoint',
            message:
              'points at this machine (a sandbox or a local gateway): remove it, or use the real endpoint, before production',
          },
        ]
      : [];
  } catch {
    return [];
  }
};

/**
 * Things that validate but will bite: usage types nobody sends, missing fallbacks, localized-only
 * templates, duplicates, documentation placeholders, a config that stops validating once saved.
 */
export const lintConfig = (
  config: Record<string, unknown>,
  guard: ZodTypeAny,
  { valid, formKeys = [] }: { valid: boolean; formKeys?: readonly string[] }
): Warning[] => [...lintValues(config, guard, formKeys), ...(valid ? savedConfigWarnings(config, guard) : [])];

/**
 * The warnings of a config's own keys and values, wherever the config sits: at the top level, or
 * nested in a router config (whose provider configs Logto saves as they are, under its own keys).
 */
export const lintValues = (
  config: Record<string, unknown>,
  guard: ZodTypeAny,
  formKeys: readonly string[] = []
): Warning[] => [
  ...unknownKeyWarnings(config, guard, formKeys),
  ...templateWarnings(config),
  ...groupTemplatePlaceholders(placeholderWarnings(config, [], config)),
  ...endpointWarnings(config),
];

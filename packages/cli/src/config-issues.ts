import type { ConnectorConfigFormItem } from '@logto/connector-kit';
import type { ZodIssue } from 'zod';

import { policyDoc, policyKeys } from './destination-policy';
import { closest } from './suggest';

export type Problem = { path: string; message: string; hint: string };

/** zod's own wording; a connector's custom message is kept as written. */
const zodDefaults = [
  /^Required$/,
  /^Expected .+, received .+$/,
  /^(String|Array|Number) must (contain|be)/,
  /^Invalid( input| url| email| enum value| literal value| date)?/,
  /^Unrecognized key/,
];
const isDefaultMessage = (message: string) => zodDefaults.some((pattern) => pattern.test(message));

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

const valueAt = (config: unknown, path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>(
    (value, key) => (value && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined),
    config
  );

/** `templates.2.content` plus, inside a template, which one: `templates.2.content (SignIn, fr)`. */
export const displayPath = (path: ReadonlyArray<string | number>, config: unknown): string => {
  if (path.length === 0) {
    return '(config)';
  }
  const text = path.map(String).join('.');
  if (path[0] === 'templates' && typeof path[1] === 'number') {
    const template = valueAt(config, path.slice(0, 2)) as { usageType?: unknown; locale?: unknown } | undefined;
    const label = [template?.usageType, template?.locale]
      .filter((part) => typeof part === 'string' && part !== '')
      .join(', ');
    return label ? `${text} (${label})` : text;
  }
  return text;
};

/** The hint of a problem nothing more specific explains. */
export const readmeHint = "see the configuration table of the connector's README";

const typeHints: Record<string, string> = {
  string: 'write it as text in double quotes',
  number: 'write a number without quotes',
  boolean: 'write true or false without quotes (or leave the key out for the default)',
  array: 'make it a JSON array: [ … ]',
  object: 'make it a JSON object: { … }',
};

/** One problem line per zod issue: the key path, what is wrong, and how to fix it. */
export const describeIssue = (
  issue: ZodIssue,
  config: unknown,
  formItems: readonly ConnectorConfigFormItem[] = []
): Problem[] => {
  const path = displayPath(issue.path, config);
  const last = String(issue.path.at(-1) ?? '');
  const item = issue.path.length === 1 ? formItems.find(({ key }) => key === issue.path[0]) : undefined;
  const described = item?.description ?? (item?.label ? `"${item.label}" in the console form` : undefined);
  const readme = (policyKeys as readonly unknown[]).includes(issue.path[0]) ? `see ${policyDoc}` : readmeHint;
  const custom = isDefaultMessage(issue.message) ? undefined : issue.message;

  switch (issue.code) {
    case 'invalid_type': {
      if (issue.received === 'undefined') {
        const example = item?.placeholder ? `, e.g. ${JSON.stringify(item.placeholder)}` : '';
        return [
          { path, message: custom ?? 'is required', hint: `add "${last}"${item ? ` (${item.label})` : ''}${example}` },
        ];
      }
      return [
        {
          path,
          message: custom ?? `must be ${article(issue.expected)}, not ${issue.received}`,
          hint: typeHints[issue.expected] ?? described ?? readme,
        },
      ];
    }
    case 'unrecognized_keys': {
      const known = formItems.map(({ key }) => key);
      return issue.keys.map((key) => {
        const match = closest(key, known);
        return {
          path: displayPath([...issue.path, key], config),
          message: 'is not a key this connector knows',
          hint: match ? `rename it to "${match}"` : `remove "${key}"`,
        };
      });
    }
    case 'invalid_enum_value': {
      const options = issue.options.map(String);
      const received = valueAt(config, issue.path);
      const match = typeof received === 'string' ? closest(received, options) : undefined;
      return [
        {
          path,
          message: custom ?? `is not one of the accepted values`,
          hint: match ? `use "${match}"` : `use one of ${options.map((option) => `"${option}"`).join(', ')}`,
        },
      ];
    }
    case 'invalid_union': {
      if (custom) {
        return [{ path, message: custom, hint: described ?? readme }];
      }
      // The branch that came closest: the fewest issues.
      const best = [...issue.unionErrors].sort((left, right) => left.issues.length - right.issues.length)[0];
      return best
        ? best.issues.flatMap((inner) => describeIssue(inner, config, formItems))
        : [{ path, message: 'has an unexpected shape', hint: readme }];
    }
    case 'too_small': {
      if (issue.type === 'string' && Number(issue.minimum) === 1) {
        return [
          {
            path,
            message: custom ?? 'must not be empty',
            hint: `fill in "${last}"${described ? ` (${described})` : ''}`,
          },
        ];
      }
      return [{ path, message: custom ?? issue.message, hint: described ?? readme }];
    }
    case 'invalid_string': {
      return [{ path, message: issue.message, hint: described ?? readme }];
    }
    default: {
      return [{ path, message: issue.message, hint: described ?? readme }];
    }
  }
};

import type { ConnectorMetadata } from '@logto/connector-kit';

import { closest } from './suggest';

/**
 * Config keys that hold secrets. Connectors keep their `secretKeys` list in their sources, not in the
 * bundle, so the CLI errs on the side of hiding: any key the console masks (`isConfidential`, or a
 * name ending in Key/Secret) and any key whose name mentions a key, secret, token, password or
 * authorization. `headers` values count too (the HTTP connector's extra headers carry credentials).
 */
const secretName = /key|secret|token|password|passwd|authorization|credential/i;

export const secretKeysOf = (config: Record<string, unknown>, metadata?: ConnectorMetadata): string[] => {
  const confidential = new Set(
    (metadata?.formItems ?? [])
      .filter((item) => ('isConfidential' in item && item.isConfidential) || /(Key|Secret)$/.test(item.key))
      .map((item) => item.key)
  );
  const isSecret = (key: string) => confidential.has(key) || secretName.test(key) || key === 'headers';
  // A misspelt secret key (`authTokn`) still holds the secret, though its name no longer says so.
  const formKeys = (metadata?.formItems ?? []).map((item) => item.key);
  const isMisspeltSecret = (key: string) => {
    const meant = formKeys.includes(key) ? undefined : closest(key, formKeys);
    return meant !== undefined && isSecret(meant);
  };
  return Object.keys(config).filter((key) => isSecret(key) || isMisspeltSecret(key));
};

const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') {
    return [value];
  }
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap((entry) => stringsIn(entry));
  }
  return [];
};

/** The password of a URL anywhere in the config (`redis://:password@host`, `https://user:password@host`). */
const urlPasswordsIn = (config: Record<string, unknown>): string[] =>
  stringsIn(config).flatMap((value) => {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:[^/?#]*@/i.test(value.trim()) || !URL.canParse(value.trim())) {
      return [];
    }
    const { password } = new URL(value.trim());
    if (!password) {
      return [];
    }
    try {
      return [password, decodeURIComponent(password)];
    } catch {
      return [password];
    }
  });

/** The secret values of a config, for the output's redactor. */
export const secretValuesOf = (config: Record<string, unknown>, metadata?: ConnectorMetadata): string[] => [
  ...secretKeysOf(config, metadata).flatMap((key) => stringsIn(config[key])),
  ...urlPasswordsIn(config),
];

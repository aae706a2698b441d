import type { ConnectorMetadata } from '@logto/connector-kit';
import { catalog, type CatalogEntry } from '@sms-suite/catalog';

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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/**
 * The provider configs a router config nests (`providers.<name>.config`), each with the catalog row
 * of its `use` when that names a provider of the suite. Read from the config as written, whether it
 * is valid or not: a misspelt `use` still has its credentials.
 */
export const nestedProviderConfigs = (
  config: Record<string, unknown>
): Array<{ name: string; use: unknown; row?: CatalogEntry; config: Record<string, unknown> }> => {
  const { providers } = config;
  if (!isRecord(providers)) {
    return [];
  }
  return Object.entries(providers).flatMap(([name, entry]) => {
    if (!isRecord(entry) || !isRecord(entry.config)) {
      return [];
    }
    const row: CatalogEntry | undefined = catalog.find((candidate) => candidate.name === entry.use);
    return [{ name, use: entry.use, ...(row && { row }), config: entry.config }];
  });
};

/** What the name heuristics use when `use` names no provider of the suite: every provider's form at once. */
const anyProviderMetadata = {
  formItems: catalog.flatMap(({ metadata }) => metadata.formItems ?? []),
} as unknown as ConnectorMetadata;
const anyProviderSecretKeys = [...new Set(catalog.flatMap(({ provider }) => provider.secretKeys))];

/**
 * The secrets of one provider config nested in a router config: the provider's own `secretKeys` and
 * derived secrets (the token inside `Bearer <token>`), plus the name heuristics of `secretKeysOf`
 * with that connector's form (so a misspelt `authTokn` is still hidden).
 */
const nestedSecretValues = (row: CatalogEntry | undefined, config: Record<string, unknown>): string[] => {
  const keys = new Set([
    ...secretKeysOf(config, row?.metadata ?? anyProviderMetadata),
    ...(row?.provider.secretKeys ?? anyProviderSecretKeys).filter((key) => config[key] !== undefined),
  ]);
  let derived: ReadonlyArray<string | undefined> = [];
  try {
    derived = row?.provider.derivedSecrets?.(config as never) ?? [];
  } catch {
    // A config the provider cannot read yet (an invalid one): its keys' values are hidden all the same.
  }
  return [
    ...[...keys].flatMap((key) => stringsIn(config[key])),
    ...derived.filter((value): value is string => typeof value === 'string' && value !== ''),
  ];
};

/**
 * The secret values of a config, for the output's redactor. A router config's secrets sit in the
 * provider configs it nests (its `providers` form item is JSON, not confidential): each of those is
 * read with the form and secret keys of the provider its `use` names.
 */
export const secretValuesOf = (config: Record<string, unknown>, metadata?: ConnectorMetadata): string[] => [
  ...secretKeysOf(config, metadata).flatMap((key) => stringsIn(config[key])),
  ...nestedProviderConfigs(config).flatMap(({ row, config: nested }) => nestedSecretValues(row, nested)),
  ...urlPasswordsIn(config),
];

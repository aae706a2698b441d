import {
  providerNames,
  sandboxCredentials as catalogCredentials,
  sandboxSecretKeys,
  type ProviderName,
} from '@sms-suite/catalog';

/**
 * The credentials the sandbox accepts: the catalog's sandbox column, under the connectors' own config
 * keys. Merge them into a connector config (with `endpoint: sandbox.endpointFor(provider)`) and the
 * send is accepted. Public test values; the sandbox still never logs them, like real secrets.
 */
export const credentials = catalogCredentials;

/** The same, as the sandbox's public surface types it: config fields per provider. */
export const sandboxCredentials: Readonly<Record<ProviderName, Readonly<Record<string, string>>>> = credentials;

/** Every sandbox secret value, for redaction. */
export const sandboxSecretValues = (): string[] =>
  providerNames.flatMap((name) => sandboxSecretKeys(name).map((key) => sandboxCredentials[name][key] ?? ''));

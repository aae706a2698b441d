import { sandboxCredentials, sandboxProviders, type Sandbox, type SandboxProvider } from '@sms-suite/sandbox';

import type { LoadedConnector } from './connectors';

export const sandboxProviderNames = sandboxProviders;

const isSandboxProvider = (value: string | undefined): value is SandboxProvider =>
  value !== undefined && (sandboxProviderNames as readonly string[]).includes(value);

/**
 * Which sandbox provider a connector talks to: its catalog name for the suite's connectors, else a
 * guess from the package name (`connector-<provider>-sms`) or a `*-<provider>` metadata id.
 */
export const sandboxProviderOf = (connector: LoadedConnector): SandboxProvider | undefined => {
  const candidates = [
    connector.ref.name,
    /connector-([a-z0-9]+)(?:-sms)?$/.exec(connector.packageName)?.[1],
    /-([a-z0-9]+)$/.exec(connector.metadata.id)?.[1],
  ];
  return candidates.find((candidate) => isSandboxProvider(candidate));
};

/**
 * What `send --sandbox` does with the config's credentials: the keys it holds are `replaced` by the
 * sandbox's for the send (the config's own never leave the machine) after the config was validated
 * as written. A key the config lacks is never filled in: a config `validate` refuses is never sent.
 */
export type SandboxCredentialPlan = { replaced: string[] };

export const planSandboxCredentials = (
  config: Record<string, unknown>,
  provider: SandboxProvider
): SandboxCredentialPlan => {
  const credentials = sandboxCredentials[provider];
  return {
    replaced: Object.keys(credentials).filter((key) => config[key] !== undefined && config[key] !== credentials[key]),
  };
};

const sandboxValuesOf = (provider: SandboxProvider, keys: readonly string[]): Record<string, string> =>
  Object.fromEntries(keys.map((key) => [key, sandboxCredentials[provider][key]!]));

/**
 * The config pointed at the sandbox: `endpoint` from `endpointFor`, and the sandbox's credentials for
 * the keys the plan replaces. Returns the keys replaced.
 */
export const pointAtSandbox = (
  config: Record<string, unknown>,
  provider: SandboxProvider,
  sandbox: Sandbox,
  plan: SandboxCredentialPlan = planSandboxCredentials(config, provider)
): { config: Record<string, unknown>; replaced: string[] } => ({
  config: {
    ...config,
    ...sandboxValuesOf(provider, plan.replaced),
    endpoint: sandbox.endpointFor(provider),
  },
  replaced: plan.replaced,
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** One provider of a router config pointed at the sandbox: its name, its `use`, and what was replaced. */
export type RoutedSandboxUse = { name: string; provider: SandboxProvider; endpoint: string; replaced: string[] };

/**
 * A router config pointed at the sandbox: EVERY provider config under `providers.<name>.config` gets
 * the sandbox's endpoint for its `use`, and the sandbox's credentials for the keys it holds, by the
 * same rules as a single connector's config (a credential the config lacks is never filled in). An
 * entry whose `use` the sandbox does not speak is left as written (the config check refuses it).
 */
export const pointRouterAtSandbox = (
  config: Record<string, unknown>,
  sandbox: Sandbox
): { config: Record<string, unknown>; providers: RoutedSandboxUse[] } => {
  if (!isRecord(config.providers)) {
    return { config, providers: [] };
  }
  const uses: RoutedSandboxUse[] = [];
  const providers = Object.fromEntries(
    Object.entries(config.providers).map(([name, entry]) => {
      const use = isRecord(entry) ? entry.use : undefined;
      if (!isRecord(entry) || !isRecord(entry.config) || typeof use !== 'string' || !isSandboxProvider(use)) {
        return [name, entry];
      }
      const pointed = pointAtSandbox(entry.config, use, sandbox);
      uses.push({ name, provider: use, endpoint: sandbox.endpointFor(use), replaced: pointed.replaced });
      return [name, { ...entry, config: pointed.config }];
    })
  );
  return { config: { ...config, providers }, providers: uses };
};

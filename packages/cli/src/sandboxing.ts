import type { LoadedConnector } from './connectors';
import { sandboxCredentials, type Sandbox, type SandboxProvider } from './sandbox';

export const sandboxProviderNames: readonly SandboxProvider[] = Object.keys(sandboxCredentials) as SandboxProvider[];

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
 * The config pointed at the sandbox: `endpoint` from `endpointFor`, and the credentials the sandbox
 * accepts in place of the config's own (which are never sent anywhere). Returns the keys replaced.
 */
export const pointAtSandbox = (
  config: Record<string, unknown>,
  provider: SandboxProvider,
  sandbox: Sandbox
): { config: Record<string, unknown>; replaced: string[] } => {
  const credentials = sandboxCredentials[provider];
  const replaced = Object.keys(credentials).filter((key) => key in config && config[key] !== credentials[key]);
  return {
    config: { ...config, ...credentials, endpoint: sandbox.endpointFor(provider) },
    replaced,
  };
};

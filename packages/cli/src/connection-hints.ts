import { ConnectorError } from '@logto/connector-kit';
import { defaultSandboxPort } from '@sms-suite/sandbox';
import { isLoopbackHost } from '@sms-suite/sms-kit';

/**
 * The system error codes of a connection that never got a reply. The kit names them in the
 * ConnectorError's errorDescription; its wording may change, the codes do not.
 */
const connectionCodes = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'] as const;
type ConnectionCode = (typeof connectionCodes)[number];

const connectionCodeOf = (error: unknown): ConnectionCode | undefined => {
  if (!(error instanceof ConnectorError)) {
    return undefined;
  }
  const description = (error.data as { errorDescription?: unknown } | undefined)?.errorDescription;
  if (typeof description !== 'string') {
    return undefined;
  }
  return connectionCodes.find((code) => new RegExp(`\\b${code}\\b`).test(description));
};

/** The config's `endpoint` when it is a URL; without one the connector uses its provider's host. */
const endpointOf = (config: unknown): URL | undefined => {
  const endpoint = (config as { endpoint?: unknown } | undefined)?.endpoint;
  if (typeof endpoint !== 'string') {
    return undefined;
  }
  try {
    return new URL(endpoint);
  } catch {
    return undefined;
  }
};

const portOf = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/** Only host and port: an endpoint's path or query may hold a key. */
const addressOf = (url: URL): string => `${url.hostname}:${portOf(url)}`;

const refusedHint = (endpoint: URL | undefined): string => {
  if (!endpoint) {
    return "the provider's host refused the connection: check this machine's network, proxy and firewall";
  }
  if (!isLoopbackHost(endpoint.hostname)) {
    return `${addressOf(endpoint)} refused the connection: check the host and port of "endpoint", and any proxy or firewall in between`;
  }
  // A local endpoint is almost always the sandbox (the example configs point at its default port).
  const port = portOf(endpoint);
  const isDefaultPort = port === defaultSandboxPort;
  return [
    `nothing listens on ${addressOf(endpoint)}${isDefaultPort ? " (the sandbox's default address)" : ''}:`,
    `start the sandbox with "sms-connector sandbox${isDefaultPort ? '' : ` --port ${port}`}" in another terminal,`,
    'or add --sandbox to send to one started for this command',
  ].join(' ');
};

const hostNotFoundHint = (endpoint: URL | undefined): string =>
  endpoint
    ? `the host "${endpoint.hostname}" of "endpoint" was not found: check its spelling in the config, and that this machine's DNS resolves it`
    : "the provider's host was not found: check this machine's DNS and network connection";

/**
 * What to do about a send that never reached its provider, from the system error code in the
 * ConnectorError and the endpoint in the config: start the sandbox for a refused local endpoint,
 * check the spelling and DNS for a host not found. Empty for every other failure.
 */
export const connectionHints = (error: unknown, config: unknown): string[] => {
  const code = connectionCodeOf(error);
  if (!code) {
    return [];
  }
  const endpoint = endpointOf(config);
  return [code === 'ECONNREFUSED' ? refusedHint(endpoint) : hostNotFoundHint(endpoint)];
};

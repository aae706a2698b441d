import type { ConnectorMetadata, CreateConnector, SmsConnector } from '@logto/connector-kit';
import aliyunConnector, { metadata as aliyunMetadata, provider as aliyun } from '@sms-suite/connector-aliyun-sms';
import gatewayApiConnector, {
  metadata as gatewayApiMetadata,
  provider as gatewayApi,
} from '@sms-suite/connector-gatewayapi-sms';
import httpConnector, { metadata as httpMetadata, provider as httpSms } from '@sms-suite/connector-http-sms';
import smsAeroConnector, { metadata as smsAeroMetadata, provider as smsAero } from '@sms-suite/connector-smsaero-sms';
import tencentConnector, { metadata as tencentMetadata, provider as tencent } from '@sms-suite/connector-tencent-sms';
import twilioConnector, { metadata as twilioMetadata, provider as twilio } from '@sms-suite/connector-twilio-sms';
import routerConnector, { metadata as routerMetadata } from '@sms-suite/connector-router-sms';
import vonageConnector, { metadata as vonageMetadata, provider as vonage } from '@sms-suite/connector-vonage-sms';
import type { AnySmsProvider } from '@sms-suite/sms-kit';

import aliyunExample from './official-examples/aliyun.json';
import gatewayApiExample from './official-examples/gatewayapi.json';
import httpExample from './official-examples/http.json';
import smsAeroExample from './official-examples/smsaero.json';
import tencentExample from './official-examples/tencent.json';
import twilioExample from './official-examples/twilio.json';
import vonageExample from './official-examples/vonage.json';

/** An official Logto connector, by its npm package and the metadata id a Logto instance stores. */
export type OfficialConnector = { packageName: string; id: string };

export type CatalogEntry = {
  /** Short name: the CLI's `-c twilio`, the folder `packages/connector-twilio-sms`, the sandbox's `/twilio`. */
  name: string;
  /** How people name the provider: `Twilio`, `Tencent Cloud`. */
  title: string;
  /** The npm package of our connector. */
  packageName: string;
  provider: AnySmsProvider;
  metadata: ConnectorMetadata;
  createConnector: CreateConnector<SmsConnector>;
  /** The official Logto connectors ours replaces, and whose configs ours accepts unchanged. */
  official: readonly OfficialConnector[];
  /** The config Logto's documentation shows for the official connector (`official-examples/<name>.json`). */
  officialExample: Readonly<Record<string, unknown>>;
  /**
   * The credentials the local sandbox accepts, under the connector's own config keys. Public test
   * values; the sandbox still never logs them, like real secrets.
   */
  sandboxCredentials: Readonly<Record<string, string>>;
};

// Keeps each row's name and credential keys as literal types, so `credentials.twilio.authToken` is checked.
const entry = <Name extends string, Credentials extends Record<string, string>>(
  name: Name,
  row: Omit<CatalogEntry, 'name' | 'sandboxCredentials'> & { sandboxCredentials: Credentials }
) => ({ name, ...row });

/**
 * Every provider of the suite, in the order people look for them. Adding a provider means adding its
 * connector package and one row here (and a sandbox emulator, which the sandbox's types then require).
 */
export const catalog = [
  entry('twilio', {
    title: 'Twilio',
    packageName: '@sms-suite/connector-twilio-sms',
    provider: twilio,
    metadata: twilioMetadata,
    createConnector: twilioConnector,
    official: [{ packageName: '@logto/connector-twilio-sms', id: 'twilio-short-message-service' }],
    officialExample: twilioExample,
    sandboxCredentials: {
      accountSID: 'ACsandbox0000000000000000000000000',
      authToken: 'sandbox-twilio-auth-token',
    },
  }),
  entry('aliyun', {
    title: 'Aliyun',
    packageName: '@sms-suite/connector-aliyun-sms',
    provider: aliyun,
    metadata: aliyunMetadata,
    createConnector: aliyunConnector,
    official: [
      { packageName: '@logto/connector-aliyun-sms', id: 'aliyun-short-message-service' },
      { packageName: '@logto/connector-aliyun-sms-mas', id: 'aliyun-short-message-auth-service' },
    ],
    officialExample: aliyunExample,
    sandboxCredentials: {
      accessKeyId: 'LTAIsandboxAccessKeyId',
      accessKeySecret: 'sandbox-aliyun-access-key-secret',
    },
  }),
  entry('tencent', {
    title: 'Tencent Cloud',
    packageName: '@sms-suite/connector-tencent-sms',
    provider: tencent,
    metadata: tencentMetadata,
    createConnector: tencentConnector,
    official: [{ packageName: '@logto/connector-tencent-sms', id: 'tencent-short-message-service' }],
    officialExample: tencentExample,
    sandboxCredentials: {
      accessKeyId: 'AKIDsandboxSecretId00000000000000',
      accessKeySecret: 'sandbox-tencent-secret-key',
      sdkAppId: '1400000000',
    },
  }),
  entry('http', {
    title: 'HTTP',
    packageName: '@sms-suite/connector-http-sms',
    provider: httpSms,
    metadata: httpMetadata,
    createConnector: httpConnector,
    official: [{ packageName: '@logto/connector-http-sms', id: 'http-sms' }],
    officialExample: httpExample,
    sandboxCredentials: {
      authorization: 'Bearer sandbox-http-sms-token',
      // `whsec_` + base64 of a 32-byte key, as Standard Webhooks secrets are written.
      signingSecret: 'whsec_c21zLWNvbm5lY3RvciBzYW5kYm94IHNpZ25pbmcgayE=',
    },
  }),
  entry('smsaero', {
    title: 'SMSAero',
    packageName: '@sms-suite/connector-smsaero-sms',
    provider: smsAero,
    metadata: smsAeroMetadata,
    createConnector: smsAeroConnector,
    official: [{ packageName: '@logto/connector-smsaero', id: 'smsaero-short-message-service' }],
    officialExample: smsAeroExample,
    sandboxCredentials: { email: 'sandbox@example.com', apiKey: 'sandbox-smsaero-api-key' },
  }),
  entry('gatewayapi', {
    title: 'GatewayAPI',
    packageName: '@sms-suite/connector-gatewayapi-sms',
    provider: gatewayApi,
    metadata: gatewayApiMetadata,
    createConnector: gatewayApiConnector,
    official: [{ packageName: '@logto/connector-gatewayapi-sms', id: 'gatewayapi-sms' }],
    officialExample: gatewayApiExample,
    sandboxCredentials: { apiToken: 'sandbox-gatewayapi-token' },
  }),
  entry('vonage', {
    title: 'Vonage',
    packageName: '@sms-suite/connector-vonage-sms',
    provider: vonage,
    metadata: vonageMetadata,
    createConnector: vonageConnector,
    official: [{ packageName: '@logto/connector-vonage-sms', id: 'vonage-sms' }],
    officialExample: vonageExample,
    sandboxCredentials: { apiKey: 'sandboxkey', apiSecret: 'sandbox-vonage-secret' },
  }),
] as const satisfies readonly CatalogEntry[];

export type ProviderName = (typeof catalog)[number]['name'];

/** Each provider's sandbox credentials, with their keys as types. */
export type SandboxCredentials = {
  [Row in (typeof catalog)[number] as Row['name']]: Readonly<Row['sandboxCredentials']>;
};

export const sandboxCredentials = Object.freeze(
  Object.fromEntries(catalog.map(({ name, sandboxCredentials }) => [name, Object.freeze({ ...sandboxCredentials })]))
) as SandboxCredentials;

export const providerNames: readonly ProviderName[] = catalog.map(({ name }) => name);

export const isProviderName = (value: string): value is ProviderName => providerNames.includes(value as ProviderName);

const byName = new Map<string, CatalogEntry>(catalog.map((row) => [row.name, row]));

export const catalogEntry = (name: ProviderName): CatalogEntry => byName.get(name)!;

/** The config keys of a provider's sandbox credentials that hold secrets (the rest are identifiers). */
export const sandboxSecretKeys = (name: ProviderName): string[] => {
  const { provider, sandboxCredentials } = catalogEntry(name);
  return Object.keys(sandboxCredentials).filter((key) => provider.secretKeys.includes(key));
};

/**
 * The routing connector: not a provider of its own, but a connector package of the suite that sends
 * through the providers above (its config's `use` names them), in one bundle.
 */
export const routerEntry = {
  name: 'router',
  title: 'SMS router',
  packageName: '@sms-suite/connector-router-sms',
  metadata: routerMetadata,
  createConnector: routerConnector,
} as const satisfies Pick<CatalogEntry, 'name' | 'title' | 'packageName' | 'metadata' | 'createConnector'>;

/** Every connector package of the suite: one per provider, then the router. */
export const connectorPackageNames: readonly string[] = [
  ...catalog.map(({ packageName }) => packageName),
  routerEntry.packageName,
];

import type { SandboxProvider } from './types';

/**
 * The credentials the sandbox accepts, under the connectors' own config keys: merge them into a
 * connector config (with `endpoint: sandbox.endpointFor(provider)`) and the send is accepted.
 * They are public test values; the sandbox still never logs them, like real secrets.
 */
export const credentials = {
  twilio: {
    accountSID: 'ACsandbox0000000000000000000000000',
    authToken: 'sandbox-twilio-auth-token',
  },
  aliyun: {
    accessKeyId: 'LTAIsandboxAccessKeyId',
    accessKeySecret: 'sandbox-aliyun-access-key-secret',
  },
  tencent: {
    accessKeyId: 'AKIDsandboxSecretId00000000000000',
    accessKeySecret: 'sandbox-tencent-secret-key',
    sdkAppId: '1400000000',
  },
  http: {
    authorization: 'Bearer sandbox-http-sms-token',
    // `whsec_` + base64 of a 32-byte key, as Standard Webhooks secrets are written.
    signingSecret: 'whsec_c21zLWNvbm5lY3RvciBzYW5kYm94IHNpZ25pbmcgayE=',
  },
  smsaero: {
    email: 'sandbox@example.com',
    apiKey: 'sandbox-smsaero-api-key',
  },
  gatewayapi: {
    apiToken: 'sandbox-gatewayapi-token',
  },
  vonage: {
    apiKey: 'sandboxkey',
    apiSecret: 'sandbox-vonage-secret',
  },
} as const satisfies Record<SandboxProvider, Record<string, string>>;

/**
 * The public shape (plan contract): config fields per provider. Frozen copies, so that no caller can
 * change what the sandbox accepts.
 */
export const sandboxCredentials: Record<SandboxProvider, Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(credentials).map(([provider, fields]): [string, Record<string, string>] => [
      provider,
      Object.freeze({ ...fields }),
    ])
  )
) as Record<SandboxProvider, Record<string, string>>;

/** The config keys above that hold secrets (the rest are identifiers). */
export const sandboxSecretKeys: Record<SandboxProvider, readonly string[]> = {
  twilio: ['authToken'],
  aliyun: ['accessKeySecret'],
  tencent: ['accessKeySecret'],
  http: ['authorization', 'signingSecret'],
  smsaero: ['apiKey'],
  gatewayapi: ['apiToken'],
  vonage: ['apiSecret'],
};

/** Every sandbox secret value, for redaction. */
export const sandboxSecretValues = (): string[] =>
  (Object.keys(sandboxSecretKeys) as SandboxProvider[]).flatMap((provider) =>
    sandboxSecretKeys[provider].map((key) => sandboxCredentials[provider][key] ?? '')
  );

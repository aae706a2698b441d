/**
 * Each connector pointed at a sandbox, as the end-to-end tests drive them: the config the admin would
 * save (sandbox credentials, the sandbox endpoint, the console's `Generic` template) and what its
 * console test message must look like in the inbox.
 */
import { sandboxCredentials } from './credentials';
import type { InboxEntry, Sandbox, SandboxProvider } from './types';

export type ConnectorCase = {
  provider: SandboxProvider;
  directory: string;
  config: (sandbox: Sandbox) => Record<string, unknown>;
  /** What the inbox entry of the console test to 16502530000 must hold (besides id, provider, time). */
  entry: Partial<InboxEntry>;
};

const text = 'Your verification code is {{code}}';
const textTemplates = [{ usageType: 'Generic', content: text }];

export const connectorCases: ConnectorCase[] = [
  {
    provider: 'twilio',
    directory: 'connector-twilio-sms',
    config: (sandbox) => ({
      ...sandboxCredentials.twilio,
      fromMessagingServiceSID: 'MG00000000000000000000000000000000',
      endpoint: sandbox.endpointFor('twilio'),
      templates: textTemplates,
    }),
    entry: {
      to: '+16502530000',
      text: 'Your verification code is 000000',
      sender: 'MG00000000000000000000000000000000',
    },
  },
  {
    provider: 'aliyun',
    directory: 'connector-aliyun-sms',
    config: (sandbox) => ({
      ...sandboxCredentials.aliyun,
      signName: 'Sandbox',
      endpoint: sandbox.endpointFor('aliyun'),
      templates: [{ usageType: 'Generic', templateCode: { china: 'SMS_100001', overseas: 'SMS_200001' } }],
    }),
    entry: { to: '16502530000', templateCode: 'SMS_200001', templateParams: { code: '000000' }, sender: 'Sandbox' },
  },
  {
    provider: 'tencent',
    directory: 'connector-tencent-sms',
    config: (sandbox) => ({
      ...sandboxCredentials.tencent,
      signName: 'Sandbox',
      region: 'ap-guangzhou',
      endpoint: sandbox.endpointFor('tencent'),
      templates: [{ usageType: 'Generic', templateCode: { china: '1000001', overseas: '2000001' } }],
    }),
    entry: { to: '+16502530000', templateCode: '2000001', templateParams: ['000000'] },
  },
  {
    provider: 'http',
    directory: 'connector-http-sms',
    config: (sandbox) => ({
      ...sandboxCredentials.http,
      endpoint: sandbox.endpointFor('http'),
      templates: textTemplates,
    }),
    entry: { to: '16502530000', text: 'Your verification code is 000000' },
  },
  {
    provider: 'smsaero',
    directory: 'connector-smsaero-sms',
    config: (sandbox) => ({
      ...sandboxCredentials.smsaero,
      senderName: 'SMS Aero',
      endpoint: sandbox.endpointFor('smsaero'),
      templates: textTemplates,
    }),
    entry: { to: '16502530000', text: 'Your verification code is 000000', sender: 'SMS Aero' },
  },
  {
    provider: 'gatewayapi',
    directory: 'connector-gatewayapi-sms',
    config: (sandbox) => ({
      ...sandboxCredentials.gatewayapi,
      sender: 'ExampleCo',
      endpoint: sandbox.endpointFor('gatewayapi'),
      templates: textTemplates,
    }),
    entry: { to: '16502530000', text: 'Your verification code is 000000', sender: 'ExampleCo' },
  },
  {
    provider: 'vonage',
    directory: 'connector-vonage-sms',
    config: (sandbox) => ({
      ...sandboxCredentials.vonage,
      brandName: 'AcmeInc',
      endpoint: sandbox.endpointFor('vonage'),
      templates: textTemplates,
    }),
    entry: { to: '16502530000', text: 'Your verification code is 000000', sender: 'AcmeInc' },
  },
];

/** The config key of each connector's secret, to send a wrong one. */
export const connectorSecretKeys: Record<SandboxProvider, string> = {
  twilio: 'authToken',
  aliyun: 'accessKeySecret',
  tencent: 'accessKeySecret',
  http: 'authorization',
  smsaero: 'apiKey',
  gatewayapi: 'apiToken',
  vonage: 'apiSecret',
};

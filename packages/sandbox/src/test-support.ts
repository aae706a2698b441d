/**
 * Test helpers: a started sandbox with its log and messages captured, and one client per provider
 * that builds the signed request the way a connector does. The clients sign with the computations of
 * the sandbox's own verifiers (./verify, proven against the providers' published vectors in
 * verify.test.ts), so the sandbox depends on no connector; the connectors' own signers meet the
 * sandbox in e2e-connectors.test.ts.
 */
import { randomUUID } from 'node:crypto';

import { credentials, sandboxCredentials, sandboxSecretValues } from './credentials';
import { startSandbox } from './server';
import type { InboxEntry, Sandbox } from './types';
import { aliyunFormBody, aliyunRpcSignature, formatAliyunTimestamp } from './verify/aliyun-rpc';
import { webhookHeadersFor } from './verify/standard-webhooks';
import { tc3Authorization } from './verify/tencent-tc3';

export type Harness = { sandbox: Sandbox; logs: string[]; messages: InboxEntry[] };

/**
 * What the clients below need of a sandbox: a started one, or one running in another process
 * (`sms-sandbox`), addressed with sandboxEndpoint.
 */
export type SandboxAddress = Pick<Sandbox, 'url' | 'endpointFor'>;

export const startHarness = async (): Promise<Harness> => {
  const logs: string[] = [];
  const messages: InboxEntry[] = [];
  const sandbox = await startSandbox({
    log: (line) => logs.push(line),
    onMessage: (entry) => messages.push(entry),
  });
  return { sandbox, logs, messages };
};

export const resetHarness = async ({ sandbox, logs, messages }: Harness) => {
  await fetch(`${sandbox.url}/inbox`, { method: 'DELETE' });
  logs.length = 0;
  messages.length = 0;
};

/**
 * One sandbox per test file, started before the first test and closed after the last; after each
 * test, nothing it logged or kept may hold a secret, and the inbox and logs start empty again.
 */
export const useHarness = (): Harness => {
  const harness = {} as Harness;
  beforeAll(async () => {
    Object.assign(harness, await startHarness());
  });
  afterAll(async () => {
    await harness.sandbox.close();
  });
  afterEach(async () => {
    expectNoSecrets(...harness.logs, JSON.stringify(await getInbox(harness.sandbox)));
    await resetHarness(harness);
  });
  return harness;
};

export const getInbox = async (sandbox: SandboxAddress): Promise<InboxEntry[]> =>
  (await (await fetch(`${sandbox.url}/inbox`)).json()) as InboxEntry[];

/** Every sandbox secret plus the wrong ones the tests send: none may appear in a log or the inbox. */
export const wrongSecrets = ['wrong-secret-value-1234', 'Bearer wrong-http-token-5678'];
export const allSecrets = [...sandboxSecretValues(), ...wrongSecrets];

export const expectNoSecrets = (...texts: string[]) => {
  for (const text of texts) {
    for (const secret of allSecrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }
  }
};

export type Answer = { status: number; headers: Headers; text: string; json: unknown };

export const answer = async (response: Response): Promise<Answer> => {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
};

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

const c = (provider: keyof typeof credentials, key: string): string => sandboxCredentials[provider][key] ?? '';

// In the clients below, `authorization: null` leaves the header out (undefined means the sandbox's).

// Twilio ----------------------------------------------------------------------------------------

export const messagingServiceSid = 'MG00000000000000000000000000000000';

export const twilioSend = async (
  sandbox: SandboxAddress,
  {
    to,
    body = 'Your verification code is 123456',
    sender = { MessagingServiceSid: messagingServiceSid } as Record<string, string>,
    authorization = basic(c('twilio', 'accountSID'), c('twilio', 'authToken')),
    accountSid = c('twilio', 'accountSID'),
    extra = {} as Record<string, string>,
  }: {
    to: string;
    body?: string;
    sender?: Record<string, string>;
    authorization?: string | null;
    accountSid?: string;
    extra?: Record<string, string>;
  }
) =>
  answer(
    await fetch(`${sandbox.endpointFor('twilio')}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(authorization && { authorization }),
      },
      body: new URLSearchParams({ To: to, ...sender, Body: body, RiskCheck: 'enable', ...extra }).toString(),
    })
  );

// Aliyun ----------------------------------------------------------------------------------------

export type AliyunOptions = {
  phoneNumbers: string;
  templateParam?: string | undefined;
  accessKeyId?: string;
  accessKeySecret?: string;
  now?: Date;
  nonce?: string;
  method?: 'GET' | 'POST';
  format?: string;
  params?: Record<string, string>;
  /** Changes a parameter after signing. */
  tamper?: Record<string, string>;
};

export const aliyunParams = ({
  phoneNumbers,
  templateParam = '{"code":"123456"}',
  accessKeyId = c('aliyun', 'accessKeyId'),
  accessKeySecret = c('aliyun', 'accessKeySecret'),
  now = new Date(),
  nonce = randomUUID(),
  method = 'POST',
  format = 'JSON',
  params = {},
  tamper = {},
}: AliyunOptions): Record<string, string> => {
  const unsigned: Record<string, string> = {
    AccessKeyId: accessKeyId,
    Action: 'SendSms',
    Format: format,
    PhoneNumbers: phoneNumbers,
    SignName: '阿里云短信测试',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: 'SMS_154950909',
    ...(templateParam !== undefined && { TemplateParam: templateParam }),
    Timestamp: formatAliyunTimestamp(now.getTime()),
    Version: '2017-05-25',
    ...params,
  };
  return { ...unsigned, Signature: aliyunRpcSignature(method, unsigned, accessKeySecret), ...tamper };
};

export const aliyunSend = async (sandbox: SandboxAddress, options: AliyunOptions) => {
  const params = aliyunParams(options);
  const endpoint = `${sandbox.endpointFor('aliyun')}/`;
  if (options.method === 'GET') {
    return answer(await fetch(`${endpoint}?${aliyunFormBody(params)}`));
  }
  return answer(
    await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: aliyunFormBody(params),
    })
  );
};

// Tencent ---------------------------------------------------------------------------------------

export type TencentOptions = {
  numbers: unknown;
  templateId?: string;
  params?: unknown;
  /** `null` = no SignName. */
  signName?: string | null;
  sdkAppId?: string;
  secretId?: string;
  secretKey?: string;
  timestamp?: number;
  region?: string;
  action?: string;
  /** Replaces the body after signing. */
  tamperedBody?: string;
  /** The host signed, when not the one sent. */
  signedHost?: string;
  path?: string;
  signal?: AbortSignal;
};

export const tencentSend = async (
  sandbox: SandboxAddress,
  {
    numbers,
    templateId = '1000004',
    params = ['123456'],
    signName = '腾讯云',
    sdkAppId = c('tencent', 'sdkAppId'),
    secretId = c('tencent', 'accessKeyId'),
    secretKey = c('tencent', 'accessKeySecret'),
    timestamp = Math.floor(Date.now() / 1000),
    region = 'ap-guangzhou',
    action = 'SendSms',
    tamperedBody,
    signedHost,
    path = '/',
    signal,
  }: TencentOptions
) => {
  const contentType = 'application/json; charset=utf-8';
  const body = JSON.stringify({
    PhoneNumberSet: numbers,
    SmsSdkAppId: sdkAppId,
    ...(signName !== null && { SignName: signName }),
    TemplateId: templateId,
    TemplateParamSet: params,
  });
  const endpoint = new URL(sandbox.endpointFor('tencent'));
  const authorization = tc3Authorization({
    secretId,
    secretKey,
    service: 'sms',
    host: signedHost ?? endpoint.host,
    contentType,
    timestamp,
    payload: body,
  });
  return answer(
    await fetch(`${endpoint.origin}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        'X-TC-Action': action,
        'X-TC-Version': '2021-01-11',
        'X-TC-Timestamp': String(timestamp),
        'X-TC-Region': region,
        Authorization: authorization,
      },
      body: tamperedBody ?? body,
      ...(signal && { signal }),
    })
  );
};

// HTTP SMS --------------------------------------------------------------------------------------

export const httpSmsSend = async (
  sandbox: SandboxAddress,
  {
    body,
    authorization = c('http', 'authorization'),
    signingSecret = c('http', 'signingSecret'),
    delivery = {},
    headers = {},
    rawBody,
  }: {
    body: Record<string, unknown>;
    authorization?: string | null;
    signingSecret?: string | null;
    delivery?: { id?: string; timestamp?: number };
    headers?: Record<string, string>;
    rawBody?: string;
  }
) => {
  const text = rawBody ?? JSON.stringify(body);
  return answer(
    await fetch(sandbox.endpointFor('http'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization && { authorization }),
        ...(signingSecret && webhookHeadersFor(signingSecret, text, delivery)),
        ...headers,
      },
      body: text,
    })
  );
};

export const httpSmsBody = (phoneNumber: string, extra: Record<string, unknown> = {}) => ({
  to: phoneNumber.replace('+', ''),
  type: 'Generic',
  payload: { code: '123456', locale: 'fr-CA' },
  phoneNumber,
  ...extra,
});

// SMSAero ---------------------------------------------------------------------------------------

export const smsAeroSend = async (
  sandbox: SandboxAddress,
  {
    body,
    authorization = basic(c('smsaero', 'email'), c('smsaero', 'apiKey')),
  }: { body: Record<string, unknown>; authorization?: string | null }
) =>
  answer(
    await fetch(`${sandbox.endpointFor('smsaero')}/sms/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
      body: JSON.stringify(body),
    })
  );

// GatewayAPI ------------------------------------------------------------------------------------

export const gatewayApiSend = async (
  sandbox: SandboxAddress,
  {
    body,
    authorization = basic(c('gatewayapi', 'apiToken'), ''),
    query = '',
  }: { body: unknown; authorization?: string | null; query?: string }
) =>
  answer(
    await fetch(`${sandbox.endpointFor('gatewayapi')}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...(authorization && { authorization }) },
      body: JSON.stringify(body),
    })
  );

// Vonage ----------------------------------------------------------------------------------------

export const vonageSend = async (
  sandbox: SandboxAddress,
  fields: Record<string, string>,
  { json = false, authorization }: { json?: boolean; authorization?: string } = {}
) =>
  answer(
    await fetch(`${sandbox.endpointFor('vonage')}/sms/json`, {
      method: 'POST',
      headers: {
        'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
        ...(authorization && { authorization }),
      },
      body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
    })
  );

export const vonageFields = (to: string, extra: Record<string, string> = {}) => ({
  api_key: c('vonage', 'apiKey'),
  api_secret: c('vonage', 'apiSecret'),
  from: 'AcmeInc',
  to,
  text: 'Your verification code is 123456',
  ...extra,
});

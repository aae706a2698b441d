/**
 * Shared by the tests of this package (not bundled: index.ts does not import it).
 *
 * `recomputeTc3Authorization` is a second, independent implementation of TC3-HMAC-SHA256 that
 * works from what went over the wire (method, path, lowercase headers, raw body), so a send test
 * proves that the Authorization header matches the request actually sent, not the request the
 * connector meant to send.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const secretId = 'AKIDtestsecretid0123456789abcdefEXAMPLE';
export const secretKey = 'tEsTsEcReTkEy0123456789abcdefEXAMPLE';

/** A mainland + international config: every optional field the connector adds. */
export const fullConfig = {
  accessKeyId: secretId,
  accessKeySecret: secretKey,
  signName: '腾讯云',
  overseasSignName: 'Acme',
  sdkAppId: '1400006666',
  region: 'ap-guangzhou',
  templates: [
    { usageType: 'Generic', templateCode: { china: '1000004', overseas: '2000004' } },
    { usageType: 'SignIn', templateCode: { china: '1000002', overseas: '2000002' } },
    { usageType: 'SignIn', locale: 'zh-CN', templateCode: { china: '1000012', overseas: '2000012' } },
  ],
};

/** The official connector's shape: one template ID per type, one sign. */
export const officialConfig = {
  accessKeyId: secretId,
  accessKeySecret: secretKey,
  signName: 'Acme',
  sdkAppId: '1400006666',
  region: 'ap-guangzhou',
  templates: [
    { usageType: 'Register', templateCode: '1000001' },
    { usageType: 'SignIn', templateCode: '1000002' },
    { usageType: 'ForgotPassword', templateCode: '1000003' },
    { usageType: 'Generic', templateCode: '1000004' },
  ],
};

export const readFixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as unknown;

/** The config of Logto's documentation for the official connector, kept once, in the catalog. */
export const officialExample = (): unknown =>
  JSON.parse(
    readFileSync(new URL('../../catalog/src/official-examples/tencent.json', import.meta.url), 'utf8')
  ) as unknown;

export const okBody = (overrides: Record<string, unknown> = {}) => ({
  Response: {
    SendStatusSet: [
      {
        SerialNo: '5000:1045710669157053657849499619',
        PhoneNumber: '+8613800138000',
        Fee: 1,
        SessionContext: '',
        Code: 'Ok',
        Message: 'send success',
        IsoCode: 'CN',
        ...overrides,
      },
    ],
    RequestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279',
  },
});

export const errorBody = (code: string, message = 'provider message') => ({
  Response: { Error: { Code: code, Message: message }, RequestId: 'b1bbceb7-0000-4000-8000-000000000001' },
});

export const statusBody = (code: string, message = 'provider message') => ({
  Response: {
    SendStatusSet: [
      {
        SerialNo: '',
        PhoneNumber: '+8613800138000',
        Fee: 0,
        SessionContext: '',
        Code: code,
        Message: message,
        IsoCode: 'CN',
      },
    ],
    RequestId: 'c2ccdfc8-0000-4000-8000-000000000002',
  },
});

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

export type WireRequest = {
  method: string;
  path: string;
  /** Header names in lowercase, as the server receives them. */
  headers: Record<string, string>;
  body: string;
};

export type Tc3Credentials = { secretId: string; secretKey: string; service?: string };

export const recomputeTc3Authorization = (
  request: WireRequest,
  credentials: Tc3Credentials = { secretId, secretKey }
): string => {
  const signedHeaders = 'content-type;host';
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${(request.headers[name] ?? '').trim().toLowerCase()}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    request.path,
    '',
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const timestamp = Number(request.headers['x-tc-timestamp']);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const service = credentials.service ?? 'sms';
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${credentials.secretKey}`, date), service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${credentials.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
};

import { createHmac } from 'node:crypto';

import { rfc3986Encode } from './percent-encode';
import type { ReplayGuard } from './replay-guard';
import { secureEqual } from './secure-compare';

/**
 * Aliyun RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0), checked the way Aliyun's
 * gateway does: every parameter but `Signature`, encoded, sorted by encoded name, joined, encoded
 * again inside `METHOD&%2F&…`, HMAC-SHA1 keyed with `secret&`.
 */
export const aliyunCanonicalizedQuery = (params: Readonly<Record<string, string>>): string =>
  Object.entries(params)
    .filter(([name]) => name !== 'Signature')
    .map(([name, value]) => [rfc3986Encode(name), rfc3986Encode(value)] as const)
    // Encoded names are ASCII, so code-unit order is byte order.
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');

export const aliyunStringToSign = (method: string, canonicalizedQuery: string): string =>
  `${method.toUpperCase()}&${rfc3986Encode('/')}&${rfc3986Encode(canonicalizedQuery)}`;

export const aliyunHmacKey = (accessKeySecret: string): string => `${accessKeySecret}&`;

export const aliyunRpcSignature = (
  method: string,
  params: Readonly<Record<string, string>>,
  accessKeySecret: string
): string =>
  createHmac('sha1', aliyunHmacKey(accessKeySecret))
    .update(aliyunStringToSign(method, aliyunCanonicalizedQuery(params)), 'utf8')
    .digest('base64');

/**
 * The signed parameters as a form body (or a query string), encoded as they were signed: what a
 * client sends. The sandbox's own tests build their requests with it, so they need no connector.
 */
export const aliyunFormBody = (params: Readonly<Record<string, string>>): string =>
  Object.entries(params)
    .map(([name, value]) => `${rfc3986Encode(name)}=${rfc3986Encode(value)}`)
    .join('&');

/** Aliyun accepts a Timestamp and a nonce for 15 minutes. */
export const aliyunWindowMs = 15 * 60 * 1000;

const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Epoch ms → `2024-01-01T00:00:00Z`: UTC to the second, the only shape parseAliyunTimestamp accepts. */
export const formatAliyunTimestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `2024-01-01T00:00:00Z` → epoch ms; undefined for any other shape (milliseconds, offsets, local time). */
export const parseAliyunTimestamp = (value: string): number | undefined => {
  const match = timestampPattern.exec(value);
  if (!match) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Reject dates that roll over (2024-02-31).
  return new Date(ms).toISOString().startsWith(value.slice(0, 19)) ? ms : undefined;
};

export type AliyunAuthFailure = { status: number; code: string; message: string };

const commonParameters = [
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
] as const;

/**
 * Everything Aliyun checks before looking at the business parameters. Order: required parameters,
 * signature method and version, AccessKey, Timestamp shape and window, signature, nonce (recorded only
 * once the signature is right, so forged requests cannot burn nonces).
 */
export const verifyAliyunRpcRequest = (input: {
  method: string;
  params: Readonly<Record<string, string>>;
  /** AccessKeyId → AccessKeySecret. */
  secrets: Readonly<Record<string, string>>;
  nowMs: number;
  nonces: ReplayGuard;
}): AliyunAuthFailure | undefined => {
  const { params } = input;
  for (const name of commonParameters) {
    if (!params[name]) {
      return { status: 400, code: `Missing${name}`, message: `${name} is mandatory for this action.` };
    }
  }
  if (params.SignatureMethod !== 'HMAC-SHA1') {
    return {
      status: 400,
      code: 'InvalidParameter.SignatureMethod',
      message: `Specified SignatureMethod "${params.SignatureMethod}" is not supported; use HMAC-SHA1.`,
    };
  }
  if (params.SignatureVersion !== '1.0') {
    return {
      status: 400,
      code: 'InvalidParameter.SignatureVersion',
      message: `Specified SignatureVersion "${params.SignatureVersion}" is not supported; use 1.0.`,
    };
  }
  const accessKeyId = params.AccessKeyId ?? '';
  const secret = Object.prototype.hasOwnProperty.call(input.secrets, accessKeyId)
    ? input.secrets[accessKeyId]
    : undefined;
  if (secret === undefined) {
    return { status: 404, code: 'InvalidAccessKeyId.NotFound', message: 'Specified access key is not found.' };
  }
  const timestamp = parseAliyunTimestamp(params.Timestamp ?? '');
  if (timestamp === undefined) {
    return {
      status: 400,
      code: 'InvalidTimeStamp.Format',
      message: `Specified time stamp or date value is not well formatted: "${params.Timestamp}" (expected UTC yyyy-MM-ddTHH:mm:ssZ).`,
    };
  }
  if (Math.abs(input.nowMs - timestamp) > aliyunWindowMs) {
    return {
      status: 400,
      code: 'InvalidTimeStamp.Expired',
      message: `Specified time stamp or date value is expired: ${params.Timestamp} is more than 15 minutes from the server time ${formatAliyunTimestamp(input.nowMs)}.`,
    };
  }
  const stringToSign = aliyunStringToSign(input.method, aliyunCanonicalizedQuery(params));
  const expected = createHmac('sha1', aliyunHmacKey(secret)).update(stringToSign, 'utf8').digest('base64');
  if (!secureEqual(expected, params.Signature ?? '')) {
    return {
      status: 400,
      code: 'SignatureDoesNotMatch',
      message: `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    };
  }
  if (input.nonces.seen(`${accessKeyId}\n${params.SignatureNonce}`, input.nowMs)) {
    return { status: 400, code: 'SignatureNonceUsed', message: 'Specified signature nonce was used already.' };
  }
  return undefined;
};

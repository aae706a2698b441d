import { createHmac } from 'node:crypto';

import { percentEncode } from './percent-encode';

/** Aliyun RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0), step by step. */
export const aliyunCanonicalQuery = (params: Record<string, string>): string =>
  Object.keys(params)
    .filter((key) => key !== 'Signature')
    .map((key) => [percentEncode(key), percentEncode(params[key] ?? '')] as const)
    // Sort by encoded name, not by the joined `k=v` string: they differ when one name prefixes another.
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');

export const aliyunStringToSign = (method: 'GET' | 'POST', canonicalQuery: string): string =>
  `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery)}`;

export const signAliyunRpc = (
  method: 'GET' | 'POST',
  params: Record<string, string>,
  accessKeySecret: string
): string =>
  createHmac('sha1', `${accessKeySecret}&`)
    .update(aliyunStringToSign(method, aliyunCanonicalQuery(params)), 'utf8')
    .digest('base64');

/** The signed parameters as an `application/x-www-form-urlencoded` body (same encoding as signed). */
export const aliyunFormBody = (params: Record<string, string>): string =>
  Object.entries(params)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');

/** `2024-01-01T00:00:00Z`: UTC, seconds precision, as Aliyun requires. */
export const aliyunTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

import { createHash, createHmac } from 'node:crypto';

import { percentEncode } from './percent-encode';

/** Aliyun signature V3 (ACS3-HMAC-SHA256), step by step. */
export type Acs3Input = {
  method: 'GET' | 'POST';
  /** Business parameters in the query string. */
  query: Record<string, string>;
  /** `host` and the `x-acs-*` headers except `x-acs-content-sha256`, which is derived from the body. */
  headers: Record<string, string>;
  body: string;
  accessKeyId: string;
  accessKeySecret: string;
};

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

const isSigned = (name: string) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-');

export const acs3SignedHeaders = (input: Pick<Acs3Input, 'headers' | 'body'>): Record<string, string> => {
  const lowered = Object.fromEntries(
    Object.entries(input.headers).map(([name, value]) => [name.toLowerCase(), value.trim()])
  );
  return { ...lowered, 'x-acs-content-sha256': sha256Hex(input.body) };
};

export const acs3CanonicalRequest = (input: Pick<Acs3Input, 'method' | 'query' | 'headers' | 'body'>): string => {
  const headers = acs3SignedHeaders(input);
  const names = Object.keys(headers).filter(isSigned).sort();
  const canonicalQuery = Object.keys(input.query)
    .map((key) => [percentEncode(key), percentEncode(input.query[key] ?? '')] as const)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return [
    input.method,
    '/',
    canonicalQuery,
    names.map((name) => `${name}:${headers[name] ?? ''}\n`).join(''),
    names.join(';'),
    sha256Hex(input.body),
  ].join('\n');
};

export const acs3StringToSign = (input: Acs3Input): string =>
  `ACS3-HMAC-SHA256\n${sha256Hex(acs3CanonicalRequest(input))}`;

/** The `Authorization` header value. */
export const signAliyunAcs3 = (input: Acs3Input): string => {
  const names = Object.keys(acs3SignedHeaders(input)).filter(isSigned).sort();
  const signature = createHmac('sha256', input.accessKeySecret).update(acs3StringToSign(input), 'utf8').digest('hex');
  return `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${names.join(';')},Signature=${signature}`;
};

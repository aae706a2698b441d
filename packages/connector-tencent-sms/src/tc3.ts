import { createHash, createHmac } from 'node:crypto';

/** Tencent Cloud API signature v3 (TC3-HMAC-SHA256), step by step. */
export type Tc3Input = {
  secretId: string;
  secretKey: string;
  /** First label of the host: `sms`, `cvm`. */
  service: string;
  /** Host without port, exactly as sent. */
  host: string;
  /** Exactly as sent, e.g. `application/json; charset=utf-8`. */
  contentType: string;
  /** Unix seconds, the X-TC-Timestamp header. */
  timestamp: number;
  /** The exact body bytes sent. */
  payload: string;
};

const tc3SignedHeaders = 'content-type;host';

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** UTC date of the timestamp: near midnight, UTC+8 would already be the next day. */
export const tc3Date = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10);

export const tc3CanonicalRequest = (input: Pick<Tc3Input, 'host' | 'contentType' | 'payload'>): string =>
  [
    'POST',
    '/',
    '',
    `content-type:${input.contentType}\nhost:${input.host}\n`,
    tc3SignedHeaders,
    sha256Hex(input.payload),
  ].join('\n');

export const tc3CredentialScope = (timestamp: number, service: string): string =>
  `${tc3Date(timestamp)}/${service}/tc3_request`;

export const tc3StringToSign = (input: Tc3Input): string =>
  [
    'TC3-HMAC-SHA256',
    String(input.timestamp),
    tc3CredentialScope(input.timestamp, input.service),
    sha256Hex(tc3CanonicalRequest(input)),
  ].join('\n');

export const tc3Signature = (input: Tc3Input): string => {
  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, tc3Date(input.timestamp)), input.service), 'tc3_request');
  return createHmac('sha256', signingKey).update(tc3StringToSign(input), 'utf8').digest('hex');
};

/** The `Authorization` header value. */
export const signTc3 = (input: Tc3Input): string =>
  `TC3-HMAC-SHA256 Credential=${input.secretId}/${tc3CredentialScope(input.timestamp, input.service)}, SignedHeaders=${tc3SignedHeaders}, Signature=${tc3Signature(input)}`;

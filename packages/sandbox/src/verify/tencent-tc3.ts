import { createHash, createHmac } from 'node:crypto';

import { secureEqual } from './secure-compare';

/**
 * Tencent Cloud API signature v3 (TC3-HMAC-SHA256), checked the way Tencent's gateway does: the
 * canonical request is rebuilt from what arrived (method, path, query, the headers the client says it
 * signed, the body bytes), with header names and values lowercased and trimmed.
 */
export type Tc3Authorization = {
  secretId: string;
  /** `yyyy-MM-dd` from the credential scope. */
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
};

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmacSha256 = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

const authorizationPattern =
  /^TC3-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

/** `TC3-HMAC-SHA256 Credential=AKID…/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=…` */
export const parseTc3Authorization = (value: string | undefined): Tc3Authorization | undefined => {
  const match = authorizationPattern.exec(value?.trim() ?? '');
  if (!match) {
    return undefined;
  }
  const [, secretId = '', date = '', service = '', signedHeaders = '', signature = ''] = match;
  return { secretId, date, service, signedHeaders: signedHeaders.split(';'), signature };
};

export const tc3CanonicalHeaders = (
  headers: Readonly<Record<string, string | undefined>>,
  signedHeaders: readonly string[]
): string =>
  signedHeaders
    .map((name) => `${name.toLowerCase()}:${(headers[name.toLowerCase()] ?? '').trim().toLowerCase()}\n`)
    .join('');

export const tc3CanonicalRequest = (input: {
  method: string;
  /** The path as received, `/` for Tencent's API. */
  uri: string;
  /** The query string as received (without `?`); empty for POST. */
  query: string;
  /** Lowercase header names → values as received. */
  headers: Readonly<Record<string, string | undefined>>;
  signedHeaders: readonly string[];
  payload: Buffer | string;
}): string =>
  [
    input.method.toUpperCase(),
    input.uri,
    input.query,
    tc3CanonicalHeaders(input.headers, input.signedHeaders),
    input.signedHeaders.join(';'),
    sha256Hex(input.payload),
  ].join('\n');

export const tc3StringToSign = (timestamp: string, credentialScope: string, canonicalRequest: string): string =>
  ['TC3-HMAC-SHA256', timestamp, credentialScope, sha256Hex(canonicalRequest)].join('\n');

export const tc3SigningKey = (secretKey: string, date: string, service: string): Buffer =>
  hmacSha256(hmacSha256(hmacSha256(`TC3${secretKey}`, date), service), 'tc3_request');

export const tc3SignatureOf = (signingKey: Buffer, stringToSign: string): string =>
  createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');

/** UTC date of a Unix timestamp in seconds. */
export const utcDateOf = (timestampSeconds: number): string =>
  new Date(timestampSeconds * 1000).toISOString().slice(0, 10);

export const tc3CredentialScope = (date: string, service: string): string => `${date}/${service}/tc3_request`;

/** The hex signature of a canonical request under a credential scope: what the verifier expects. */
const tc3RequestSignature = (input: {
  secretKey: string;
  date: string;
  service: string;
  /** X-TC-Timestamp exactly as sent. */
  timestamp: string;
  canonicalRequest: string;
}): string =>
  tc3SignatureOf(
    tc3SigningKey(input.secretKey, input.date, input.service),
    tc3StringToSign(input.timestamp, tc3CredentialScope(input.date, input.service), input.canonicalRequest)
  );

/**
 * The Authorization header for a POST to `/` that signs content-type and host, computed the way the
 * verifier checks it: the client side of the sandbox's own tests, so that they need no connector.
 */
export const tc3Authorization = (input: {
  secretId: string;
  secretKey: string;
  service: string;
  /** Unix seconds, sent as X-TC-Timestamp. */
  timestamp: number;
  /** The values signed (as sent, unless a test signs another host). */
  contentType: string;
  host: string;
  payload: string;
}): string => {
  const signedHeaders = ['content-type', 'host'];
  const date = utcDateOf(input.timestamp);
  const signature = tc3RequestSignature({
    secretKey: input.secretKey,
    date,
    service: input.service,
    timestamp: String(input.timestamp),
    canonicalRequest: tc3CanonicalRequest({
      method: 'POST',
      uri: '/',
      query: '',
      headers: { 'content-type': input.contentType, host: input.host },
      signedHeaders,
      payload: input.payload,
    }),
  });
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${tc3CredentialScope(date, input.service)}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
};

/** Tencent accepts a request for 5 minutes either side of its clock. */
export const tc3WindowSeconds = 300;

export type Tc3Failure = { code: string; message: string };

/**
 * Everything Tencent checks before the action runs. Order: Authorization shape, SecretId, timestamp
 * window, credential scope, signed headers, signature.
 */
export const verifyTc3Request = (input: {
  method: string;
  uri: string;
  query: string;
  headers: Readonly<Record<string, string | undefined>>;
  payload: Buffer | string;
  /** SecretId → SecretKey. */
  secrets: Readonly<Record<string, string>>;
  /** The service this endpoint is (`sms`). */
  service: string;
  nowMs: number;
}): Tc3Failure | undefined => {
  const authorization = parseTc3Authorization(input.headers.authorization);
  if (!authorization) {
    return {
      code: 'AuthFailure.InvalidAuthorization',
      message:
        'Authorization header is missing or does not follow TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<names>, Signature=<hex>.',
    };
  }
  const secretKey = Object.prototype.hasOwnProperty.call(input.secrets, authorization.secretId)
    ? input.secrets[authorization.secretId]
    : undefined;
  if (secretKey === undefined) {
    return {
      code: 'AuthFailure.SecretIdNotFound',
      message: 'The SecretId is not found, please ensure that your SecretId is correct.',
    };
  }
  const timestampText = input.headers['x-tc-timestamp']?.trim() ?? '';
  if (!/^\d{1,12}$/.test(timestampText)) {
    return {
      code: 'MissingParameter',
      message: 'The request is missing a valid X-TC-Timestamp header (Unix seconds).',
    };
  }
  const timestamp = Number(timestampText);
  const skew = Math.round(input.nowMs / 1000) - timestamp;
  if (Math.abs(skew) > tc3WindowSeconds) {
    return {
      code: 'AuthFailure.SignatureExpire',
      message: `Signature expired. Timestamp ${timestamp} is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} the server time ${Math.round(input.nowMs / 1000)}; it may differ by 5 minutes at most.`,
    };
  }
  if (authorization.date !== utcDateOf(timestamp) || authorization.service !== input.service) {
    return {
      code: 'AuthFailure.SignatureFailure',
      message: `The credential scope ${tc3CredentialScope(authorization.date, authorization.service)} is wrong: expected ${tc3CredentialScope(utcDateOf(timestamp), input.service)} (the UTC date of X-TC-Timestamp and the service).`,
    };
  }
  const signedHeaders = authorization.signedHeaders.map((name) => name.toLowerCase());
  if (!signedHeaders.includes('content-type') || !signedHeaders.includes('host')) {
    return {
      code: 'AuthFailure.SignatureFailure',
      message: `SignedHeaders must include content-type and host; got ${signedHeaders.join(';')}.`,
    };
  }
  const canonicalRequest = tc3CanonicalRequest({ ...input, signedHeaders });
  const expected = tc3RequestSignature({
    secretKey,
    date: authorization.date,
    service: authorization.service,
    timestamp: timestampText,
    canonicalRequest,
  });
  if (!secureEqual(expected, authorization.signature)) {
    return {
      code: 'AuthFailure.SignatureFailure',
      message: `The provided credentials could not be validated. Please check your signature is correct. Server canonical request: ${JSON.stringify(canonicalRequest)}`,
    };
  }
  return undefined;
};

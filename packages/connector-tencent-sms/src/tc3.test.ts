import { createHash } from 'node:crypto';

import {
  signTc3,
  tc3CanonicalRequest,
  tc3CredentialScope,
  tc3Date,
  tc3Signature,
  tc3StringToSign,
  type Tc3Input,
} from './tc3';
import { readFixture, recomputeTc3Authorization } from '../test/support';

type Vector = {
  inputs: {
    httpMethod: string;
    url: string;
    secretId: string;
    secretKey: string;
    service: string;
    timestamp: number;
    headers: Record<string, string>;
    signedHeaders: string;
    payload: string;
  };
  expected: Record<
    | 'date'
    | 'hashedRequestPayload'
    | 'canonicalRequest'
    | 'hashedCanonicalRequest'
    | 'credentialScope'
    | 'stringToSign'
    | 'signature'
    | 'authorization',
    string
  >;
};

// Tencent's documented TC3 example (CVM DescribeInstances), as published in Tencent Cloud's API signing guide.
const vector = readFixture('tencent-tc3-hmac-sha256-describeinstances.json') as Vector;
const { inputs, expected } = vector;

const input: Tc3Input = {
  secretId: inputs.secretId,
  secretKey: inputs.secretKey,
  service: inputs.service,
  host: new URL(inputs.url).host,
  contentType: inputs.headers['Content-Type'] ?? '',
  timestamp: inputs.timestamp,
  payload: inputs.payload,
};

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('TC3-HMAC-SHA256 against the documented Tencent vector', () => {
  it('hashes the payload bytes as given (literal \\u escapes, not decoded)', () => {
    expect(sha256Hex(input.payload)).toBe(expected.hashedRequestPayload);
  });

  it('takes the date in UTC (16:44Z is already the next day in UTC+8)', () => {
    expect(tc3Date(inputs.timestamp)).toBe(expected.date);
    expect(tc3Date(1_551_139_199)).toBe('2019-02-25'); // 23:59:59Z
    expect(tc3Date(1_551_139_200)).toBe('2019-02-26'); // 00:00:00Z
    // 23:30 UTC is already the next day in UTC+8; the scope must still say the UTC date.
    expect(tc3Date(Date.UTC(2024, 0, 1, 23, 30) / 1000)).toBe('2024-01-01');
  });

  it('builds the canonical request', () => {
    expect(tc3CanonicalRequest(input)).toBe(expected.canonicalRequest);
    expect(sha256Hex(tc3CanonicalRequest(input))).toBe(expected.hashedCanonicalRequest);
  });

  it('builds the credential scope and the string to sign', () => {
    expect(tc3CredentialScope(inputs.timestamp, inputs.service)).toBe(expected.credentialScope);
    expect(tc3StringToSign(input)).toBe(expected.stringToSign);
  });

  it('derives the signature and the Authorization header', () => {
    expect(tc3Signature(input)).toBe(expected.signature);
    expect(signTc3(input)).toBe(expected.authorization);
    expect(inputs.signedHeaders).toBe('content-type;host');
  });

  it('takes the host from the URL, as the Host header says it', () => {
    expect(input.host).toBe(inputs.headers.Host);
  });

  it('changes with any byte of the payload', () => {
    expect(tc3Signature({ ...input, payload: `${inputs.payload} ` })).not.toBe(expected.signature);
  });

  it('agrees with the independent recomputation the send tests use', () => {
    const wire = {
      method: inputs.httpMethod,
      path: new URL(inputs.url).pathname,
      headers: Object.fromEntries(Object.entries(inputs.headers).map(([name, value]) => [name.toLowerCase(), value])),
      body: inputs.payload,
    };
    expect(recomputeTc3Authorization(wire, inputs)).toBe(expected.authorization);
  });

  it('changes with every signed input (service sms, host with port, content type, body, key)', () => {
    const base = signTc3({ ...input, service: 'sms' });
    expect(base).toContain('/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host, Signature=');
    const variants = [
      signTc3({ ...input, service: 'sms', host: `${input.host}:8443` }),
      signTc3({ ...input, service: 'sms', contentType: 'application/json' }),
      signTc3({ ...input, service: 'sms', payload: `${input.payload} ` }),
      signTc3({ ...input, service: 'sms', secretKey: `${input.secretKey}x` }),
      signTc3({ ...input, service: 'sms', timestamp: input.timestamp + 1 }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});

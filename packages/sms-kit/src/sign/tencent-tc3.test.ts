import { URL } from 'node:url';

import {
  signTc3,
  tc3CanonicalRequest,
  tc3CredentialScope,
  tc3Date,
  tc3Signature,
  tc3StringToSign,
} from './tencent-tc3';
import { readVector } from '../../test/vectors';

type Tc3Vector = {
  inputs: {
    url: string;
    secretId: string;
    secretKey: string;
    service: string;
    timestamp: number;
    headers: Record<string, string>;
    payload: string;
  };
  expected: {
    date: string;
    canonicalRequest: string;
    credentialScope: string;
    stringToSign: string;
    signature: string;
    authorization: string;
  };
};

describe('Tencent TC3-HMAC-SHA256 against the documented vector', () => {
  const { inputs, expected } = readVector<Tc3Vector>('tencent-tc3-hmac-sha256-describeinstances.json');
  const input = {
    secretId: inputs.secretId,
    secretKey: inputs.secretKey,
    service: inputs.service,
    host: new URL(inputs.url).host,
    contentType: inputs.headers['Content-Type'] ?? '',
    timestamp: inputs.timestamp,
    payload: inputs.payload,
  };

  it('takes the UTC date of the timestamp', () => {
    expect(tc3Date(inputs.timestamp)).toBe(expected.date);
    // 23:30 UTC is already the next day in UTC+8; the scope must still say the UTC date.
    expect(tc3Date(Date.UTC(2024, 0, 1, 23, 30) / 1000)).toBe('2024-01-01');
  });

  it('builds the canonical request', () => {
    expect(tc3CanonicalRequest(input)).toBe(expected.canonicalRequest);
  });

  it('builds the credential scope and the string to sign', () => {
    expect(tc3CredentialScope(inputs.timestamp, inputs.service)).toBe(expected.credentialScope);
    expect(tc3StringToSign(input)).toBe(expected.stringToSign);
  });

  it('reproduces the signature and the Authorization header', () => {
    expect(tc3Signature(input)).toBe(expected.signature);
    expect(signTc3(input)).toBe(expected.authorization);
  });

  it('changes with any byte of the payload', () => {
    expect(tc3Signature({ ...input, payload: `${inputs.payload} ` })).not.toBe(expected.signature);
  });
});

import { acs3CanonicalRequest, acs3StringToSign, signAliyunAcs3 } from './aliyun-acs3';
import { readVector } from '../../test/vectors';

type Acs3Vector = {
  inputs: {
    method: 'GET' | 'POST';
    query: Record<string, string>;
    headers: Record<string, string>;
    body: string;
    accessKeyId: string;
    accessKeySecret: string;
  };
  expected: { canonicalRequest: string; stringToSign: string; authorization: string };
};

describe('Aliyun ACS3-HMAC-SHA256 against the documented vector', () => {
  const { inputs, expected } = readVector<Acs3Vector>('aliyun-acs3-hmac-sha256-runinstances.json');

  it('builds the canonical request', () => {
    expect(acs3CanonicalRequest(inputs)).toBe(expected.canonicalRequest);
  });

  it('builds the string to sign', () => {
    expect(acs3StringToSign(inputs)).toBe(expected.stringToSign);
  });

  it('reproduces the Authorization header', () => {
    expect(signAliyunAcs3(inputs)).toBe(expected.authorization);
  });
});

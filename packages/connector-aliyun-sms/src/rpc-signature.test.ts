import {
  aliyunCanonicalQuery,
  aliyunFormBody,
  aliyunStringToSign,
  aliyunTimestamp,
  signAliyunRpc,
} from './rpc-signature';
import { rpcVectors } from '../test/support';

describe('Aliyun RPC HMAC-SHA1 against the documented vectors', () => {
  it('has the three documented vectors', () => {
    expect(Object.keys(rpcVectors).sort()).toEqual(['describededicatedhosts', 'describeregions', 'sendsms']);
  });

  describe.each(Object.entries(rpcVectors))('%s', (_name, { inputs, expected }) => {
    it('builds the canonical query string', () => {
      expect(aliyunCanonicalQuery(inputs.params)).toBe(expected.canonicalizedQueryString);
    });

    it('builds the string to sign', () => {
      expect(aliyunStringToSign(inputs.httpMethod, expected.canonicalizedQueryString)).toBe(expected.stringToSign);
    });

    it('reproduces the signature', () => {
      expect(signAliyunRpc(inputs.httpMethod, inputs.params, inputs.accessKeySecret)).toBe(expected.signature);
    });
  });

  const sendSms = rpcVectors.sendsms!;

  it('ignores a Signature parameter already present', () => {
    const { inputs, expected } = sendSms;
    expect(signAliyunRpc('GET', { ...inputs.params, Signature: 'stale' }, inputs.accessKeySecret)).toBe(
      expected.signature
    );
  });

  it('depends on the HTTP verb and the exact secret', () => {
    const { inputs, expected } = sendSms;
    expect(signAliyunRpc('POST', inputs.params, inputs.accessKeySecret)).not.toBe(expected.signature);
    // The documented trap: a lowercase secret gives another signature.
    expect(signAliyunRpc('GET', inputs.params, 'testsecret')).toBe('EpROzuoKhdewdxdmVWhll2qdKbk=');
  });

  it('sorts by encoded name, not by the joined pair', () => {
    expect(aliyunCanonicalQuery({ 'A.1': 'x', A: 'y', 'A-B': 'z' })).toBe('A=y&A-B=z&A.1=x');
  });

  it('encodes the form body the way it was signed', () => {
    expect(aliyunFormBody({ SignName: '阿里云', TemplateParam: '{"code":"1 2*"}' })).toBe(
      'SignName=%E9%98%BF%E9%87%8C%E4%BA%91&TemplateParam=%7B%22code%22%3A%221%202%2A%22%7D'
    );
  });

  it('formats timestamps in UTC without milliseconds', () => {
    expect(aliyunTimestamp(new Date('2024-01-01T08:09:10.123+08:00'))).toBe('2024-01-01T00:09:10Z');
  });
});

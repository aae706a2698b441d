import { createSandboxRedactor } from './redact';
import { requestSecrets } from './server';

describe('createSandboxRedactor', () => {
  const { text, deep } = createSandboxRedactor(['s3cr3t/value', 'abc', undefined]);

  it('replaces a secret in its plain, URL-encoded and base64 forms', () => {
    expect(text('key=s3cr3t/value&x=s3cr3t%2Fvalue b64=czNjcjN0L3ZhbHVl')).toBe(
      'key=[redacted]&x=[redacted] b64=[redacted]'
    );
  });

  it('leaves values shorter than 4 characters alone (they would shred ordinary text)', () => {
    expect(text('abc abcdef')).toBe('abc abcdef');
  });

  it('walks objects and arrays, keeping keys and other values', () => {
    expect(deep({ a: ['s3cr3t/value', 1], b: { c: 'x s3cr3t/value y' }, d: null })).toEqual({
      a: ['[redacted]', 1],
      b: { c: 'x [redacted] y' },
      d: null,
    });
  });
});

describe('requestSecrets (what a request carried that the log and inbox must never show)', () => {
  const request = (headers: Record<string, string>, body = '') => ({
    method: 'POST',
    path: '/',
    rawQuery: '',
    query: new URLSearchParams(),
    headers,
    body: Buffer.from(body),
  });

  it("includes Aliyun's Signature form field", () => {
    expect(requestSecrets(request({}, 'AccessKeyId=LTAI1&Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D'))).toContain(
      'zJDF+Lrzhj/ThnlvIToysFRq6t4='
    );
  });

  it("includes the signature of Tencent's TC3 Authorization alone", () => {
    const authorization =
      'TC3-HMAC-SHA256 Credential=AKID1/2026-12-01/sms/tc3_request, SignedHeaders=content-type;host, Signature=0a1b2c3d4e5f';
    expect(requestSecrets(request({ authorization }))).toEqual(expect.arrayContaining([authorization, '0a1b2c3d4e5f']));
  });

  it('includes each Standard Webhooks signature alone', () => {
    const secrets = requestSecrets(request({ 'webhook-signature': 'v1,DqQxSignatureOne= v1,SecondSignature2=' }));
    expect(secrets).toEqual(
      expect.arrayContaining(['v1,DqQxSignatureOne= v1,SecondSignature2=', 'DqQxSignatureOne=', 'SecondSignature2='])
    );
    expect(secrets).not.toContain('v1');
  });
});

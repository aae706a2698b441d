import { createSandboxRedactor } from './redact';

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

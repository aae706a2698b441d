import { authorizationSecrets, createRedactor, secretsOf } from './redact';

describe('createRedactor', () => {
  const redact = createRedactor(['tok/en+1=', undefined, 'abc', 'longer-secret']);

  it.each([
    ['auth tok/en+1= here', 'auth [redacted] here'],
    ['url tok%2Fen%2B1%3D', 'url [redacted]'],
    [`basic ${Buffer.from('tok/en+1=').toString('base64')}`, 'basic [redacted]'],
    ['twice longer-secret longer-secret', 'twice [redacted] [redacted]'],
    ['abc is too short to be treated as a secret', 'abc is too short to be treated as a secret'],
  ])('%j → %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('is the identity without secrets', () => {
    expect(createRedactor([])('anything')).toBe('anything');
  });
});

describe('secretsOf and authorizationSecrets', () => {
  it('collects string and object-valued secret fields', () => {
    expect(
      secretsOf({ authToken: 't0ken', headers: { 'x-api-key': 'k3y', other: 1 }, plain: 'p' }, ['authToken', 'headers', 'missing'])
    ).toEqual(['t0ken', 'k3y']);
  });

  it('registers the Authorization value and its credential', () => {
    expect(authorizationSecrets({ Authorization: 'Basic QUM6dG9r', accept: 'json' })).toEqual(['Basic QUM6dG9r', 'QUM6dG9r']);
  });

  it('registers the signature of a signed scheme alone too', () => {
    const value = 'TC3-HMAC-SHA256 Credential=AKID/2024-01-01/sms/tc3_request, SignedHeaders=content-type;host, Signature=0a1b2c3d';
    expect(authorizationSecrets({ authorization: value })).toEqual([
      value,
      'Credential=AKID/2024-01-01/sms/tc3_request, SignedHeaders=content-type;host, Signature=0a1b2c3d',
      '0a1b2c3d',
    ]);
  });
});

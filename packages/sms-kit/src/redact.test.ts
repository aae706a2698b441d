import { authorizationSecrets, redactedMark, createRedactor, requestSecrets, secretsOf, wireFormsOf } from './redact';

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

  // Each form a provider may quote back: the secret `my secret(1)/ü"x` as it travels in each encoding.
  const secret = 'my secret(1)/ü"x';
  it.each([
    ['raw', secret],
    ['JSON string', JSON.stringify(secret).slice(1, -1)],
    ['encodeURIComponent', encodeURIComponent(secret)],
    ['RFC 3986, strict (how Aliyun signs)', 'my%20secret%281%29%2F%C3%BC%22x'],
    ['form (URLSearchParams)', new URLSearchParams({ s: secret }).toString().slice(2)],
    ['form, lower-case hex', 'my+secret%281%29%2f%c3%bc%22x'],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
  ])('redacts the %s form', (_form, wire) => {
    expect(createRedactor([secret])(`echo: ${wire} :end`)).toBe(`echo: ${redactedMark} :end`);
  });

  it('finds the form encoding of a secret with a space and parentheses (Vonage api_secret)', () => {
    expect(createRedactor(['my secret(1)'])('api_key=abcd&api_secret=my+secret%281%29&to=1')).toBe(
      `api_key=abcd&api_secret=${redactedMark}&to=1`
    );
    expect(wireFormsOf('my secret(1)')).toContain('my+secret%281%29');
  });

  it('is the identity without secrets', () => {
    expect(createRedactor([])('anything')).toBe('anything');
  });
});

describe('secretsOf and authorizationSecrets', () => {
  it('collects string and object-valued secret fields', () => {
    expect(
      secretsOf({ authToken: 't0ken', headers: { 'x-api-key': 'k3y', other: 1 }, plain: 'p' }, [
        'authToken',
        'headers',
        'missing',
      ])
    ).toEqual(['t0ken', 'k3y']);
  });

  it('registers the Authorization value and its credential', () => {
    expect(authorizationSecrets({ Authorization: 'Basic QUM6dG9r', accept: 'json' })).toEqual([
      'Basic QUM6dG9r',
      'QUM6dG9r',
    ]);
  });

  it('registers the signature of a signed scheme alone too', () => {
    const value =
      'TC3-HMAC-SHA256 Credential=AKID/2024-01-01/sms/tc3_request, SignedHeaders=content-type;host, Signature=0a1b2c3d';
    expect(authorizationSecrets({ authorization: value })).toEqual([
      value,
      'Credential=AKID/2024-01-01/sms/tc3_request, SignedHeaders=content-type;host, Signature=0a1b2c3d',
      '0a1b2c3d',
    ]);
  });
});

describe('requestSecrets', () => {
  it('collects declared secrets, Authorization, every credential-named header and each part of a signature list', () => {
    expect(
      requestSecrets({
        url: 'https://sms.example.com/send',
        headers: {
          authorization: 'Bearer t0ken-value',
          'webhook-signature': 'v1,DqQxSig1= v1,SecondSig2=',
          'x-api-key': 'k3y-value',
          'content-type': 'application/json',
          'webhook-id': 'msg_1',
        },
        secrets: ['form-signature='],
      })
    ).toEqual([
      'form-signature=',
      'Bearer t0ken-value',
      't0ken-value',
      'v1,DqQxSig1= v1,SecondSig2=',
      'v1',
      'DqQxSig1=',
      'v1',
      'SecondSig2=',
      'k3y-value',
      'k3y-value',
    ]);
  });

  it('collects a password in the URL, raw, decoded and with its user', () => {
    expect(requestSecrets({ url: 'https://user:p%40ss-word@gw.example.com/', headers: {} })).toEqual([
      'p%40ss-word',
      'p@ss-word',
      'user:p%40ss-word',
    ]);
  });

  it('never throws on a URL that does not parse', () => {
    expect(requestSecrets({ url: 'not a url', headers: {} })).toEqual([]);
  });
});

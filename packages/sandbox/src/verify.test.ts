import { readFileSync } from 'node:fs';

import { Webhook } from 'standardwebhooks';

import {
  aliyunCanonicalizedQuery,
  aliyunFormBody,
  aliyunHmacKey,
  aliyunRpcSignature,
  aliyunStringToSign,
  formatAliyunTimestamp,
  parseAliyunTimestamp,
  verifyAliyunRpcRequest,
} from './verify/aliyun-rpc';
import { parseBasicAuthorization, verifyBasic } from './verify/basic-auth';
import { rfc3986Encode } from './verify/percent-encode';
import { ReplayGuard } from './verify/replay-guard';
import { secureEqual } from './verify/secure-compare';
import { verifyWebhook, webhookHeadersFor, webhookKeyOf, webhookSignatureOf } from './verify/standard-webhooks';
import {
  parseTc3Authorization,
  tc3Authorization,
  tc3CanonicalRequest,
  tc3SignatureOf,
  tc3SigningKey,
  tc3StringToSign,
  utcDateOf,
  verifyTc3Request,
} from './verify/tencent-tc3';

const fixture = <Shape>(name: string): Shape =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), 'utf8')) as Shape;

type AliyunVector = {
  inputs: { httpMethod: string; accessKeyId: string; accessKeySecret: string; params: Record<string, string> };
  expected: {
    canonicalizedQueryString: string;
    stringToSign: string;
    signature: string;
    hmacKey?: string;
    signedUrl?: string;
  };
};

type TencentVector = {
  inputs: {
    httpMethod: string;
    secretId: string;
    secretKey: string;
    service: string;
    timestamp: number;
    headers: Record<string, string>;
    signedHeaders: string;
    payload: string;
  };
  expected: {
    date: string;
    canonicalRequest: string;
    hashedCanonicalRequest: string;
    credentialScope: string;
    stringToSign: string;
    signature: string;
    authorization: string;
  };
};

const aliyunVectors = [
  'aliyun-rpc-hmacsha1-describeregions',
  'aliyun-rpc-hmacsha1-sendsms',
  'aliyun-rpc-hmacsha1-describededicatedhosts',
].map((name) => [name, fixture<AliyunVector>(name)] as const);

describe('RFC 3986 percent-encoding', () => {
  it.each([
    ['AZaz09-_.~', 'AZaz09-_.~'],
    [' ', '%20'],
    ['*', '%2A'],
    ['+', '%2B'],
    ['/', '%2F'],
    [':', '%3A'],
    ["!'()", '%21%27%28%29'],
    ['阿', '%E9%98%BF'],
    ['✓', '%E2%9C%93'],
    ['{"code":"1"}', '%7B%22code%22%3A%221%22%7D'],
  ])('%j → %s', (input, encoded) => {
    expect(rfc3986Encode(input)).toBe(encoded);
  });
});

describe('Aliyun RPC HMAC-SHA1 verifier against the documented vectors', () => {
  it.each(aliyunVectors)('%s: canonical query, string to sign, key and signature', (_name, { inputs, expected }) => {
    const canonical = aliyunCanonicalizedQuery(inputs.params);
    expect(canonical).toBe(expected.canonicalizedQueryString);
    expect(aliyunStringToSign(inputs.httpMethod, canonical)).toBe(expected.stringToSign);
    if (expected.hmacKey) {
      expect(aliyunHmacKey(inputs.accessKeySecret)).toBe(expected.hmacKey);
    }
    expect(aliyunRpcSignature(inputs.httpMethod, inputs.params, inputs.accessKeySecret)).toBe(expected.signature);
  });

  it.each(aliyunVectors)(
    '%s: the whole check accepts the signed request at its own time',
    (_name, { inputs, expected }) => {
      const nowMs = parseAliyunTimestamp(inputs.params.Timestamp ?? '') ?? 0;
      expect(nowMs).toBeGreaterThan(0);
      const verdict = verifyAliyunRpcRequest({
        method: inputs.httpMethod,
        params: { ...inputs.params, Signature: expected.signature },
        secrets: { [inputs.accessKeyId]: inputs.accessKeySecret },
        nowMs,
        nonces: new ReplayGuard(60_000),
      });
      expect(verdict).toBeUndefined();
    }
  );

  // The documented signed URLs list the parameters in their own order; the encoded pairs are what count.
  it.each(aliyunVectors.filter(([, vector]) => vector.expected.signedUrl))(
    '%s: the signed parameters encode to the pairs of the documented signed URL',
    (_name, { inputs, expected }) => {
      const sent = aliyunFormBody({ ...inputs.params, Signature: expected.signature });
      const documented = new URL(expected.signedUrl ?? '').search.slice(1);
      expect(sent.split('&').sort()).toEqual(documented.split('&').sort());
    }
  );

  it.each(aliyunVectors)('%s: formats its Timestamp back to the documented shape', (_name, { inputs }) => {
    const timestamp = inputs.params.Timestamp ?? '';
    expect(formatAliyunTimestamp(parseAliyunTimestamp(timestamp) ?? 0)).toBe(timestamp);
  });

  it('formats a timestamp in UTC to the second, milliseconds dropped', () => {
    expect(formatAliyunTimestamp(Date.parse('2024-01-01T08:09:10.123+08:00'))).toBe('2024-01-01T00:09:10Z');
  });

  it('ignores a Signature parameter and sorts by encoded name, not by the joined pair', () => {
    expect(aliyunCanonicalizedQuery({ Ab: '2', A: '1', Signature: 'x', 'A.1': '3' })).toBe('A=1&A.1=3&Ab=2');
  });

  describe('failures, with Aliyun codes', () => {
    const [, { inputs, expected }] = aliyunVectors[1]!;
    const nowMs = parseAliyunTimestamp(inputs.params.Timestamp ?? '') ?? 0;
    const check = (
      params: Record<string, string>,
      { method = inputs.httpMethod, at = nowMs, nonces = new ReplayGuard(15 * 60_000) } = {}
    ) =>
      verifyAliyunRpcRequest({
        method,
        params,
        secrets: { [inputs.accessKeyId]: inputs.accessKeySecret },
        nowMs: at,
        nonces,
      });
    const signed = { ...inputs.params, Signature: expected.signature };

    it.each([
      ['no AccessKeyId', { ...signed, AccessKeyId: '' }, 400, 'MissingAccessKeyId'],
      ['no Signature', { ...signed, Signature: '' }, 400, 'MissingSignature'],
      ['no SignatureNonce', { ...signed, SignatureNonce: '' }, 400, 'MissingSignatureNonce'],
      ['no Timestamp', { ...signed, Timestamp: '' }, 400, 'MissingTimestamp'],
      ['HMAC-SHA256 method', { ...signed, SignatureMethod: 'HMAC-SHA256' }, 400, 'InvalidParameter.SignatureMethod'],
      ['version 2.0', { ...signed, SignatureVersion: '2.0' }, 400, 'InvalidParameter.SignatureVersion'],
      ['unknown key', { ...signed, AccessKeyId: 'nobody' }, 404, 'InvalidAccessKeyId.NotFound'],
      [
        'milliseconds in Timestamp',
        { ...signed, Timestamp: '2017-07-12T02:42:19.000Z' },
        400,
        'InvalidTimeStamp.Format',
      ],
      ['local time', { ...signed, Timestamp: '2017-07-12 10:42:19' }, 400, 'InvalidTimeStamp.Format'],
      ['impossible date', { ...signed, Timestamp: '2017-02-31T02:42:19Z' }, 400, 'InvalidTimeStamp.Format'],
      ['another signature', { ...signed, Signature: 'EpROzuoKhdewdxdmVWhll2qdKbk=' }, 400, 'SignatureDoesNotMatch'],
      ['a changed parameter', { ...signed, PhoneNumbers: '15300000002' }, 400, 'SignatureDoesNotMatch'],
    ])('%s → %i %s', (_case, params, status, code) => {
      expect(check(params)).toMatchObject({ status, code });
    });

    it('the HTTP method is part of the signature', () => {
      expect(check(signed, { method: 'POST' })).toMatchObject({ code: 'SignatureDoesNotMatch' });
    });

    it('SignatureDoesNotMatch shows the server string to sign, never the secret', () => {
      const failure = check({ ...signed, Signature: 'AAAA' });
      expect(failure?.message).toContain(expected.stringToSign);
      expect(failure?.message).not.toContain(inputs.accessKeySecret);
    });

    it.each([
      ['15 minutes early', -15 * 60_000, undefined],
      ['15 minutes late', 15 * 60_000, undefined],
      ['15 minutes and a second late', 15 * 60_000 + 1000, 'InvalidTimeStamp.Expired'],
      ['15 minutes and a second early', -15 * 60_000 - 1000, 'InvalidTimeStamp.Expired'],
    ])('a request %s is %s', (_case, offset, code) => {
      const verdict = check(signed, { at: nowMs + offset });
      expect(verdict?.code).toBe(code);
    });

    it('a nonce is accepted once per key, and only once the signature is right', () => {
      const nonces = new ReplayGuard(15 * 60_000);
      expect(check({ ...signed, Signature: 'AAAA' }, { nonces })).toMatchObject({ code: 'SignatureDoesNotMatch' });
      expect(check(signed, { nonces })).toBeUndefined();
      expect(check(signed, { nonces })).toMatchObject({ status: 400, code: 'SignatureNonceUsed' });
    });
  });
});

describe('Tencent TC3-HMAC-SHA256 verifier against the documented vector', () => {
  const { inputs, expected } = fixture<TencentVector>('tencent-tc3-hmac-sha256-describeinstances');
  const headers = Object.fromEntries(
    Object.entries(inputs.headers).map(([name, value]) => [name.toLowerCase(), value])
  );
  const request = {
    method: inputs.httpMethod,
    uri: '/',
    query: '',
    headers: { ...headers, authorization: expected.authorization },
    payload: inputs.payload,
    secrets: { [inputs.secretId]: inputs.secretKey },
    service: inputs.service,
    nowMs: inputs.timestamp * 1000,
  };

  it('reproduces every intermediate value', () => {
    expect(utcDateOf(inputs.timestamp)).toBe(expected.date);
    const canonical = tc3CanonicalRequest({
      method: inputs.httpMethod,
      uri: '/',
      query: '',
      headers,
      signedHeaders: inputs.signedHeaders.split(';'),
      payload: inputs.payload,
    });
    expect(canonical).toBe(expected.canonicalRequest);
    const stringToSign = tc3StringToSign(String(inputs.timestamp), expected.credentialScope, canonical);
    expect(stringToSign).toBe(expected.stringToSign);
    expect(stringToSign.split('\n')[3]).toBe(expected.hashedCanonicalRequest);
    expect(tc3SignatureOf(tc3SigningKey(inputs.secretKey, expected.date, inputs.service), stringToSign)).toBe(
      expected.signature
    );
  });

  it('signs the documented request into the documented Authorization header', () => {
    expect(
      tc3Authorization({
        secretId: inputs.secretId,
        secretKey: inputs.secretKey,
        service: inputs.service,
        timestamp: inputs.timestamp,
        contentType: headers['content-type'] ?? '',
        host: headers.host ?? '',
        payload: inputs.payload,
      })
    ).toBe(expected.authorization);
  });

  it('parses the Authorization header', () => {
    expect(parseTc3Authorization(expected.authorization)).toEqual({
      secretId: inputs.secretId,
      date: expected.date,
      service: inputs.service,
      signedHeaders: ['content-type', 'host'],
      signature: expected.signature,
    });
    expect(parseTc3Authorization('TC3-HMAC-SHA256 Credential=x')).toBeUndefined();
    expect(parseTc3Authorization(undefined)).toBeUndefined();
  });

  it('accepts the documented request at its own time', () => {
    expect(verifyTc3Request(request)).toBeUndefined();
  });

  it.each([
    ['5 minutes later', 300, undefined],
    ['5 minutes earlier', -300, undefined],
    ['5 minutes and a second later', 301, 'AuthFailure.SignatureExpire'],
    ['5 minutes and a second earlier', -301, 'AuthFailure.SignatureExpire'],
  ])('checked %s: %s', (_case, offsetSeconds, code) => {
    expect(verifyTc3Request({ ...request, nowMs: (inputs.timestamp + offsetSeconds) * 1000 })?.code).toBe(code);
  });

  it.each([
    [
      'no Authorization',
      'AuthFailure.InvalidAuthorization',
      { headers: { ...request.headers, authorization: undefined } },
    ],
    ['unknown SecretId', 'AuthFailure.SecretIdNotFound', { secrets: { other: inputs.secretKey } }],
    ['wrong SecretKey', 'AuthFailure.SignatureFailure', { secrets: { [inputs.secretId]: 'wrong' } }],
    ['changed body', 'AuthFailure.SignatureFailure', { payload: `${inputs.payload} ` }],
    [
      'another host',
      'AuthFailure.SignatureFailure',
      { headers: { ...request.headers, host: 'sms.tencentcloudapi.com' } },
    ],
    ['another service', 'AuthFailure.SignatureFailure', { service: 'sms' }],
    ['no X-TC-Timestamp', 'MissingParameter', { headers: { ...request.headers, 'x-tc-timestamp': undefined } }],
  ])('%s → %s', (_case, code, change) => {
    expect(verifyTc3Request({ ...request, ...change } as typeof request)?.code).toBe(code);
  });

  it('refuses a credential date that is not the UTC date of X-TC-Timestamp (UTC+8 is already the next day)', () => {
    const authorization = expected.authorization.replace(expected.date, '2019-02-26');
    const failure = verifyTc3Request({ ...request, headers: { ...request.headers, authorization } });
    expect(failure).toMatchObject({ code: 'AuthFailure.SignatureFailure' });
    expect(failure?.message).toContain('2019-02-25/cvm/tc3_request');
  });

  it('refuses SignedHeaders without host', () => {
    const authorization = expected.authorization.replace(
      'SignedHeaders=content-type;host',
      'SignedHeaders=content-type'
    );
    expect(verifyTc3Request({ ...request, headers: { ...request.headers, authorization } })?.code).toBe(
      'AuthFailure.SignatureFailure'
    );
  });
});

describe('Standard Webhooks verifier against the reference library', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = JSON.stringify({ to: '16505550100', type: 'Generic', payload: { code: '123456' } });
  const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const timestamp = 1_700_000_000;
  const reference = new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
  const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': reference };
  const nowMs = timestamp * 1000;

  it('computes the signature the reference library computes', () => {
    expect(`v1,${webhookSignatureOf(webhookKeyOf(secret), id, String(timestamp), body)}`).toBe(reference);
    expect(webhookKeyOf(secret)).toEqual(webhookKeyOf(secret.slice('whsec_'.length)));
  });

  it('signs a delivery into the headers the reference library signs, and verifies them', () => {
    expect(webhookHeadersFor(secret, body, { id, timestamp })).toEqual(headers);
    const fresh = webhookHeadersFor(secret, body);
    expect(new Webhook(secret).verify(body, fresh)).toEqual(JSON.parse(body));
    expect(fresh['webhook-id']).not.toBe(webhookHeadersFor(secret, body)['webhook-id']);
  });

  it('accepts what the reference library signs, and what it accepts we accept', () => {
    expect(verifyWebhook({ secret, headers, body, nowMs })).toBeUndefined();
    expect(verifyWebhook({ secret, headers, body: Buffer.from(body), nowMs })).toBeUndefined();
  });

  it('accepts when any of several signatures matches (key rotation)', () => {
    const rotated = { ...headers, 'webhook-signature': `v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${reference}` };
    expect(verifyWebhook({ secret, headers: rotated, body, nowMs })).toBeUndefined();
  });

  it.each([
    ['a changed body', 'invalid_signature', { body: body.replace('123456', '654321') }],
    ['another secret', 'invalid_signature', { secret: 'whsec_c2FuZGJveC1vdGhlci1zZWNyZXQtMTIzNDU2' }],
    [
      'a v2 scheme',
      'invalid_signature',
      { headers: { ...headers, 'webhook-signature': reference.replace('v1,', 'v2,') } },
    ],
    ['another id', 'invalid_signature', { headers: { ...headers, 'webhook-id': 'msg_other' } }],
    ['no signature header', 'missing_signature', { headers: { ...headers, 'webhook-signature': undefined } }],
    ['no id header', 'missing_signature', { headers: { ...headers, 'webhook-id': '' } }],
    [
      'a timestamp that is not a number',
      'timestamp_out_of_range',
      { headers: { ...headers, 'webhook-timestamp': 'soon' } },
    ],
    ['checked 5 minutes and a second later', 'timestamp_out_of_range', { nowMs: nowMs + 301_000 }],
    ['checked 5 minutes and a second earlier', 'timestamp_out_of_range', { nowMs: nowMs - 301_000 }],
  ])('refuses %s → %s', (_case, code, change) => {
    expect(verifyWebhook({ secret, headers, body, nowMs, ...change })?.code).toBe(code);
  });

  it('accepts 5 minutes of skew either way', () => {
    expect(verifyWebhook({ secret, headers, body, nowMs: nowMs + 300_000 })).toBeUndefined();
    expect(verifyWebhook({ secret, headers, body, nowMs: nowMs - 300_000 })).toBeUndefined();
  });

  it('refuses a replayed webhook-id', () => {
    const seenIds = new ReplayGuard(600_000);
    expect(verifyWebhook({ secret, headers, body, nowMs, seenIds })).toBeUndefined();
    expect(verifyWebhook({ secret, headers, body, nowMs, seenIds })?.code).toBe('replayed');
  });
});

describe('Basic authorization', () => {
  const header = `Basic ${Buffer.from('user:pa:ss').toString('base64')}`;

  it('splits at the first colon, scheme case-insensitive', () => {
    expect(parseBasicAuthorization(header)).toEqual({ user: 'user', password: 'pa:ss' });
    expect(parseBasicAuthorization(header.replace('Basic', 'basic'))).toEqual({ user: 'user', password: 'pa:ss' });
    expect(parseBasicAuthorization(`Basic ${Buffer.from('token:').toString('base64')}`)).toEqual({
      user: 'token',
      password: '',
    });
  });

  it.each([undefined, '', 'Bearer abc', `Basic ${Buffer.from('nocolon').toString('base64')}`])(
    '%j is not a credential',
    (value) => {
      expect(parseBasicAuthorization(value)).toBeUndefined();
    }
  );

  it('tells missing from wrong', () => {
    expect(verifyBasic(header, { user: 'user', password: 'pa:ss' })).toBe('ok');
    expect(verifyBasic(header, { user: 'user', password: 'other' })).toBe('wrong');
    expect(verifyBasic(header, { user: 'other', password: 'pa:ss' })).toBe('wrong');
    expect(verifyBasic(undefined, { user: 'user', password: 'pa:ss' })).toBe('missing');
  });

  it('compares in constant time whatever the lengths', () => {
    expect(secureEqual('abc', 'abc')).toBe(true);
    expect(secureEqual('abc', 'abcd')).toBe(false);
    expect(secureEqual('', '')).toBe(true);
  });
});

describe('ReplayGuard', () => {
  it('remembers a value for its window, then forgets it', () => {
    const guard = new ReplayGuard(1000);
    expect(guard.seen('a', 0)).toBe(false);
    expect(guard.seen('a', 999)).toBe(true);
    expect(guard.seen('b', 500)).toBe(false);
    expect(guard.seen('a', 1000)).toBe(false);
    expect(guard.size).toBe(2);
    expect(guard.seen('c', 5000)).toBe(false);
    expect(guard.size).toBe(1);
  });
});

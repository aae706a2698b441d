import { ConnectorError, ConnectorErrorCodes, TemplateType, type SendMessageData } from '@logto/connector-kit';
import { logtoResponseFor, providerFormItems } from '@sms-suite/sms-kit';
import {
  consoleSend,
  expectPost,
  interceptHttpWithNock,
  notImplemented,
  rejectionOf as rejection,
  storedConfigSend,
  type ReceivedRequest,
} from '@sms-suite/sms-kit/testing';
import nock from 'nock';
import { ZodError } from 'zod';

import createConnector, { metadata } from './index';
import { aliyun } from './provider';
import {
  accessKeyId,
  accessKeySecret,
  parseForm,
  referenceSignature,
  testConfig,
  timestampFormat,
  uuidV4,
} from '../test/support';

const endpoint = 'https://dysmsapi.aliyuncs.com';
const international = 'https://dysmsapi.ap-southeast-1.aliyuncs.com';
const requestId = 'F655A8D5-B967-440B-8683-DAD6FF8DE990';
const okBody = { Code: 'OK', Message: 'OK', BizId: '9006197469364984400', RequestId: requestId };

/** Logto's real flow: the config comes from getConfig, sendMessage gets one argument. */
const realSend = async (data: SendMessageData, config: unknown = testConfig) => {
  const { result, configIds } = await storedConfigSend(createConnector, data, config);
  expect(configIds).toEqual(['sms-suite-aliyun']);
  return result;
};

/** The console's Send (Generic, code 000000) with `config`. */
const consoleTest = async (config: unknown, to = '16502530000') => consoleSend(createConnector, { to }, config);

/** A send with `config` as the console passes it: SignIn with the code 123456 unless `data` says otherwise. */
const send = async (data: Partial<SendMessageData> & { to: string }, config: unknown = testConfig) =>
  consoleSend(createConnector, { type: TemplateType.SignIn, payload: { code: '123456' }, ...data }, config);

/** Expects one SendSms call to `base` and answers it with `status` and `body`. */
const expectAliyunCall = (status: number, body: unknown, base = endpoint) => expectPost(base, /.*/, { status, body });

/** The form fields of a request, decoded strictly. */
const formOf = (request: ReceivedRequest | undefined) => parseForm(request?.body ?? '');

/** Every field of a signed SendSms form, the signature recomputed independently over what was sent. */
const expectSignedForm = (
  request: ReceivedRequest | undefined,
  expected: { PhoneNumbers: string; TemplateCode: string; code: string; secret?: string },
  sentBetween: [Date, Date]
) => {
  expect(request).toBeDefined();
  const { Signature: signature, ...signed } = formOf(request);
  expect(signed).toEqual({
    AccessKeyId: accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: expected.PhoneNumbers,
    SignName: testConfig.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: expect.stringMatching(uuidV4),
    SignatureVersion: '1.0',
    TemplateCode: expected.TemplateCode,
    TemplateParam: JSON.stringify({ code: expected.code }),
    Timestamp: expect.stringMatching(timestampFormat),
    Version: '2017-05-25',
  });
  const sentAt = Date.parse(signed.Timestamp ?? '');
  expect(sentAt).toBeGreaterThanOrEqual(Math.floor(sentBetween[0].getTime() / 1000) * 1000);
  expect(sentAt).toBeLessThanOrEqual(sentBetween[1].getTime());
  expect(signature).toBe(referenceSignature('POST', signed, expected.secret ?? accessKeySecret));
};

/** Every header of a send: `content-length` is the byte length of the body that was sent. */
const expectedHeaders = (body: string | undefined, host = 'dysmsapi.aliyuncs.com') => ({
  host,
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'application/json',
  'content-length': String(Buffer.byteLength(body ?? '')),
  // nock swaps in its own agent for the kit's keep-alive one, so Node writes `connection: close`.
  connection: 'close',
});

interceptHttpWithNock();

describe('metadata', () => {
  it('has our own id, the target of the official Aliyun connector and the form of the provider', () => {
    expect(metadata).toMatchObject({ id: 'sms-suite-aliyun', target: 'aliyun-sms' });
    expect(metadata.name).toEqual({ en: 'Aliyun SMS (SMS Suite)', 'zh-CN': '阿里云短信 (SMS Suite)' });
    expect(metadata.formItems).toEqual(providerFormItems(aliyun));
  });
});

describe('sendMessage: full sends', () => {
  it('sends a sign-in code to a US number with the overseas template, fully signed (real flow)', async () => {
    const { scope, requests } = expectAliyunCall(200, okBody);
    const before = new Date();
    const result = await realSend({
      to: '16502530000',
      type: TemplateType.SignIn,
      payload: { code: '123456', locale: 'zh-CN', uiLocales: 'fr-CA fr en' },
      ip: '203.0.113.7',
    });
    const after = new Date();

    expect(result).toEqual({ messageId: '9006197469364984400', requestId });
    expect(scope.isDone()).toBe(true);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url).toBe('https://dysmsapi.aliyuncs.com/');
    expect(requests[0]?.headers).toEqual(expectedHeaders(requests[0]?.body));
    expectSignedForm(requests[0], { PhoneNumbers: '16502530000', TemplateCode: 'SMS_900001', code: '123456' }, [
      before,
      after,
    ]);
    // Percent-encoded exactly as signed: UTF-8 sign name, %20 never +.
    expect(requests[0]?.body).toContain('&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95&');
    expect(requests[0]?.body).toContain('&TemplateParam=%7B%22code%22%3A%22123456%22%7D&');
  });

  it('sends the example config of the official connector as it is', async () => {
    const official = {
      accessKeyId,
      accessKeySecret,
      signName: testConfig.signName,
      templates: [
        { templateCode: 'SMS_123456', usageType: 'Register' },
        { templateCode: 'SMS_234567', usageType: 'SignIn' },
        { templateCode: 'SMS_345678', usageType: 'Test' },
      ],
    };
    for (const [type, templateCode] of [
      [TemplateType.Register, 'SMS_123456'],
      [TemplateType.Generic, 'SMS_345678'],
      [TemplateType.MfaVerification, 'SMS_345678'],
    ] as const) {
      const { scope, requests } = expectAliyunCall(200, okBody);
      const before = new Date();
      await realSend({ to: '8613800138000', type, payload: { code: '654321', locale: 'en' } }, official);
      expect(scope.isDone()).toBe(true);
      expectSignedForm(requests[0], { PhoneNumbers: '13800138000', TemplateCode: templateCode, code: '654321' }, [
        before,
        new Date(),
      ]);
    }
  });

  it('uses a fresh nonce for every request', async () => {
    const first = expectAliyunCall(200, okBody);
    const second = expectAliyunCall(200, okBody);
    await send({ to: '16502530000' });
    await send({ to: '16502530000' });
    expect(formOf(first.requests[0]).SignatureNonce).toMatch(uuidV4);
    expect(formOf(second.requests[0]).SignatureNonce).toMatch(uuidV4);
    expect(formOf(first.requests[0]).SignatureNonce).not.toBe(formOf(second.requests[0]).SignatureNonce);
  });

  it.each<[string, string, string, string]>([
    ['United States (Logto form)', '16502530000', '16502530000', 'SMS_900001'],
    ['Canada', '14165550123', '14165550123', 'SMS_900001'],
    ['Hong Kong', '85291234567', '85291234567', 'SMS_900001'],
    ['Macau', '85366123456', '85366123456', 'SMS_900001'],
    ['Taiwan', '886912345678', '886912345678', 'SMS_900001'],
    ['mainland with 86', '8613800138000', '13800138000', 'SMS_100001'],
    ['mainland without 86', '13800138000', '13800138000', 'SMS_100001'],
    ['mainland typed with +86 and spaces', '+86 138 0013 8000', '13800138000', 'SMS_100001'],
  ])('%s: %s → PhoneNumbers %s with %s', async (_case, to, phoneNumbers, templateCode) => {
    const { scope, requests } = expectAliyunCall(200, okBody);
    const before = new Date();
    await send({ to });
    expect(scope.isDone()).toBe(true);
    expectSignedForm(requests[0], { PhoneNumbers: phoneNumbers, TemplateCode: templateCode, code: '123456' }, [
      before,
      new Date(),
    ]);
  });

  it('reads a number typed without a country code in the configured defaultRegion', async () => {
    const { requests } = expectAliyunCall(200, okBody);
    await send({ to: '(650) 253-0000' }, { ...testConfig, defaultRegion: 'US' });
    expect(formOf(requests[0])).toMatchObject({ PhoneNumbers: '16502530000', TemplateCode: 'SMS_900001' });
  });

  it.each<[string | undefined, string]>([
    ['en', 'SMS_910001'],
    ['en-US', 'SMS_910001'],
    ['EN_gb', 'SMS_910001'],
    ['fr', 'SMS_900001'],
    [undefined, 'SMS_900001'],
  ])('picks the template for locale %s: %s', async (locale, templateCode) => {
    const { requests } = expectAliyunCall(200, okBody);
    await send({ to: '16502530000', payload: { code: '123456', ...(locale && { locale }) } });
    expect(formOf(requests[0]).TemplateCode).toBe(templateCode);
  });

  it.each<[string, Record<string, unknown>]>([
    ['uiLocales', { code: '123456', locale: 'fr', uiLocales: 'fr-CA fr en' }],
    ['unknown payload keys', { code: '123456', link: 'https://x.test', expiresInMinutes: 10, app: { name: 'Acme' } }],
  ])('sends TemplateParam {"code":…} only, with %s in the payload', async (_case, payload) => {
    const { requests } = expectAliyunCall(200, okBody);
    await send({ to: '8613800138000', payload });
    expect(formOf(requests[0]).TemplateParam).toBe('{"code":"123456"}');
    expect(requests[0]?.body).not.toMatch(/fr-CA|uiLocales|x\.test|Acme/);
  });

  it.each([
    ['the international endpoint', international, international, 'dysmsapi.ap-southeast-1.aliyuncs.com'],
    ['an endpoint with a trailing slash', `${international}/`, international, 'dysmsapi.ap-southeast-1.aliyuncs.com'],
    ['the local sandbox', 'http://127.0.0.1:4010', 'http://127.0.0.1:4010', '127.0.0.1:4010'],
  ])('posts to %s', async (_case, configured, base, host) => {
    const { scope, requests } = expectAliyunCall(200, okBody, base);
    const before = new Date();
    await send({ to: '85291234567' }, { ...testConfig, endpoint: configured });
    expect(scope.isDone()).toBe(true);
    expect(requests[0]?.path).toBe('/');
    expect(requests[0]?.headers).toEqual(expectedHeaders(requests[0]?.body, host));
    expectSignedForm(requests[0], { PhoneNumbers: '85291234567', TemplateCode: 'SMS_900001', code: '123456' }, [
      before,
      new Date(),
    ]);
  });
});

describe('sendMessage: refused before any HTTP call', () => {
  it.each([
    ['a mainland number that is too short', '8612345'],
    ['a mainland landline', '861012345678'],
    ['a mainland number outside 13–19', '8612345678901'],
  ])('%s (%j) → invalid_request_parameters naming "to"', async (_case, to) => {
    const scope = nock(endpoint).post('/').reply(200, okBody);
    const error = await rejection(send({ to }));
    expect(scope.isDone()).toBe(false);
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.data).toBeInstanceOf(ZodError);
    const response = logtoResponseFor(error);
    expect(response.status).toBe(400);
    expect(response.code).toBe('connector.invalid_request_parameters');
    expect(response.toast).toMatch(
      /^The request is with wrong input parameter\(s\)\.\nError in key path "to": \(custom\) /
    );
  });

  it('refuses an international number when the template has only a china code', async () => {
    const scope = nock(endpoint).post('/').reply(200, okBody);
    const config = { ...testConfig, templates: [{ usageType: 'Generic', templateCode: { china: 'SMS_1' } }] };
    const error = await rejection(consoleTest(config, '16502530000'));
    expect(scope.isDone()).toBe(false);
    expect(logtoResponseFor(error).toast).toBe(
      'The request is with wrong input parameter(s).\nError in key path "to": (custom) International numbers are not served: the "Generic" template has no "overseas" code (only "china").'
    );
  });

  it('refuses an invalid config with invalid_config naming the key', async () => {
    const scope = nock(endpoint).post('/').reply(200, okBody);
    const error = await rejection(consoleTest({ ...testConfig, signName: '' }));
    expect(scope.isDone()).toBe(false);
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    const response = logtoResponseFor(error);
    expect(response.status).toBe(400);
    expect(response.toast).toMatch(/^The connector's config is invalid\.\nError in key path "signName": /);
  });

  it('refuses an http endpoint that is not loopback', async () => {
    const error = await rejection(consoleTest({ ...testConfig, endpoint: 'http://dysmsapi.aliyuncs.com' }));
    expect(logtoResponseFor(error).toast).toContain('Error in key path "endpoint"');
  });

  it('answers not_implemented when there is no config at all in the console', async () => {
    const connector = await createConnector({ getConfig: notImplemented });
    const error = await rejection(
      connector.sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } })
    );
    expect(logtoResponseFor(error)).toMatchObject({ status: 501, code: 'connector.not_implemented' });
  });

  it('refuses a payload without a code, and a missing payload, as ConnectorErrors', async () => {
    const scope = nock(endpoint).post('/').reply(200, okBody);
    const withoutCode = await rejection(send({ to: '16502530000', payload: { locale: 'en' } }));
    expect(logtoResponseFor(withoutCode).toast).toContain('Error in key path "payload.code"');
    const withoutPayload = await rejection(
      send({ to: '16502530000', payload: undefined as unknown as SendMessageData['payload'] })
    );
    expect(logtoResponseFor(withoutPayload).toast).toContain('Error in key path "payload.code"');
    expect(scope.isDone()).toBe(false);
  });
});

describe('sendMessage: provider failures', () => {
  it.each<[string, number, unknown, string, number, string]>([
    [
      'flow control inside HTTP 200',
      200,
      { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发小时级流控Permits:5', RequestId: requestId },
      'connector.rate_limit_exceeded',
      429,
      'Trigger rate limit. Please try again later.',
    ],
    [
      'an illegal number',
      200,
      { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: requestId },
      'connector.invalid_request_parameters',
      400,
      `The request is with wrong input parameter(s).\nError in key path "to": (custom) Aliyun isv.MOBILE_NUMBER_ILLEGAL: 非法手机号 (RequestId ${requestId})`,
    ],
    [
      'an unknown AccessKey (gateway 404)',
      404,
      { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.', RequestId: requestId },
      'connector.invalid_config',
      400,
      `The connector's config is invalid.\nError in key path "accessKeyId": (custom) Aliyun InvalidAccessKeyId.NotFound: Specified access key is not found. accessKeyId is unknown or disabled: copy an enabled AccessKey ID from the RAM console (and use the endpoint of its site). (RequestId ${requestId})`,
    ],
    [
      'an unapproved signature',
      200,
      { Code: 'isv.SMS_SIGNATURE_ILLEGAL', Message: '签名不合法', RequestId: requestId },
      'connector.invalid_config',
      400,
      `The connector's config is invalid.\nError in key path "signName": (custom) Aliyun isv.SMS_SIGNATURE_ILLEGAL: 签名不合法 signName must be an approved signature of this account, exactly as shown in the SMS console (without 【】). (RequestId ${requestId})`,
    ],
    [
      'an empty balance',
      200,
      { Code: 'isv.AMOUNT_NOT_ENOUGH', Message: '账户余额不足', RequestId: requestId },
      'connector.usage_limit_exceeded',
      429,
      'The email service usage limit has been reached.',
    ],
    [
      'any other code',
      200,
      { Code: 'isv.BLACK_KEY_CONTROL_LIMIT', Message: '黑名单管控', RequestId: requestId },
      'connector.general',
      400,
      `Error occurred in connector: Aliyun isv.BLACK_KEY_CONTROL_LIMIT: 黑名单管控 (RequestId ${requestId})`,
    ],
    [
      'a gateway 5xx in JSON',
      503,
      {
        Code: 'ServiceUnavailable',
        Message: 'The request has failed due to a temporary failure of the server.',
        RequestId: requestId,
      },
      'connector.general',
      400,
      `Error occurred in connector: Aliyun ServiceUnavailable: The request has failed due to a temporary failure of the server. (RequestId ${requestId})`,
    ],
    [
      'a reply that is not JSON',
      200,
      '<html>maintenance</html>',
      'connector.invalid_response',
      400,
      "The connector's response is invalid.",
    ],
    [
      'a 200 reply without Code',
      200,
      { RequestId: requestId },
      'connector.invalid_response',
      400,
      "The connector's response is invalid.",
    ],
  ])('%s → %s', async (_case, status, body, code, httpStatus, toast) => {
    const { scope } = expectAliyunCall(status, body);
    const error = await rejection(send({ to: '16502530000' }));
    expect(scope.isDone()).toBe(true);
    expect(logtoResponseFor(error)).toEqual({ status: httpStatus, code, toast });
    if (!(error.data instanceof ZodError)) {
      expect(error.data).toMatchObject({ provider: 'Aliyun', httpStatus: status });
      expect(typeof (error.data as { errorDescription?: unknown }).errorDescription).toBe('string');
    }
  });

  it('reports a network failure as general', async () => {
    nock(endpoint)
      .post('/')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = await rejection(send({ to: '16502530000' }));
    expect(logtoResponseFor(error)).toMatchObject({ status: 400, code: 'connector.general' });
    expect(error.data).toEqual({
      errorDescription: expect.stringMatching(
        /^Could not reach Aliyun at dysmsapi\.aliyuncs\.com after \d+ ms: the connection was reset \(ECONNRESET\); the message was not sent\.$/
      ),
      provider: 'Aliyun',
      delivery: 'notSent',
    });
  });
});

describe('secrets', () => {
  const echo = `AccessKeyId ${accessKeyId} secret ${accessKeySecret} ${encodeURIComponent(accessKeySecret)}`;

  const visible = (error: ConnectorError) =>
    [error.message, JSON.stringify(error.data), JSON.stringify(logtoResponseFor(error)), String(error.stack)].join(
      '\n'
    );

  it('never appear in a network error that quotes them', async () => {
    nock(endpoint).post('/').replyWithError(echo);
    const error = await rejection(send({ to: '16502530000' }));
    const text = visible(error);
    expect(text).not.toContain(accessKeySecret);
    expect(text).not.toContain(encodeURIComponent(accessKeySecret));
    expect(text).not.toContain(Buffer.from(accessKeySecret).toString('base64'));
    expect(text).not.toContain(accessKeyId);
    expect(text).toContain('[redacted]');
  });

  it("never shows the request's Signature when SignatureDoesNotMatch quotes it back, encoded as sent and raw", async () => {
    const sent: { wire?: string; raw?: string } = {};
    const scope = nock(endpoint)
      .post('/')
      .reply((_path, requestBody) => {
        const body = String(requestBody);
        // The Signature form value exactly as it went over the wire (percent-encoded), and decoded.
        sent.wire = /(?:^|&)Signature=([^&]*)/.exec(body)?.[1];
        sent.raw = parseForm(body).Signature;
        return [
          400,
          {
            Code: 'SignatureDoesNotMatch',
            Message: `Specified signature is not matched with our calculation: Signature=${sent.wire} (${sent.raw}), key ${accessKeySecret}. server string to sign is:POST&%2F&AccessKeyId%3D${accessKeyId}`,
            RequestId: requestId,
            Recommend: `https://next.api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&signature=${sent.wire}`,
          },
        ];
      });
    const error = await rejection(send({ to: '16502530000' }));
    expect(scope.isDone()).toBe(true);
    const { wire = '', raw = '' } = sent;
    // A real signature, whose encoded form differs from the raw one: both are checked.
    expect(raw).toMatch(/^[\d+/A-Za-z]{27}=$/);
    expect(wire).toBe(encodeURIComponent(raw));
    expect(wire).not.toBe(raw);

    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.invalid_config',
      toast: `The connector's config is invalid.\nError in key path "accessKeySecret": (custom) Aliyun SignatureDoesNotMatch: Specified signature is not matched with our calculation: Signature=[redacted] ([redacted]), key [redacted]. accessKeySecret does not belong to this accessKeyId: copy the secret of the same AccessKey again, without spaces. Diagnosis: https://next.api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&signature=[redacted] (RequestId ${requestId})`,
    });
    const shown = [error.message, JSON.stringify(error.data), JSON.stringify((error.data as ZodError).issues)].join(
      '\n'
    );
    for (const secret of [wire, raw, accessKeySecret, encodeURIComponent(accessKeySecret), accessKeyId]) {
      expect(shown).not.toContain(secret);
    }
    expect(shown).toContain('[redacted]');
  });

  it('never appear in invalid config or invalid number errors', async () => {
    for (const error of [
      await rejection(consoleTest({ ...testConfig, templates: [] })),
      await rejection(send({ to: '123' })),
    ]) {
      expect(visible(error)).not.toContain(accessKeySecret);
      expect(visible(error)).not.toContain(accessKeyId);
    }
  });
});

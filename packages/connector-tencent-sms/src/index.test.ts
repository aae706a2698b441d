import { ConnectorError, TemplateType, type SmsConnector } from '@logto/connector-kit';
import { logtoResponseFor } from '@sms-suite/sms-kit';
import {
  expectPost,
  interceptHttpWithNock,
  rejectionOf as caught,
  type ReceivedRequest,
} from '@sms-suite/sms-kit/testing';
import nock from 'nock';

import createConnector, { metadata } from './index';
import {
  errorBody,
  fullConfig,
  officialConfig,
  okBody,
  officialExample,
  recomputeTc3Authorization,
  secretId,
  secretKey,
  statusBody,
} from '../test/support';

const endpoint = 'https://sms.tencentcloudapi.com';

/** Expects one POST / to Tencent Cloud and answers it with `reply` in JSON. */
const intercept = (reply: unknown = okBody(), { origin = endpoint, path = '/' } = {}) => {
  const { scope, requests } = expectPost(origin, path, {
    body: reply,
    headers: { 'content-type': 'application/json' },
  });
  return { scope, captured: requests };
};

const connector = async (config?: unknown): Promise<SmsConnector> =>
  createConnector({
    getConfig: async (id: string) => {
      expect(id).toBe('sms-suite-tencent');
      return config;
    },
  });

const seconds = () => Math.floor(Date.now() / 1000);

interceptHttpWithNock();

describe('metadata', () => {
  it('has our own id and the target of the official Tencent connector', () => {
    expect(metadata).toMatchObject({ id: 'sms-suite-tencent', target: 'tencent-sms' });
  });
});

describe('sendMessage: full sends over the wire', () => {
  it('sends a mainland number in Logto form (8613800138000): URL, method, every header, recomputed signature, every body field', async () => {
    const { scope, captured } = intercept();
    const sms = await connector(fullConfig);
    const before = seconds();
    const result = await sms.sendMessage({
      to: '8613800138000',
      type: TemplateType.SignIn,
      payload: { code: '123456', locale: 'en' },
      ip: '203.0.113.7',
    });
    const after = seconds();

    expect(result).toEqual({
      messageId: '5000:1045710669157053657849499619',
      requestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279',
    });
    expect(scope.isDone()).toBe(true);
    expect(captured).toHaveLength(1);
    const [sent] = captured as [ReceivedRequest];

    expect(sent.url).toBe('https://sms.tencentcloudapi.com/');
    expect(sent.method).toBe('POST');
    const timestamp = Number(sent.headers['x-tc-timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(after);
    expect(sent.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      host: 'sms.tencentcloudapi.com',
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': 'ap-guangzhou',
      authorization: recomputeTc3Authorization(sent),
      'content-length': String(Buffer.byteLength(sent.body)),
      // nock swaps in its own agent for the kit's keep-alive one, so Node writes `connection: close`.
      connection: 'close',
    });
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    expect(sent.headers.authorization).toMatch(
      new RegExp(
        `^TC3-HMAC-SHA256 Credential=${secretId}/${date}/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`
      )
    );
    expect(sent.body).toBe(
      '{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"腾讯云","TemplateId":"1000002","TemplateParamSet":["123456"]}'
    );
  });

  it('signs the host with its port for the local sandbox (http on 127.0.0.1)', async () => {
    const origin = 'http://127.0.0.1:8787';
    const { captured } = intercept(okBody(), { origin });
    const sms = await connector({ ...fullConfig, endpoint: origin });
    await sms.sendMessage({ to: '8613800138000', type: TemplateType.Generic, payload: { code: '000000' } });
    const [sent] = captured as [ReceivedRequest];
    expect(sent.url).toBe('http://127.0.0.1:8787/');
    expect(sent.headers.host).toBe('127.0.0.1:8787');
    expect(sent.headers.authorization).toBe(recomputeTc3Authorization(sent));
  });

  it('posts below a sandbox path prefix and still signs the path "/" (what the sandbox and Tencent verify)', async () => {
    const origin = 'http://127.0.0.1:8787';
    const { captured } = intercept(okBody(), { origin, path: '/tencent/' });
    const sms = await connector({ ...fullConfig, endpoint: `${origin}/tencent` });
    await sms.sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } });
    const [sent] = captured as [ReceivedRequest];
    expect(sent.url).toBe('http://127.0.0.1:8787/tencent/');
    expect(sent.headers.authorization).toBe(recomputeTc3Authorization({ ...sent, path: '/' }));
  });

  it.each([
    ['a US number (16502530000)', '16502530000', '+16502530000'],
    ['a UK number (447700900123)', '447700900123', '+447700900123'],
  ])('sends %s in E.164 with +, with the overseas template and overseasSignName', async (_name, to, e164) => {
    const { captured } = intercept(okBody({ PhoneNumber: e164, IsoCode: 'US' }));
    const sms = await connector(fullConfig);
    await sms.sendMessage({ to, type: TemplateType.Register, payload: { code: '654321' } });
    const [sent] = captured as [ReceivedRequest];
    expect(JSON.parse(sent.body)).toEqual({
      PhoneNumberSet: [e164],
      SmsSdkAppId: '1400006666',
      SignName: 'Acme',
      TemplateId: '2000004', // no Register template: Generic's overseas ID
      TemplateParamSet: ['654321'],
    });
    expect(sent.headers.authorization).toBe(recomputeTc3Authorization(sent));
  });

  it('sends the documented example config unchanged, international without a sign', async () => {
    const example = officialExample();
    const { captured } = intercept();
    const sms = await connector(example);
    await sms.sendMessage({ to: '447700900123', type: TemplateType.ForgotPassword, payload: { code: '111222' } });
    const [sent] = captured as [ReceivedRequest];
    expect(JSON.parse(sent.body)).toEqual({
      PhoneNumberSet: ['+447700900123'],
      SmsSdkAppId: '1400000000',
      TemplateId: '1000003',
      TemplateParamSet: ['111222'],
    });
    expect(sent.headers.authorization).toBe(
      recomputeTc3Authorization(sent, { secretId: '<your-secret-id>', secretKey: '<your-secret-key>' })
    );
  });

  it('never lets uiLocales, link or any other payload key into TemplateParamSet', async () => {
    const { captured } = intercept();
    const sms = await connector(fullConfig);
    await sms.sendMessage({
      to: '8613800138000',
      type: TemplateType.SignIn,
      payload: {
        code: '123456',
        locale: 'fr',
        uiLocales: 'fr-CA fr en',
        link: 'https://example.com/x',
        application: { name: 'Acme' },
        extra: '1',
      },
    });
    const body = JSON.parse((captured[0] as ReceivedRequest).body) as Record<string, unknown>;
    expect(body.TemplateParamSet).toEqual(['123456']);
    expect(Object.keys(body)).toEqual(['PhoneNumberSet', 'SmsSdkAppId', 'SignName', 'TemplateId', 'TemplateParamSet']);
  });

  it('picks the localized template for payload.locale', async () => {
    const { captured } = intercept();
    const sms = await connector(fullConfig);
    await sms.sendMessage({
      to: '8613800138000',
      type: TemplateType.SignIn,
      payload: { code: '1', locale: 'zh-CN', uiLocales: 'zh-CN' },
    });
    expect(JSON.parse((captured[0] as ReceivedRequest).body)).toMatchObject({ TemplateId: '1000012' });
  });

  it('reads a national number with the default region CN, or with defaultRegion', async () => {
    const first = intercept();
    await (
      await connector(officialConfig)
    ).sendMessage({ to: '13800138000', type: TemplateType.Generic, payload: { code: '1' } });
    expect(JSON.parse((first.captured[0] as ReceivedRequest).body)).toMatchObject({
      PhoneNumberSet: ['+8613800138000'],
      SignName: 'Acme',
    });

    const second = intercept();
    await (
      await connector({ ...officialConfig, defaultRegion: 'GB' })
    ).sendMessage({ to: '07700900123', type: TemplateType.Generic, payload: { code: '1' } });
    expect(JSON.parse((second.captured[0] as ReceivedRequest).body)).toMatchObject({
      PhoneNumberSet: ['+447700900123'],
    });
    expect(JSON.parse((second.captured[0] as ReceivedRequest).body)).not.toHaveProperty('SignName');
  });
});

describe('sendMessage: failures', () => {
  it('rejects a mainland send without signName with invalid_config and makes no HTTP call', async () => {
    const { scope } = intercept();
    const { signName: _omitted, ...config } = fullConfig;
    const error = await caught(
      (await connector(config)).sendMessage({ to: '8613800138000', type: TemplateType.SignIn, payload: { code: '1' } })
    );
    expect(logtoResponseFor(error).toast).toContain(
      'Error in key path "signName": (custom) signName is required to send to mainland China (+86) numbers'
    );
    expect(scope.isDone()).toBe(false);
  });

  it('refuses an international number when its template has only a "china" ID, before any HTTP call', async () => {
    const { scope } = intercept();
    const config = { ...fullConfig, templates: [{ usageType: 'Generic', templateCode: { china: '1000004' } }] };
    const error = await caught(
      (await connector(config)).sendMessage({
        to: '447700900123',
        type: TemplateType.MfaVerification,
        payload: { code: '1' },
      })
    );
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.invalid_request_parameters',
      toast:
        'The request is with wrong input parameter(s).\nError in key path "to": (custom) International numbers are not served: the "Generic" template has no "overseas" ID (only "china").',
    });
    expect(scope.isDone()).toBe(false);
  });

  it('rejects an invalid config with invalid_config naming the key, before any HTTP call', async () => {
    const { scope } = intercept();
    const error = await caught(
      (await connector({ ...fullConfig, region: 'ap-shanghai' })).sendMessage({
        to: '8613800138000',
        type: TemplateType.SignIn,
        payload: { code: '1' },
      })
    );
    expect(logtoResponseFor(error)).toMatchObject({ status: 400, code: 'connector.invalid_config' });
    expect(logtoResponseFor(error).toast).toContain('Error in key path "region"');
    expect(scope.isDone()).toBe(false);
  });

  it('rejects a payload without code, before any HTTP call', async () => {
    const { scope } = intercept();
    const error = await caught(
      (await connector(fullConfig)).sendMessage({
        to: '8613800138000',
        type: TemplateType.SignIn,
        payload: { locale: 'en' },
      })
    );
    expect(logtoResponseFor(error).toast).toContain(
      'Error in key path "payload.code": (custom) payload.code is missing'
    );
    expect(scope.isDone()).toBe(false);
  });

  it('rejects a config without a Generic template (e.g. stored by another version) before any HTTP call', async () => {
    const { scope } = intercept();
    const sms = await connector(fullConfig);
    const error = await caught(
      sms.sendMessage(
        { to: '8613800138000', type: TemplateType.SignIn, payload: { code: '1' } },
        { ...fullConfig, templates: [{ usageType: 'SignIn', templateCode: '1000002' }] }
      )
    );
    expect(logtoResponseFor(error).toast).toContain(
      'Error in key path "templates": (custom) templates needs a "Generic" template'
    );
    expect(scope.isDone()).toBe(false);
  });

  it('reports a network failure as general', async () => {
    nock(endpoint)
      .post('/')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = await caught(
      (await connector(fullConfig)).sendMessage({
        to: '8613800138000',
        type: TemplateType.SignIn,
        payload: { code: '1' },
      })
    );
    expect(logtoResponseFor(error)).toMatchObject({ status: 400, code: 'connector.general' });
    expect(error.data).toEqual({
      errorDescription: expect.stringMatching(
        /^Could not reach Tencent at sms\.tencentcloudapi\.com after \d+ ms: the connection was reset \(ECONNRESET\); the message was not sent\.$/
      ),
      provider: 'Tencent',
      delivery: 'notSent',
    });
  });

  it.each([
    [
      'Response.Error',
      errorBody('FailedOperation.TemplateIncorrectOrUnapproved', '模板未审批或内容不匹配'),
      400,
      'connector.invalid_config',
      'Error in key path "templates": (custom) Tencent FailedOperation.TemplateIncorrectOrUnapproved: 模板未审批或内容不匹配',
    ],
    [
      'SendStatusSet',
      statusBody('LimitExceeded.PhoneNumberThirtySecondLimit', '30秒内'),
      429,
      'connector.rate_limit_exceeded',
      'Trigger rate limit. Please try again later.',
    ],
    [
      'SendStatusSet',
      statusBody('InvalidParameterValue.IncorrectPhoneNumber', '手机号格式错误'),
      400,
      'connector.invalid_request_parameters',
      'Error in key path "to": (custom) Tencent InvalidParameterValue.IncorrectPhoneNumber: 手机号格式错误',
    ],
    [
      'Response.Error',
      errorBody('FailedOperation.InsufficientBalanceInSmsPackage', '套餐包余量不足'),
      429,
      'connector.usage_limit_exceeded',
      'The email service usage limit has been reached.',
    ],
    [
      'Response.Error',
      errorBody('InternalError', '内部错误'),
      400,
      'connector.general',
      'Error occurred in connector: Tencent InternalError: 内部错误 (RequestId: b1bbceb7-0000-4000-8000-000000000001)',
    ],
  ])('maps a %s reply end to end (%#)', async (_source, body, status, code, toast) => {
    intercept(body);
    const error = await caught(
      (await connector(fullConfig)).sendMessage({
        to: '8613800138000',
        type: TemplateType.SignIn,
        payload: { code: '1' },
      })
    );
    expect(logtoResponseFor(error)).toMatchObject({ status, code });
    expect(logtoResponseFor(error).toast).toContain(toast);
  });

  it('maps a sign problem on an international send to overseasSignName', async () => {
    intercept(statusBody('FailedOperation.SignatureIncorrectOrUnapproved'));
    const error = await caught(
      (await connector(fullConfig)).sendMessage({
        to: '16502530000',
        type: TemplateType.SignIn,
        payload: { code: '1' },
      })
    );
    expect(logtoResponseFor(error).toast).toContain('Error in key path "overseasSignName"');
  });

  it('reports a non-JSON 200 reply as invalid_response', async () => {
    intercept('<html>maintenance</html>');
    const error = await caught(
      (await connector(fullConfig)).sendMessage({
        to: '8613800138000',
        type: TemplateType.SignIn,
        payload: { code: '1' },
      })
    );
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.invalid_response',
      toast: "The connector's response is invalid.",
    });
    expect((error.data as { errorDescription: string }).errorDescription).toContain('<html>maintenance</html>');
  });
});

describe('secrets', () => {
  const leaks = (error: ConnectorError, authorization?: string) => {
    const texts = [error.message, JSON.stringify(error.data), logtoResponseFor(error).toast, String(error.stack)];
    const needles = [
      secretKey,
      Buffer.from(secretKey).toString('base64'),
      ...(authorization ? [authorization, authorization.split('Signature=')[1] ?? ''] : []),
    ];
    return needles.filter((needle) => texts.some((text) => text.includes(needle)));
  };

  it('redacts the SecretKey and the Authorization value even when Tencent echoes them', async () => {
    const authorizations: string[] = [];
    nock(endpoint)
      .post('/')
      .reply(function () {
        const authorization = String(this.req.headers.authorization);
        authorizations.push(authorization);
        return [200, errorBody('AuthFailure.SignatureFailure', `expected key ${secretKey}, got ${authorization}`)];
      });
    const error = await caught(
      (await connector(fullConfig)).sendMessage({
        to: '8613800138000',
        type: TemplateType.SignIn,
        payload: { code: '1' },
      })
    );
    expect(authorizations).toHaveLength(1);
    expect(leaks(error, authorizations[0])).toEqual([]);
    expect(logtoResponseFor(error).toast).toContain('expected key [redacted]');
  });

  it('keeps the SecretKey out of config errors', async () => {
    const config = await caught(
      (await connector({ ...fullConfig, region: secretKey })).sendMessage({
        to: '8613800138000',
        type: TemplateType.SignIn,
        payload: { code: '1' },
      })
    );
    expect(leaks(config)).toEqual([]);
  });
});

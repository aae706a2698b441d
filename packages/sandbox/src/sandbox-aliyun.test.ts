import { magicNumbers } from './magic';
import { aliyunParams, aliyunSend, getInbox, useHarness, wrongSecrets } from './test-support';
import { aliyunFormBody } from './verify/aliyun-rpc';

const harness = useHarness();

const requestId = expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
const gatewayError = (code: string) => ({
  RequestId: requestId,
  HostId: 'dysmsapi.aliyuncs.com',
  Code: code,
  Message: expect.any(String),
  Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Dysmsapi`,
});
const businessError = (code: string) => ({ RequestId: requestId, Code: code, Message: expect.any(String) });

describe('Aliyun SendSms', () => {
  it('accepts a signed form POST: Code OK, BizId, RequestId; the inbox has the template and its parameters', async () => {
    const reply = await aliyunSend(harness.sandbox, { phoneNumbers: '13800138000' });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(reply.json).toEqual({
      Code: 'OK',
      Message: 'OK',
      BizId: expect.stringMatching(/^\d{18}\^0$/),
      RequestId: requestId,
    });
    const { BizId } = reply.json as { BizId: string };
    const inbox = await getInbox(harness.sandbox);
    expect(inbox).toEqual([
      {
        id: BizId,
        provider: 'aliyun',
        receivedAt: expect.any(String),
        to: '13800138000',
        templateCode: 'SMS_154950909',
        templateParams: { code: '123456' },
        sender: '阿里云短信测试',
        raw: {
          Action: 'SendSms',
          Format: 'JSON',
          PhoneNumbers: '13800138000',
          SignName: '阿里云短信测试',
          SignatureMethod: 'HMAC-SHA1',
          SignatureNonce: expect.any(String),
          SignatureVersion: '1.0',
          TemplateCode: 'SMS_154950909',
          TemplateParam: '{"code":"123456"}',
          Timestamp: expect.any(String),
          Version: '2017-05-25',
        },
      },
    ]);
    expect(harness.messages).toEqual(inbox);
    expect(harness.logs).toEqual([`aliyun     200 OK BizId ${BizId} for 13800138000`]);
  });

  it('accepts GET with the signed query string, one entry per number of a list', async () => {
    const reply = await aliyunSend(harness.sandbox, { phoneNumbers: '16502530000,85291234567', method: 'GET' });
    expect(reply.json).toMatchObject({ Code: 'OK' });
    expect((await getInbox(harness.sandbox)).map(({ to }) => to)).toEqual(['16502530000', '85291234567']);
  });

  it("answers XML when Format is XML (Aliyun's default)", async () => {
    const reply = await aliyunSend(harness.sandbox, { phoneNumbers: '13800138000', format: 'XML' });
    expect(reply.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    expect(reply.text).toMatch(
      /^<\?xml version='1.0' encoding='UTF-8'\?><SendSmsResponse><Code>OK<\/Code><Message>OK<\/Message><BizId>\d{18}\^0<\/BizId><RequestId>[0-9A-F-]{36}<\/RequestId><\/SendSmsResponse>$/
    );
  });

  it.each([
    ['an unknown AccessKeyId', 404, 'InvalidAccessKeyId.NotFound', { accessKeyId: 'LTAIunknown' }],
    ['a wrong AccessKeySecret', 400, 'SignatureDoesNotMatch', { accessKeySecret: wrongSecrets[0] }],
    ['a parameter changed after signing', 400, 'SignatureDoesNotMatch', { tamper: { PhoneNumbers: '13800138001' } }],
    ['a forged signature', 400, 'SignatureDoesNotMatch', { tamper: { Signature: 'zJDF+Lrzhj/ThnlvIToysFRq6t4=' } }],
    ['a Timestamp 16 minutes old', 400, 'InvalidTimeStamp.Expired', { now: new Date(Date.now() - 16 * 60_000) }],
    ['a Timestamp 16 minutes ahead', 400, 'InvalidTimeStamp.Expired', { now: new Date(Date.now() + 16 * 60_000) }],
    [
      'a Timestamp with milliseconds',
      400,
      'InvalidTimeStamp.Format',
      { tamper: { Timestamp: new Date().toISOString() } },
    ],
    ['another action', 404, 'InvalidAction.NotFound', { params: { Action: 'SendBatchSms' } }],
    ['another version', 400, 'InvalidVersion', { params: { Version: '2018-01-01' } }],
    ['no PhoneNumbers', 400, 'MissingPhoneNumbers', { phoneNumbers: '' }],
    ['no SignName', 400, 'MissingSignName', { params: { SignName: '' } }],
    ['no TemplateCode', 400, 'MissingTemplateCode', { params: { TemplateCode: '' } }],
  ])('refuses %s with the gateway error %i %s', async (_case, status, code, options) => {
    const reply = await aliyunSend(harness.sandbox, { phoneNumbers: '13800138000', ...options });
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual(gatewayError(code));
    expect(await getInbox(harness.sandbox)).toEqual([]);
    expect(harness.logs).toEqual([
      expect.stringMatching(new RegExp(`^aliyun {5}${status} ${code.replace('.', '\\.')} \\(`)),
    ]);
  });

  it('signs over the HTTP method: a POST signed as GET is refused', async () => {
    const params = aliyunParams({ phoneNumbers: '13800138000', method: 'GET' });
    const response = await fetch(`${harness.sandbox.endpointFor('aliyun')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: aliyunFormBody(params),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { Code: string; Message: string };
    expect(body.Code).toBe('SignatureDoesNotMatch');
    expect(body.Message).toMatch(/server string to sign is:POST&%2F&AccessKeyId%3D/);
  });

  it('refuses a reused SignatureNonce (SignatureNonceUsed), and only the second time', async () => {
    const params = aliyunParams({ phoneNumbers: '13800138000' });
    const post = () =>
      fetch(`${harness.sandbox.endpointFor('aliyun')}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: aliyunFormBody(params),
      });
    expect(await (await post()).json()).toMatchObject({ Code: 'OK' });
    const second = await post();
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual(gatewayError('SignatureNonceUsed'));
    expect(await getInbox(harness.sandbox)).toHaveLength(1);
  });

  it.each([
    ['a number that is not digits', 'isv.MOBILE_NUMBER_ILLEGAL', { phoneNumbers: '138-0013-8000' }],
    [
      'more than 1000 numbers',
      'isv.MOBILE_COUNT_OVER_LIMIT',
      { phoneNumbers: Array.from({ length: 1001 }, () => '13800138000').join(',') },
    ],
    ['a TemplateParam that is not JSON', 'isv.INVALID_JSON_PARAM', { templateParam: 'code=123456' }],
    ['a TemplateParam with a number value', 'isv.INVALID_JSON_PARAM', { templateParam: '{"code":123456}' }],
    [
      'uiLocales leaking into TemplateParam (logto-io/logto#7121)',
      'isv.INVALID_PARAMETERS',
      { templateParam: '{"code":"123456","uiLocales":"fr-CA fr en"}' },
    ],
  ])('refuses %s inside HTTP 200 (%s)', async (_case, code, options) => {
    const reply = await aliyunSend(harness.sandbox, { phoneNumbers: '13800138000', ...options });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(businessError(code));
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  const expected: Record<string, { status: number; body: unknown }> = {
    'rate-limited': { status: 200, body: businessError('isv.BUSINESS_LIMIT_CONTROL') },
    'invalid-number': { status: 200, body: businessError('isv.MOBILE_NUMBER_ILLEGAL') },
    unapproved: { status: 200, body: businessError('isv.SMS_TEMPLATE_ILLEGAL') },
    'insufficient-balance': { status: 200, body: businessError('isv.AMOUNT_NOT_ENOUGH') },
    'server-error': { status: 500, body: gatewayError('InternalError') },
  };
  // Aliyun receives mainland numbers as the 11-digit national number and the rest as E.164 digits.
  const aliyunFormat = (number: string) => (number.startsWith('+86') ? number.slice(3) : number.slice(1));

  it.each(
    magicNumbers.filter(({ outcome }) => expected[outcome]).map((magic) => [aliyunFormat(magic.number), magic.outcome])
  )('magic number %s (%s) answers the real Aliyun code', async (phoneNumbers, outcome) => {
    const reply = await aliyunSend(harness.sandbox, { phoneNumbers });
    expect(reply.status).toBe(expected[outcome]!.status);
    expect(reply.json).toEqual(expected[outcome]!.body);
    expect(await getInbox(harness.sandbox)).toEqual([]);
    expect(harness.logs).toEqual([expect.stringContaining(`(${outcome}): ${expected[outcome]!.status}`)]);
  });

  it.each([['13800000101'], ['8613800000101'], ['+8613800000101'], ['008613800000101']])(
    'recognises the mainland magic number written as %s',
    async (phoneNumbers) => {
      expect(await aliyunSend(harness.sandbox, { phoneNumbers })).toMatchObject({
        json: { Code: 'isv.BUSINESS_LIMIT_CONTROL' },
      });
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'non-json').map(({ number }) => [aliyunFormat(number)]))(
    'magic number %s answers HTTP 200 with HTML',
    async (phoneNumbers) => {
      const reply = await aliyunSend(harness.sandbox, { phoneNumbers });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(reply.json).toBeUndefined();
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'no-reply').map(({ number }) => [aliyunFormat(number)]))(
    'magic number %s never answers',
    async (phoneNumbers) => {
      await expect(
        fetch(`${harness.sandbox.endpointFor('aliyun')}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: aliyunFormBody(aliyunParams({ phoneNumbers })),
          signal: AbortSignal.timeout(100),
        })
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    }
  );
});

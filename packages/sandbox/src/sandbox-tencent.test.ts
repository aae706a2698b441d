import { magicNumbers } from './magic';
import { getInbox, tencentSend, useHarness, wrongSecrets } from './test-support';

const harness = useHarness();

const requestId = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const requestError = (code: string) => ({
  Response: { Error: { Code: code, Message: expect.any(String) }, RequestId: requestId },
});
const failedStatus = (phoneNumber: string, code: string, isoCode: string) => ({
  SerialNo: '',
  PhoneNumber: phoneNumber,
  SessionContext: '',
  Fee: 0,
  Code: code,
  Message: expect.any(String),
  IsoCode: isoCode,
});

describe('Tencent SendSms', () => {
  it('endpointFor is the origin: the connector posts to `{endpoint}/` and signs that host', () => {
    expect(harness.sandbox.endpointFor('tencent')).toBe(harness.sandbox.url);
  });

  it('accepts a TC3-signed send: SendStatusSet Ok with SerialNo, RequestId; the inbox has template and parameters', async () => {
    const reply = await tencentSend(harness.sandbox, { numbers: ['+8613800138000'] });

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      Response: {
        SendStatusSet: [
          {
            SerialNo: expect.stringMatching(/^2433:\d{28}$/),
            PhoneNumber: '+8613800138000',
            SessionContext: '',
            Fee: 1,
            Code: 'Ok',
            Message: 'send success',
            IsoCode: 'CN',
          },
        ],
        RequestId: requestId,
      },
    });
    const serialNo = (reply.json as { Response: { SendStatusSet: Array<{ SerialNo: string }> } }).Response
      .SendStatusSet[0]!.SerialNo;
    const inbox = await getInbox(harness.sandbox);
    expect(inbox).toEqual([
      {
        id: serialNo,
        provider: 'tencent',
        receivedAt: expect.any(String),
        to: '+8613800138000',
        templateCode: '1000004',
        templateParams: ['123456'],
        sender: '腾讯云',
        raw: {
          PhoneNumberSet: ['+8613800138000'],
          SmsSdkAppId: '1400000000',
          SignName: '腾讯云',
          TemplateId: '1000004',
          TemplateParamSet: ['123456'],
        },
      },
    ]);
    expect(harness.messages).toEqual(inbox);
    expect(harness.logs).toEqual([`tencent    200 +8613800138000: Ok ${serialNo}`]);
  });

  it('also serves the /tencent prefix', async () => {
    const reply = await tencentSend(harness.sandbox, { numbers: ['+16502530000'], path: '/tencent/', signName: null });
    expect(reply.json).toMatchObject({ Response: { SendStatusSet: [{ Code: 'Ok', IsoCode: 'US' }] } });
  });

  it('accepts international numbers without a sign', async () => {
    const reply = await tencentSend(harness.sandbox, { numbers: ['+447700900123'], signName: null });
    expect(reply.json).toMatchObject({
      Response: { SendStatusSet: [{ Code: 'Ok', PhoneNumber: '+447700900123', IsoCode: 'GB' }] },
    });
    expect((await getInbox(harness.sandbox))[0]).not.toHaveProperty('sender');
  });

  it.each([
    ['an unknown SecretId', 'AuthFailure.SecretIdNotFound', { secretId: 'AKIDunknown' }],
    ['a wrong SecretKey', 'AuthFailure.SignatureFailure', { secretKey: wrongSecrets[0] }],
    [
      'a body changed after signing',
      'AuthFailure.SignatureFailure',
      { tamperedBody: '{"PhoneNumberSet":["+8613800138001"]}' },
    ],
    ['a host signed without the port', 'AuthFailure.SignatureFailure', { signedHost: '127.0.0.1' }],
    ['a timestamp 6 minutes old', 'AuthFailure.SignatureExpire', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ['a timestamp 6 minutes ahead', 'AuthFailure.SignatureExpire', { timestamp: Math.floor(Date.now() / 1000) + 360 }],
    ['another action', 'InvalidAction', { action: 'SendStatusStatistics' }],
    ['a region SMS does not serve', 'UnsupportedRegion', { region: 'ap-tokyo' }],
  ])('refuses %s inside HTTP 200 Response.Error (%s)', async (_case, code, options) => {
    const reply = await tencentSend(harness.sandbox, { numbers: ['+8613800138000'], ...options });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(requestError(code));
    expect(await getInbox(harness.sandbox)).toEqual([]);
    expect(harness.logs).toEqual([
      expect.stringMatching(new RegExp(`^tencent {4}200 ${code.replace(/\./g, '\\.')} \\(`)),
    ]);
  });

  it('refuses a missing Authorization header (AuthFailure.InvalidAuthorization)', async () => {
    const response = await fetch(`${harness.sandbox.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tc-action': 'SendSms',
        'x-tc-version': '2021-01-11',
        'x-tc-region': 'ap-guangzhou',
        'x-tc-timestamp': String(Math.floor(Date.now() / 1000)),
      },
      body: '{}',
    });
    expect(await response.json()).toEqual(requestError('AuthFailure.InvalidAuthorization'));
  });

  it.each([
    ['another SmsSdkAppId', 'UnauthorizedOperation.SmsSdkAppIdVerifyFail', { sdkAppId: '1400999999' }],
    ['an empty PhoneNumberSet', 'MissingParameter.EmptyPhoneNumberSet', { numbers: [] }],
    [
      '201 numbers',
      'LimitExceeded.PhoneNumberCountLimit',
      { numbers: Array.from({ length: 201 }, () => '+8613800138000') },
    ],
    [
      'mainland and international numbers together',
      'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber',
      { numbers: ['+8613800138000', '+16502530000'] },
    ],
    ['a mainland number without SignName', 'FailedOperation.SignatureIncorrectOrUnapproved', { signName: null }],
    [
      'uiLocales as a second parameter',
      'FailedOperation.TemplateParamSetNotMatchApprovedTemplate',
      { params: ['123456', 'fr-CA fr en'] },
    ],
    ['a non-numeric code', 'InvalidParameterValue.TemplateParameterFormatError', { params: ['ABCDEF'] }],
    ['parameters that are not strings', 'InvalidParameterValue.TemplateParameterFormatError', { params: [123456] }],
  ])('refuses %s (%s)', async (_case, code, options) => {
    const reply = await tencentSend(harness.sandbox, { numbers: ['+8613800138000'], ...options });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(requestError(code));
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  it('reads numbers without + as mainland numbers, as Tencent does: 16502530000 goes to China, with a warning', async () => {
    const reply = await tencentSend(harness.sandbox, { numbers: ['16502530000'] });
    expect(reply.json).toMatchObject({ Response: { SendStatusSet: [{ Code: 'Ok', IsoCode: 'CN' }] } });
    expect((await getInbox(harness.sandbox))[0]?.warnings).toEqual([
      'sent without "+": Tencent reads 16502530000 as a mainland-China number',
    ]);
  });

  it('reports an impossible number per number, beside a sent one', async () => {
    const reply = await tencentSend(harness.sandbox, { numbers: ['+8613800138000', '+8612345'] });
    const statuses = (reply.json as { Response: { SendStatusSet: unknown[] } }).Response.SendStatusSet;
    expect(statuses).toEqual([
      expect.objectContaining({ Code: 'Ok' }),
      failedStatus('+8612345', 'InvalidParameterValue.IncorrectPhoneNumber', 'CN'),
    ]);
    expect((await getInbox(harness.sandbox)).map(({ to }) => to)).toEqual(['+8613800138000']);
  });

  const perNumber: Record<string, string> = {
    'rate-limited': 'LimitExceeded.PhoneNumberDailyLimit',
    'invalid-number': 'InvalidParameterValue.IncorrectPhoneNumber',
    unapproved: 'FailedOperation.TemplateIncorrectOrUnapproved',
    'insufficient-balance': 'FailedOperation.InsufficientBalanceInSmsPackage',
  };
  it.each(magicNumbers.filter(({ outcome }) => perNumber[outcome]).map((magic) => [magic.number, magic.outcome]))(
    'magic number %s (%s) fails inside SendStatusSet with the real code',
    async (number, outcome) => {
      const reply = await tencentSend(harness.sandbox, { numbers: [number] });
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({
        Response: {
          SendStatusSet: [failedStatus(number, perNumber[outcome]!, number.startsWith('+86') ? 'CN' : 'US')],
          RequestId: requestId,
        },
      });
      expect(await getInbox(harness.sandbox)).toEqual([]);
    }
  );

  it('a magic number fails beside a sent number in the same request', async () => {
    const reply = await tencentSend(harness.sandbox, { numbers: ['+8613800138000', '+8613800000101'] });
    expect(reply.json).toMatchObject({
      Response: { SendStatusSet: [{ Code: 'Ok' }, { Code: 'LimitExceeded.PhoneNumberDailyLimit', SerialNo: '' }] },
    });
    expect(await getInbox(harness.sandbox)).toHaveLength(1);
  });

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'server-error').map(({ number }) => [number]))(
    'magic number %s answers HTTP 500 with InternalError',
    async (number) => {
      const reply = await tencentSend(harness.sandbox, { numbers: [number] });
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual(requestError('InternalError'));
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'non-json').map(({ number }) => [number]))(
    'magic number %s answers HTTP 200 with HTML',
    async (number) => {
      const reply = await tencentSend(harness.sandbox, { numbers: [number] });
      expect(reply.status).toBe(200);
      expect(reply.json).toBeUndefined();
      expect(reply.text).toContain('<html>');
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'no-reply').map(({ number }) => [number]))(
    'magic number %s never answers',
    async (number) => {
      await expect(
        tencentSend(harness.sandbox, { numbers: [number], signal: AbortSignal.timeout(100) })
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(harness.logs[0]).toContain(`magic number ${number} (no-reply): holding the request open`);
      expect(await getInbox(harness.sandbox)).toEqual([]);
    }
  );
});

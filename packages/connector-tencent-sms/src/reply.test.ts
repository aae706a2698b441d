import { logtoResponseFor, settle, type FailureKind, type HttpReply } from '@sms-suite/sms-kit';
import { httpReply, logtoErrorOf, thrownConnectorError } from '@sms-suite/sms-kit/testing';

import { readTencentReply, type ReplyContext } from './reply';
import { errorBody, okBody, statusBody } from '../test/support';

const settleError = (reply: HttpReply, context?: ReplyContext) =>
  thrownConnectorError(() => settle('Tencent', readTencentReply(reply, context)));

type Expectation = { kind: FailureKind; field?: string };

// Every code of the issue's mapping, plus the neighbours that must not be caught by a prefix rule.
const mapping: Array<[code: string, expectation: Expectation]> = [
  ['RequestLimitExceeded', { kind: 'rateLimit' }],
  ['RequestLimitExceeded.IPLimitExceeded', { kind: 'rateLimit' }],
  ['RequestLimitExceeded.GlobalRegionUinLimitExceeded', { kind: 'rateLimit' }],
  ['LimitExceeded.PhoneNumberDailyLimit', { kind: 'rateLimit' }],
  ['LimitExceeded.PhoneNumberOneHourLimit', { kind: 'rateLimit' }],
  ['LimitExceeded.PhoneNumberThirtySecondLimit', { kind: 'rateLimit' }],
  ['LimitExceeded.PhoneNumberSameContentDailyLimit', { kind: 'rateLimit' }],
  ['LimitExceeded.DeliveryFrequencyLimit', { kind: 'rateLimit' }],
  ['LimitExceeded.AppDailyLimit', { kind: 'rateLimit' }],
  ['LimitExceeded.DailyLimit', { kind: 'rateLimit' }],
  ['LimitExceeded.PhoneNumberCountLimit', { kind: 'general' }],
  ['InvalidParameterValue.IncorrectPhoneNumber', { kind: 'recipient', field: 'to' }],
  ['UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber', { kind: 'recipient', field: 'to' }],
  ['FailedOperation.PhoneNumberInBlacklist', { kind: 'recipient', field: 'to' }],
  ['AuthFailure.SignatureFailure', { kind: 'config', field: 'accessKeySecret' }],
  ['AuthFailure.SignatureExpire', { kind: 'config', field: 'accessKeySecret' }],
  ['AuthFailure.InvalidAuthorization', { kind: 'config', field: 'accessKeySecret' }],
  ['AuthFailure.TokenFailure', { kind: 'config', field: 'accessKeySecret' }],
  ['AuthFailure.UnauthorizedOperation', { kind: 'config', field: 'accessKeySecret' }],
  ['AuthFailure.MFAFailure', { kind: 'config', field: 'accessKeySecret' }],
  ['AuthFailure.SecretIdNotFound', { kind: 'config', field: 'accessKeyId' }],
  ['AuthFailure.InvalidSecretId', { kind: 'config', field: 'accessKeyId' }],
  ['FailedOperation.SignatureIncorrectOrUnapproved', { kind: 'config', field: 'signName' }],
  ['FailedOperation.TemplateIncorrectOrUnapproved', { kind: 'config', field: 'templates' }],
  ['UnauthorizedOperation.SmsSdkAppIdVerifyFail', { kind: 'config', field: 'sdkAppId' }],
  ['InvalidParameterValue.SdkAppIdNotExist', { kind: 'config', field: 'sdkAppId' }],
  ['UnauthorizedOperation.RequestIpNotInWhitelist', { kind: 'config', field: 'accessKeyId' }],
  ['UnsupportedOperation.UnsuportedRegion', { kind: 'config', field: 'region' }],
  ['UnsupportedRegion', { kind: 'config', field: 'region' }],
  ['InvalidAction', { kind: 'config', field: 'endpoint' }],
  ['FailedOperation.InsufficientBalanceInSmsPackage', { kind: 'usageLimit' }],
  ['UnauthorizedOperation.SerivceSuspendDueToArrears', { kind: 'usageLimit' }],
  ['InternalError', { kind: 'general' }],
  ['InternalError.Timeout', { kind: 'general' }],
  ['FailedOperation.ContainSensitiveWord', { kind: 'general' }],
  ['InvalidParameterValue.TemplateParameterFormatError', { kind: 'general' }],
  ['FailedOperation.MarketingSendTimeConstraint', { kind: 'general' }],
  ['MissingParameter', { kind: 'general' }],
];

const sources = [
  ['Response.Error', errorBody, 'b1bbceb7-0000-4000-8000-000000000001'],
  ['SendStatusSet[0].Code', statusBody, 'c2ccdfc8-0000-4000-8000-000000000002'],
] as const;

describe('readTencentReply: the code table', () => {
  describe.each(sources)('from %s', (_source, bodyOf, requestId) => {
    it.each(mapping)('%s', (code, { kind, field }) => {
      const outcome = readTencentReply(httpReply(200, bodyOf(code, '频率限制 / message')));
      expect(outcome).toEqual({
        ok: false,
        failure: expect.objectContaining({
          kind,
          providerCode: code,
          requestId,
          httpStatus: 200,
          ...(field && kind === 'config' && { field }),
        }),
      });

      const error = settleError(httpReply(200, bodyOf(code, '频率限制 / message')));
      const response = logtoResponseFor(error);
      expect(response.status).toBe(logtoErrorOf[kind].status);
      expect(response.code).toBe(logtoErrorOf[kind].code);

      const description = `Tencent ${code}: 频率限制 / message`;
      if (kind === 'config' || kind === 'recipient') {
        // Logto prints these codes' ZodError issues: the key at fault, the code, the message, the RequestId.
        const [issueLine] = response.toast.split('\n').slice(1);
        expect(issueLine).toMatch(new RegExp(`^Error in key path "${field}": \\(custom\\) `));
        expect(issueLine).toContain(description);
        expect(issueLine).toContain(`(RequestId: ${requestId})`);
      } else {
        const data = error.data as Record<string, unknown>;
        expect(data).toMatchObject({ provider: 'Tencent', providerCode: code, requestId, httpStatus: 200 });
        expect(data.errorDescription).toContain(description);
        expect(data.errorDescription).toContain(`(RequestId: ${requestId})`);
      }
      if (kind === 'general') {
        expect(response.toast).toBe(`Error occurred in connector: ${description} (RequestId: ${requestId})`);
      }
    });
  });

  it.each(sources)('names overseasSignName for a sign problem on an international send (%s)', (_source, bodyOf) => {
    const reply = httpReply(200, bodyOf('FailedOperation.SignatureIncorrectOrUnapproved'));
    expect(logtoResponseFor(settleError(reply, { international: true })).toast).toContain(
      'Error in key path "overseasSignName"'
    );
    expect(logtoResponseFor(settleError(reply, { international: false })).toast).toContain(
      'Error in key path "signName"'
    );
  });

  it('adds an actionable hint to mapped codes', () => {
    expect(logtoResponseFor(settleError(httpReply(200, errorBody('AuthFailure.SignatureExpire')))).toast).toContain(
      'check the clock of the Logto server'
    );
    expect(
      (
        settleError(httpReply(200, statusBody('FailedOperation.InsufficientBalanceInSmsPackage'))).data as {
          errorDescription: string;
        }
      ).errorDescription
    ).toContain('Top up the SMS package');
  });

  it('reports Response.Error even on a non-200 status', () => {
    const outcome = readTencentReply(httpReply(503, errorBody('RequestLimitExceeded')));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'rateLimit', httpStatus: 503 } });
  });

  it('prefers Response.Error over a SendStatusSet in the same reply', () => {
    const body = {
      Response: { ...okBody().Response, Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad signature' } },
    };
    expect(readTencentReply(httpReply(200, body))).toMatchObject({
      ok: false,
      failure: { kind: 'config', field: 'accessKeySecret' },
    });
  });
});

describe('readTencentReply: success and malformed replies', () => {
  it('resolves with the SerialNo and the RequestId', () => {
    expect(readTencentReply(httpReply(200, okBody()))).toEqual({
      ok: true,
      result: { messageId: '5000:1045710669157053657849499619', requestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279' },
    });
  });

  it('fails a mixed reply on the number that was not sent, whatever its position', () => {
    const ok = okBody().Response.SendStatusSet[0];
    const limited = statusBody('LimitExceeded.PhoneNumberDailyLimit', 'daily limit').Response.SendStatusSet[0];
    for (const set of [
      [ok, limited],
      [limited, ok],
    ]) {
      const error = settleError(httpReply(200, { Response: { SendStatusSet: set, RequestId: 'mixed-1' } }));
      expect(logtoResponseFor(error)).toEqual({
        status: 429,
        code: 'connector.rate_limit_exceeded',
        toast: 'Trigger rate limit. Please try again later.',
      });
      expect(error.data).toMatchObject({
        errorDescription: 'Tencent LimitExceeded.PhoneNumberDailyLimit: daily limit (RequestId: mixed-1)',
        providerCode: 'LimitExceeded.PhoneNumberDailyLimit',
        requestId: 'mixed-1',
      });
    }
  });

  it.each<[string, HttpReply, string]>([
    [
      'an empty SendStatusSet',
      httpReply(200, { Response: { SendStatusSet: [], RequestId: 'r-1' } }),
      'Tencent answered without a send status (empty SendStatusSet)',
    ],
    [
      'no SendStatusSet',
      httpReply(200, { Response: { RequestId: 'r-1' } }),
      'Tencent answered without a send status (empty SendStatusSet)',
    ],
    [
      'a status without Code',
      httpReply(200, { Response: { SendStatusSet: [{ SerialNo: 'x' }], RequestId: 'r-1' } }),
      'Tencent answered with a send status without a code',
    ],
    [
      'a status that is not an object',
      httpReply(200, { Response: { SendStatusSet: ['Ok'], RequestId: 'r-1' } }),
      'Tencent answered with a send status without a code',
    ],
    [
      'Ok without SerialNo',
      httpReply(200, okBody({ SerialNo: '' })),
      'Tencent reported the message as sent but without a SerialNo',
    ],
    [
      'a non-JSON body',
      httpReply(200, '<html><body>Bad gateway</body></html>'),
      'Tencent answered HTTP 200 with a body that is not a Tencent API reply: <html><body>Bad gateway</body></html>',
    ],
    [
      'JSON without Response',
      httpReply(200, { ok: true }),
      'Tencent answered HTTP 200 with a body that is not a Tencent API reply: {"ok":true}',
    ],
    [
      'an empty body',
      httpReply(200, ''),
      'Tencent answered HTTP 200 with a body that is not a Tencent API reply: (empty body)',
    ],
  ])('turns %s into invalid_response with a readable description', (_name, reply, description) => {
    const error = settleError(reply);
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.invalid_response',
      toast: "The connector's response is invalid.",
    });
    expect((error.data as { errorDescription: string }).errorDescription).toContain(description);
    expect(error.data).toMatchObject({ provider: 'Tencent', httpStatus: 200 });
  });

  it('turns a non-JSON error status (a gateway page) into general, showing the status and the body', () => {
    const error = settleError(httpReply(502, 'Bad Gateway'));
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.general',
      toast:
        'Error occurred in connector: Tencent answered HTTP 502 with a body that is not a Tencent API reply: Bad Gateway',
    });
  });

  it('turns a Tencent reply with an error status but no error code into general', () => {
    const error = settleError(httpReply(500, { Response: { RequestId: 'r-500' } }));
    expect(logtoResponseFor(error).toast).toBe(
      'Error occurred in connector: Tencent answered HTTP 500 without an error code: {"Response":{"RequestId":"r-500"}} (RequestId: r-500)'
    );
  });

  it('describes an error without a Message', () => {
    const error = settleError(httpReply(200, { Response: { Error: { Code: 'InternalError' }, RequestId: 'r-2' } }));
    expect(logtoResponseFor(error).toast).toBe(
      'Error occurred in connector: Tencent InternalError: (no message) (RequestId: r-2)'
    );
  });
});

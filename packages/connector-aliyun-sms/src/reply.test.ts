import { ConnectorErrorCodes } from '@logto/connector-kit';
import { logtoResponseFor, settle, type FailureKind, type HttpReply } from '@sms-suite/sms-kit';
import { httpReply, logtoErrorOf, thrownConnectorError } from '@sms-suite/sms-kit/testing';
import { ZodError } from 'zod';

import { aliyunCodePrefixes, aliyunErrorCodes, readAliyunReply, ruleForCode } from './reply';

const requestId = 'F655A8D5-B967-440B-8683-DAD6FF8DE990';

const settled = (reply: HttpReply) => thrownConnectorError(() => settle('Aliyun', readAliyunReply(reply)));

describe('readAliyunReply: success', () => {
  it('resolves with the BizId as messageId and the RequestId', () => {
    const outcome = readAliyunReply(
      httpReply(200, { Code: 'OK', Message: 'OK', BizId: '9006197469364984400', RequestId: requestId })
    );
    expect(outcome).toEqual({ ok: true, result: { messageId: '9006197469364984400', requestId } });
  });

  it('reports Code OK without a BizId as invalid_response instead of claiming a send', () => {
    const error = settled(httpReply(200, { Code: 'OK', Message: 'OK', RequestId: requestId }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
    expect(error.data).toMatchObject({ provider: 'Aliyun', providerCode: 'OK', requestId, httpStatus: 200 });
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.invalid_response',
      toast: "The connector's response is invalid.",
    });
    expect((error.data as { errorDescription: string }).errorDescription).toMatch(
      /^Aliyun answered Code OK without a BizId; the message may or may not have been sent: \{"Code":"OK"/
    );
  });
});

// Every Aliyun code the connector knows, with the answer Logto gives for it.
const table: Array<[code: string, kind: FailureKind, field: string | undefined]> = [
  ['isv.BUSINESS_LIMIT_CONTROL', 'rateLimit', undefined],
  ['isv.DAY_LIMIT_CONTROL', 'rateLimit', undefined],
  ['isv.MONTH_LIMIT_CONTROL', 'rateLimit', undefined],
  ['Throttling', 'rateLimit', undefined],
  ['Throttling.User', 'rateLimit', undefined],
  ['Throttling.Api', 'rateLimit', undefined],
  ['isv.MOBILE_NUMBER_ILLEGAL', 'recipient', 'to'],
  ['isv.DOMESTIC_NUMBER_NOT_SUPPORTED', 'recipient', 'to'],
  ['isv.MOBILE_COUNT_OVER_LIMIT', 'recipient', 'to'],
  ['SignatureDoesNotMatch', 'config', 'accessKeySecret'],
  ['InvalidAccessKeyId', 'config', 'accessKeyId'],
  ['InvalidAccessKeyId.NotFound', 'config', 'accessKeyId'],
  ['InvalidAccessKeyId.Inactive', 'config', 'accessKeyId'],
  ['isp.RAM_PERMISSION_DENY', 'config', 'accessKeyId'],
  ['Forbidden.RAM', 'config', 'accessKeyId'],
  ['isv.ACCOUNT_NOT_EXISTS', 'config', 'accessKeyId'],
  ['isv.ACCOUNT_ABNORMAL', 'config', 'accessKeyId'],
  ['isv.PRODUCT_UN_SUBSCRIPT', 'config', 'accessKeyId'],
  ['isv.PRODUCT_UNSUBSCRIBE', 'config', 'accessKeyId'],
  ['isv.DENY_IP_RANGE', 'config', 'accessKeyId'],
  ['isv.SMS_SIGNATURE_ILLEGAL', 'config', 'signName'],
  ['isv.SMS_SIGN_ILLEGAL', 'config', 'signName'],
  ['isv.SIGN_STATE_ILLEGAL', 'config', 'signName'],
  ['isv.SMS_SIGNATURE_SCENE_ILLEGAL', 'config', 'signName'],
  ['isv.SMS_TEMPLATE_ILLEGAL', 'config', 'templates'],
  ['isv.TEMPLATE_MISSING_PARAMETERS', 'config', 'templates'],
  ['isv.AMOUNT_NOT_ENOUGH', 'usageLimit', undefined],
  ['isv.OUT_OF_SERVICE', 'usageLimit', undefined],
  ['InvalidTimeStamp.Expired', 'general', undefined],
  ['SignatureNonceUsed', 'general', undefined],
  ['isv.INVALID_PARAMETERS', 'general', undefined],
  ['isv.SMS_CONTENT_ILLEGAL', 'general', undefined],
  ['isp.SYSTEM_ERROR', 'general', undefined],
  ['isv.SOMETHING_NEW', 'general', undefined],
  // Prefixes match whole segments only.
  ['ThrottlingSoon', 'general', undefined],
  ['InvalidAccessKeyIdFormat', 'general', undefined],
];

describe('readAliyunReply: Aliyun codes', () => {
  it('has a row in this table for every code and prefix of the code table', () => {
    const tested = new Set(table.map(([code]) => code));
    for (const code of [...Object.keys(aliyunErrorCodes), ...aliyunCodePrefixes.map(([prefix]) => prefix)]) {
      expect(tested).toContain(code);
    }
  });

  it.each(table)('%s → %s %s', (code, kind, field) => {
    const rule = ruleForCode(code);
    expect(rule.kind).toBe(kind);
    if (kind === 'config') {
      expect(rule.field).toBe(field);
    }

    // Business failures come inside HTTP 200, gateway failures as 4xx/5xx: same mapping either way.
    for (const status of [200, 400, 403, 500]) {
      const outcome = readAliyunReply(
        httpReply(status, { Code: code, Message: 'what Aliyun said', RequestId: requestId })
      );
      expect(outcome).toMatchObject({
        ok: false,
        failure: { kind, providerCode: code, requestId, httpStatus: status },
      });

      const error = settled(httpReply(status, { Code: code, Message: 'what Aliyun said', RequestId: requestId }));
      const response = logtoResponseFor(error);
      expect(response.code).toBe(logtoErrorOf[kind].code);
      expect(response.status).toBe(kind === 'rateLimit' || kind === 'usageLimit' ? 429 : 400);

      if (kind === 'config' || kind === 'recipient') {
        expect(error.data).toBeInstanceOf(ZodError);
        const [issue] = (error.data as ZodError).issues;
        expect(issue?.path).toEqual([field]);
        expect(issue?.message).toMatch(new RegExp(`^Aliyun ${code.replace(/\./g, '\\.')}: what Aliyun said`));
        expect(issue?.message).toMatch(new RegExp(`\\(RequestId ${requestId}\\)$`));
        expect(response.toast).toContain(`Error in key path "${field}": (custom) Aliyun ${code}: what Aliyun said`);
      } else {
        expect(error.data).toMatchObject({ provider: 'Aliyun', providerCode: code, requestId, httpStatus: status });
        const { errorDescription } = error.data as { errorDescription: string };
        expect(errorDescription).toMatch(new RegExp(`^Aliyun ${code.replace(/\./g, '\\.')}: what Aliyun said`));
        expect(errorDescription).toMatch(new RegExp(`\\(RequestId ${requestId}\\)$`));
        if (kind === 'general') {
          expect(response.toast).toBe(`Error occurred in connector: ${errorDescription}`);
        }
      }
    }
  });

  it('shows an unknown code exactly as "Aliyun <Code>: <Message>" with the RequestId', () => {
    const error = settled(
      httpReply(200, {
        Code: 'isv.INVALID_JSON_PARAM',
        Message: 'JSON参数不合法，只接受字符串值',
        RequestId: requestId,
      })
    );
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.general',
      toast: `Error occurred in connector: Aliyun isv.INVALID_JSON_PARAM: JSON参数不合法，只接受字符串值 (RequestId ${requestId})`,
    });
  });

  it('tells the admin what to fix for a config code', () => {
    const error = settled(
      httpReply(200, { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '模板不合法(不存在或被拉黑)', RequestId: requestId })
    );
    expect(logtoResponseFor(error).toast).toBe(
      [
        "The connector's config is invalid.",
        `Error in key path "templates": (custom) Aliyun isv.SMS_TEMPLATE_ILLEGAL: 模板不合法(不存在或被拉黑) ${aliyunErrorCodes['isv.SMS_TEMPLATE_ILLEGAL']?.hint} (RequestId ${requestId})`,
      ].join('\n')
    );
  });

  it('cuts the string to sign from a SignatureDoesNotMatch message (it repeats the number and the code)', () => {
    const error = settled(
      httpReply(400, {
        RequestId: requestId,
        HostId: 'dysmsapi.aliyuncs.com',
        Code: 'SignatureDoesNotMatch',
        Message:
          'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAI%26PhoneNumbers%3D16502530000%26TemplateParam%3D%257B%2522code%2522%253A%2522123456%2522%257D',
        Recommend: 'https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Dysmsapi',
      })
    );
    const toast = logtoResponseFor(error).toast;
    expect(toast).toContain(
      'Error in key path "accessKeySecret": (custom) Aliyun SignatureDoesNotMatch: Specified signature is not matched with our calculation. accessKeySecret does not belong to this accessKeyId'
    );
    expect(toast).toContain('Diagnosis: https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Dysmsapi');
    expect(toast).not.toContain('16502530000');
    expect(toast).not.toContain('123456');
    expect(toast).not.toContain('string to sign');
  });

  it('keeps long messages short', () => {
    const error = settled(httpReply(200, { Code: 'isv.X', Message: 'x'.repeat(5000), RequestId: requestId }));
    expect((error.data as { errorDescription: string }).errorDescription.length).toBeLessThan(400);
  });

  it('reads a reply without Message or RequestId', () => {
    const error = settled(httpReply(200, { Code: 'isp.SYSTEM_ERROR' }));
    expect(logtoResponseFor(error).toast).toBe('Error occurred in connector: Aliyun isp.SYSTEM_ERROR: (no message)');
    expect(error.data).not.toHaveProperty('requestId');
  });
});

describe('readAliyunReply: replies without a usable Code', () => {
  it.each<[string, HttpReply, string, number, RegExp]>([
    [
      'HTTP 200 without Code',
      httpReply(200, { Message: 'OK', RequestId: requestId }),
      'connector.invalid_response',
      400,
      /^Aliyun answered HTTP 200 without a Code: \{"Message":"OK"/,
    ],
    [
      'HTTP 200 with an empty body',
      httpReply(200, ''),
      'connector.invalid_response',
      400,
      /^Aliyun answered HTTP 200 with a body that is not JSON: \(empty body\)$/,
    ],
    [
      'HTTP 200 with XML',
      httpReply(200, '<?xml version="1.0"?><SendSmsResponse><Code>OK</Code></SendSmsResponse>'),
      'connector.invalid_response',
      400,
      /^Aliyun answered HTTP 200 with a body that is not JSON: <\?xml/,
    ],
    ['HTTP 200 with a JSON array', httpReply(200, [1, 2]), 'connector.invalid_response', 400, /not JSON: \[1,2\]/],
    ['HTTP 200 with Code null', httpReply(200, { Code: null }), 'connector.invalid_response', 400, /without a Code/],
    [
      'an HTML 502 from a proxy',
      httpReply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>'),
      'connector.general',
      400,
      /^Aliyun answered HTTP 502: <html><body><h1>502 Bad Gateway/,
    ],
    [
      'HTTP 503 with an empty body',
      httpReply(503, ''),
      'connector.general',
      400,
      /^Aliyun answered HTTP 503: \(empty body\)$/,
    ],
    [
      'HTTP 404 JSON without Code',
      httpReply(404, { error: 'not found' }),
      'connector.general',
      400,
      /^Aliyun answered HTTP 404: \{"error"/,
    ],
    [
      'HTTP 500 with Code OK',
      httpReply(500, { Code: 'OK' }),
      'connector.general',
      400,
      /^Aliyun answered HTTP 500 with Code OK/,
    ],
    [
      'HTTP 429 without Code',
      httpReply(429, 'Too Many Requests'),
      'connector.rate_limit_exceeded',
      429,
      /^Aliyun answered HTTP 429: Too Many Requests$/,
    ],
  ])('%s', (_case, httpReply, code, status, description) => {
    const error = settled(httpReply);
    const response = logtoResponseFor(error);
    expect(response.code).toBe(code);
    expect(response.status).toBe(status);
    expect(error.data).toMatchObject({ provider: 'Aliyun', httpStatus: httpReply.status });
    expect((error.data as { errorDescription: string }).errorDescription).toMatch(description);
    if (code === 'connector.general') {
      expect(response.toast).toMatch(/^Error occurred in connector: Aliyun answered HTTP/);
    }
  });
});

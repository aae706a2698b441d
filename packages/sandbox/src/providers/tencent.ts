import { countryOf } from '../countries';
import { credentials } from '../credentials';
import {
  contentKind,
  htmlPage,
  isRecord,
  jsonReply,
  parseJsonBody,
  reply,
  type HandlerResult,
  type ProviderContext,
  type Reply,
  type SandboxRequest,
} from '../exchange';
import { magicFor, type MagicOutcome } from '../magic';
import { verifyTc3Request } from '../verify/tencent-tc3';

/** Tencent Cloud SMS `SendSms` (2021-01-11): `POST /` with JSON, TC3-HMAC-SHA256, always HTTP 200. */
export const tencentSmsRegions = ['ap-guangzhou', 'ap-beijing', 'ap-nanjing', 'ap-singapore'];

export const tencentError = (requestId: string, code: string, message: string, status = 200): Reply =>
  jsonReply(status, { Response: { Error: { Code: code, Message: message }, RequestId: requestId } });

/** What the server-error magic numbers get: HTTP 500, and the error inside the usual envelope. */
export const tencentInternalError = (requestId: string): Reply =>
  tencentError(requestId, 'InternalError', 'An internal error occurred. Please try again later.', 500);

export const codeOf = (failure: Reply): string => {
  const { Response } = JSON.parse(failure.body) as { Response: { Error: { Code: string } } };
  return `${failure.status} ${Response.Error.Code}`;
};

const refuse = (failure: Reply, why: string): HandlerResult => reply(failure, `${codeOf(failure)} (${why})`);

/** Per-number failures, inside a successful response's SendStatusSet. */
const perNumberFailures: Partial<Record<MagicOutcome, { code: string; message: string }>> = {
  'rate-limited': {
    code: 'LimitExceeded.PhoneNumberDailyLimit',
    message: 'the number of sms messages sent from a single mobile number every day exceeds the upper limit',
  },
  'invalid-number': { code: 'InvalidParameterValue.IncorrectPhoneNumber', message: 'incorrect number format' },
  unapproved: {
    code: 'FailedOperation.TemplateIncorrectOrUnapproved',
    message: 'the template is not approved or the request content does not match the approved template content',
  },
  'insufficient-balance': {
    code: 'FailedOperation.InsufficientBalanceInSmsPackage',
    message: 'the package balance is insufficient',
  },
};

type ParsedNumber = { sent: string; domestic: boolean; valid: boolean; digits: string; warning?: string };

const mainlandMobile = /^1[3-9]\d{9}$/;

/** How Tencent reads a number: `+` numbers by their country code; anything without `+` as a mainland number. */
export const parseTencentNumber = (sent: string): ParsedNumber => {
  if (sent.startsWith('+')) {
    const digits = sent.slice(1);
    if (digits.startsWith('86')) {
      return { sent, domestic: true, valid: mainlandMobile.test(digits.slice(2)), digits };
    }
    return { sent, domestic: false, valid: /^[1-9]\d{6,14}$/.test(digits), digits };
  }
  const national = sent.startsWith('0086')
    ? sent.slice(4)
    : sent.startsWith('86') && sent.length === 13
      ? sent.slice(2)
      : sent;
  const parsed: ParsedNumber = { sent, domestic: true, valid: mainlandMobile.test(national), digits: `86${national}` };
  // Bare digits: Tencent assumes a mainland number, which is how `16502530000` gets misrouted.
  return national === sent
    ? { ...parsed, warning: `sent without "+": Tencent reads ${sent} as a mainland-China number` }
    : parsed;
};

export const handleTencent = (request: SandboxRequest, context: ProviderContext): HandlerResult => {
  const requestId = context.ids.tencentRequestId();
  const error = (code: string, message: string) => tencentError(requestId, code, message);
  const header = (name: string) => request.headers[name]?.trim() ?? '';

  if (request.path !== '/') {
    return refuse(
      error('InvalidAction', `The path ${request.path} is not served: Tencent Cloud API calls go to /.`),
      'path'
    );
  }
  if (request.method !== 'POST' || contentKind(request) !== 'json') {
    return refuse(
      error('InvalidParameter', 'The sandbox serves TC3-HMAC-SHA256 calls as POST with Content-Type application/json.'),
      `${request.method} ${request.headers['content-type'] ?? '(no content-type)'}`
    );
  }
  if (header('x-tc-action') !== 'SendSms') {
    return refuse(
      error('InvalidAction', `The requested action ${header('x-tc-action') || '(none)'} does not exist; use SendSms.`),
      'X-TC-Action'
    );
  }
  if (header('x-tc-version') !== '2021-01-11') {
    return refuse(
      error(
        'NoSuchVersion',
        `The API version ${header('x-tc-version') || '(none)'} does not exist; SendSms is 2021-01-11.`
      ),
      'X-TC-Version'
    );
  }
  if (!header('x-tc-region')) {
    return refuse(
      error('MissingParameter', 'The request is missing a required parameter `X-TC-Region`.'),
      'X-TC-Region'
    );
  }
  if (!tencentSmsRegions.includes(header('x-tc-region'))) {
    return refuse(
      error(
        'UnsupportedRegion',
        `The region ${header('x-tc-region')} is not supported by SMS; use one of ${tencentSmsRegions.join(', ')}.`
      ),
      'X-TC-Region'
    );
  }

  const authFailure = verifyTc3Request({
    method: request.method,
    uri: request.path,
    query: request.rawQuery,
    headers: request.headers,
    payload: request.body,
    secrets: { [credentials.tencent.accessKeyId]: credentials.tencent.accessKeySecret },
    service: 'sms',
    nowMs: context.nowMs,
  });
  if (authFailure) {
    return refuse(error(authFailure.code, authFailure.message), 'signature check');
  }

  const parsed = parseJsonBody(request.body);
  if (!parsed.ok || !isRecord(parsed.value)) {
    return refuse(error('FailedOperation.JsonParseFail', 'Failed to parse the request body as a JSON object.'), 'body');
  }
  const body = parsed.value;
  if (typeof body.SmsSdkAppId !== 'string' || !body.SmsSdkAppId) {
    return refuse(
      error('MissingParameter', 'The request is missing a required parameter `SmsSdkAppId`.'),
      'no SmsSdkAppId'
    );
  }
  if (body.SmsSdkAppId !== credentials.tencent.sdkAppId) {
    return refuse(
      error(
        'UnauthorizedOperation.SmsSdkAppIdVerifyFail',
        `SmsSdkAppId ${body.SmsSdkAppId} verification failed: it does not belong to the account of this SecretId.`
      ),
      'SmsSdkAppId'
    );
  }
  const numbers = body.PhoneNumberSet;
  if (!Array.isArray(numbers) || numbers.length === 0) {
    return refuse(error('MissingParameter.EmptyPhoneNumberSet', 'The PhoneNumberSet is empty.'), 'no PhoneNumberSet');
  }
  if (numbers.length > 200) {
    return refuse(
      error('LimitExceeded.PhoneNumberCountLimit', 'More than 200 numbers in one request.'),
      `${numbers.length} numbers`
    );
  }
  if (!numbers.every((number): number is string => typeof number === 'string')) {
    return refuse(error('InvalidParameter', 'PhoneNumberSet must be an array of strings.'), 'PhoneNumberSet');
  }
  if (typeof body.TemplateId !== 'string' || !body.TemplateId) {
    return refuse(
      error('MissingParameter', 'The request is missing a required parameter `TemplateId`.'),
      'no TemplateId'
    );
  }
  const params = body.TemplateParamSet ?? [];
  if (!Array.isArray(params) || !params.every((value): value is string => typeof value === 'string')) {
    return refuse(
      error('InvalidParameterValue.TemplateParameterFormatError', 'TemplateParamSet must be an array of strings.'),
      'TemplateParamSet'
    );
  }
  // Sandbox templates are verification-code templates with one variable, {1}.
  if (params.length !== 1) {
    return refuse(
      error(
        'FailedOperation.TemplateParamSetNotMatchApprovedTemplate',
        `The request content does not match the approved template: it has one variable {1}, TemplateParamSet has ${params.length}.`
      ),
      'TemplateParamSet count'
    );
  }
  if (!/^\d{0,6}$/.test(params[0] ?? '')) {
    return refuse(
      error(
        'InvalidParameterValue.TemplateParameterFormatError',
        'Verification-code templates take 0 to 6 digits as their variable.'
      ),
      'TemplateParamSet value'
    );
  }

  const parsedNumbers = numbers.map(parseTencentNumber);
  if (new Set(parsedNumbers.map(({ domestic }) => domestic)).size > 1) {
    return refuse(
      error(
        'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber',
        'The request contains both mainland-China and international numbers.'
      ),
      'mixed numbers'
    );
  }
  const signName = typeof body.SignName === 'string' ? body.SignName.trim() : '';
  if (parsedNumbers[0]?.domestic && !signName) {
    return refuse(
      error(
        'FailedOperation.SignatureIncorrectOrUnapproved',
        'SignName is required for mainland-China numbers and must be approved.'
      ),
      'no SignName for a mainland number'
    );
  }

  const requestLevel = numbers
    .map((number) => magicFor(number))
    .find((magic) => magic && !perNumberFailures[magic.outcome]);
  if (requestLevel) {
    const label = `magic number ${requestLevel.number} (${requestLevel.outcome})`;
    if (requestLevel.outcome === 'no-reply') {
      return { kind: 'hold', summary: `${label}: holding the request open until the client gives up` };
    }
    if (requestLevel.outcome === 'non-json') {
      return reply(htmlPage(), `${label}: HTML instead of JSON`);
    }
    return reply(tencentInternalError(requestId), `${label}: 500 InternalError`);
  }

  const accepted: NonNullable<Extract<HandlerResult, { kind: 'reply' }>['accepted']> = [];
  const notes: string[] = [];
  const statuses = parsedNumbers.map((number) => {
    const base = {
      PhoneNumber: number.sent,
      SessionContext: typeof body.SessionContext === 'string' ? body.SessionContext : '',
    };
    const isoCode = number.domestic ? 'CN' : countryOf(number.digits, 'DEF');
    const magic = magicFor(number.sent);
    const failure = !number.valid ? perNumberFailures['invalid-number'] : magic && perNumberFailures[magic.outcome];
    if (failure) {
      notes.push(`${number.sent}: ${failure.code}${magic ? ` (magic number ${magic.outcome})` : ''}`);
      return { SerialNo: '', ...base, Fee: 0, Code: failure.code, Message: failure.message, IsoCode: isoCode };
    }
    const serialNo = context.ids.tencentSerialNo();
    notes.push(`${number.sent}: Ok ${serialNo}`);
    accepted.push({
      id: serialNo,
      to: number.sent,
      templateCode: body.TemplateId as string,
      templateParams: params,
      ...(signName && { sender: signName }),
      ...(number.warning && { warnings: [number.warning] }),
      raw: body,
    });
    return { SerialNo: serialNo, ...base, Fee: 1, Code: 'Ok', Message: 'send success', IsoCode: isoCode };
  });
  return reply(
    jsonReply(200, { Response: { SendStatusSet: statuses, RequestId: requestId } }),
    `200 ${notes.join('; ')}`,
    accepted
  );
};

import { excerpt, fail, succeed, type HttpReply, type Outcome, type CodeRule as KitCodeRule } from '@sms-suite/sms-kit';

export type TencentResult = { messageId: string; requestId?: string };

type TencentField = 'accessKeyId' | 'accessKeySecret' | 'sdkAppId' | 'signName' | 'templates' | 'region' | 'endpoint';

type CodeRule = KitCodeRule<TencentField>;

const signRule: CodeRule = {
  kind: 'config',
  field: 'signName',
  hint: 'Use the approved signature content (签名内容), not its ID, of this SDK AppID and of the right kind (mainland or international).',
};
const rateLimit: CodeRule = { kind: 'rateLimit' };
const recipient: CodeRule = { kind: 'recipient' };
const usageLimit: CodeRule = {
  kind: 'usageLimit',
  hint: 'Top up the SMS package or settle the account in the Tencent Cloud console.',
};

/**
 * Tencent codes, whether they arrive as `Response.Error.Code` or as `SendStatusSet[i].Code`.
 * Exact codes first, then the prefix rules below; anything else is `general`.
 */
export const tencentErrorCodes: Record<string, CodeRule> = {
  'AuthFailure.SecretIdNotFound': {
    kind: 'config',
    field: 'accessKeyId',
    hint: 'The SecretId does not exist or was deleted: copy it from Cloud Access Management → API keys.',
  },
  'AuthFailure.InvalidSecretId': {
    kind: 'config',
    field: 'accessKeyId',
    hint: 'This is not a Tencent Cloud API SecretId (AKID…).',
  },
  'AuthFailure.SignatureFailure': {
    kind: 'config',
    field: 'accessKeySecret',
    hint: 'The SecretKey does not belong to this SecretId.',
  },
  'AuthFailure.SignatureExpire': {
    kind: 'config',
    field: 'accessKeySecret',
    hint: "The request was signed with a time more than 5 minutes off Tencent's: check the clock of the Logto server.",
  },
  'AuthFailure.UnauthorizedOperation': {
    kind: 'config',
    field: 'accessKeySecret',
    hint: 'The CAM user of this key pair lacks the permission to send SMS (sms:SendSms).',
  },
  'UnauthorizedOperation.RequestIpNotInWhitelist': {
    kind: 'config',
    field: 'accessKeyId',
    hint: "Add the Logto server's outgoing IP to the key's IP allow-list, or remove the allow-list.",
  },
  'UnauthorizedOperation.SmsSdkAppIdVerifyFail': {
    kind: 'config',
    field: 'sdkAppId',
    hint: 'The SDK AppID does not belong to the account of this SecretId.',
  },
  'InvalidParameterValue.SdkAppIdNotExist': {
    kind: 'config',
    field: 'sdkAppId',
    hint: 'Copy the SDK AppID from SMS console → Application management.',
  },
  'FailedOperation.SignatureIncorrectOrUnapproved': signRule,
  'FailedOperation.TemplateIncorrectOrUnapproved': {
    kind: 'config',
    field: 'templates',
    hint: 'Use the ID of an approved template of this SDK AppID, of the right kind (mainland or international), with exactly one variable {1}.',
  },
  'UnsupportedOperation.UnsuportedRegion': {
    kind: 'config',
    field: 'region',
    hint: 'Check "region" and that the application may send to this destination.',
  },
  UnsupportedRegion: { kind: 'config', field: 'region', hint: 'The SMS API does not serve this region.' },
  InvalidAction: { kind: 'config', field: 'endpoint', hint: 'This endpoint does not serve the SMS API.' },
  'InvalidParameterValue.IncorrectPhoneNumber': recipient,
  'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber': recipient,
  'FailedOperation.PhoneNumberInBlacklist': recipient,
  'FailedOperation.InsufficientBalanceInSmsPackage': usageLimit,
  'UnauthorizedOperation.SerivceSuspendDueToArrears': usageLimit, // sic: Tencent's spelling
  // More than 200 numbers in one request: a connector bug (it sends one), not throttling.
  'LimitExceeded.PhoneNumberCountLimit': { kind: 'general' },
};

export const tencentErrorPrefixes: ReadonlyArray<[prefix: string, rule: CodeRule]> = [
  ['AuthFailure.', { kind: 'config', field: 'accessKeySecret' }],
  ['RequestLimitExceeded', rateLimit],
  ['LimitExceeded.', rateLimit],
];

export const ruleFor = (code: string): CodeRule =>
  tencentErrorCodes[code] ??
  tencentErrorPrefixes.find(([prefix]) => code.startsWith(prefix))?.[1] ?? { kind: 'general' };

type TencentError = { Code?: unknown; Message?: unknown };
type TencentSendStatus = { SerialNo?: unknown; Code?: unknown; Message?: unknown };
type TencentResponse = { Error?: unknown; SendStatusSet?: unknown; RequestId?: unknown };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

export type ReplyContext = {
  /** The number is outside mainland China: a sign problem is then about `overseasSignName`. */
  international?: boolean;
};

/** Maps Tencent's reply (HTTP 200 for almost everything) to the message's SerialNo, or to the failure to read. */
export const readTencentReply = (
  reply: HttpReply,
  { international = false }: ReplyContext = {}
): Outcome<TencentResult> => {
  const { status } = reply;
  const successStatus = status >= 200 && status < 300;
  const response =
    isObject(reply.json) && isObject(reply.json.Response) ? (reply.json.Response as TencentResponse) : undefined;
  const requestId = text(response?.RequestId);
  const withRequestId = (description: string) => (requestId ? `${description} (RequestId: ${requestId})` : description);

  const failWith = (code: string, message: string | undefined) => {
    const rule = ruleFor(code);
    const field = rule.field === 'signName' && international ? 'overseasSignName' : rule.field;
    return fail({
      kind: rule.kind,
      ...(field && { field }),
      description: withRequestId(`Tencent ${code}: ${message ?? '(no message)'}${rule.hint ? ` ${rule.hint}` : ''}`),
      providerCode: code,
      requestId,
      httpStatus: status,
    });
  };

  const error = response && isObject(response.Error) ? (response.Error as TencentError) : undefined;
  const errorCode = text(error?.Code);
  if (errorCode) {
    return failWith(errorCode, text(error?.Message));
  }

  if (!response || !successStatus) {
    return fail({
      kind: successStatus ? 'invalidResponse' : 'general',
      description: withRequestId(
        `Tencent answered HTTP ${status} ${response ? 'without an error code' : 'with a body that is not a Tencent API reply'}: ${excerpt(reply.text) || '(empty body)'}`
      ),
      requestId,
      httpStatus: status,
    });
  }

  const statuses = Array.isArray(response.SendStatusSet) ? (response.SendStatusSet as unknown[]) : [];
  if (statuses.length === 0) {
    return fail({
      kind: 'invalidResponse',
      description: withRequestId(
        `Tencent answered without a send status (empty SendStatusSet): ${excerpt(reply.text)}`
      ),
      requestId,
      httpStatus: status,
    });
  }

  // One number is sent per request; should Tencent report several, every one has to be `Ok`.
  for (const entry of statuses) {
    const code = isObject(entry) ? text((entry as TencentSendStatus).Code) : undefined;
    if (!code) {
      return fail({
        kind: 'invalidResponse',
        description: withRequestId(`Tencent answered with a send status without a code: ${excerpt(reply.text)}`),
        requestId,
        httpStatus: status,
      });
    }
    if (code !== 'Ok') {
      return failWith(code, text((entry as TencentSendStatus).Message));
    }
  }

  const serialNo = text((statuses[0] as TencentSendStatus).SerialNo);
  if (!serialNo) {
    return fail({
      kind: 'invalidResponse',
      description: withRequestId(`Tencent reported the message as sent but without a SerialNo: ${excerpt(reply.text)}`),
      requestId,
      httpStatus: status,
    });
  }
  return succeed({ messageId: serialNo, ...(requestId && { requestId }) });
};

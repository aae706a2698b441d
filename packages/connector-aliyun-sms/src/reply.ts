import { excerpt, fail, succeed, type HttpReply, type Outcome, type CodeRule } from '@sms-suite/sms-kit';

export type AliyunResult = { messageId: string; requestId?: string };

const signHint =
  'signName must be an approved signature of this account, exactly as shown in the SMS console (without 【】).';
const templateHint =
  'Check the template code of this usage type in "templates": it must be approved, belong to this account, and match the number (mainland numbers need a mainland template, other numbers an international one; use { "china", "overseas" }).';
const accountHint = 'Check the account behind accessKeyId in the Aliyun console.';
const balanceHint = 'Top up the Aliyun account; no message is sent until then.';

/**
 * Aliyun `Code`s and what they mean for the admin (`field` names the config key at fault). Business
 * failures arrive inside HTTP 200, gateway failures as 4xx/5xx; both carry `Code`. Families that
 * share a prefix are in `aliyunCodePrefixes`. Anything else is `general`.
 */
export const aliyunErrorCodes: Record<string, CodeRule> = {
  // Flow control: per number per minute/hour/day, or the account's daily/monthly limits.
  'isv.BUSINESS_LIMIT_CONTROL': { kind: 'rateLimit' },
  'isv.DAY_LIMIT_CONTROL': { kind: 'rateLimit' },
  'isv.MONTH_LIMIT_CONTROL': { kind: 'rateLimit' },
  // The recipient.
  'isv.MOBILE_NUMBER_ILLEGAL': { kind: 'recipient' },
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED': { kind: 'recipient' },
  'isv.MOBILE_COUNT_OVER_LIMIT': { kind: 'recipient' },
  // Credentials and permissions.
  SignatureDoesNotMatch: {
    kind: 'config',
    field: 'accessKeySecret',
    hint: 'accessKeySecret does not belong to this accessKeyId: copy the secret of the same AccessKey again, without spaces.',
  },
  'isp.RAM_PERMISSION_DENY': {
    kind: 'config',
    field: 'accessKeyId',
    hint: 'The RAM user of accessKeyId may not send SMS: grant it AliyunDysmsFullAccess (or dysms:SendSms).',
  },
  'Forbidden.RAM': {
    kind: 'config',
    field: 'accessKeyId',
    hint: 'The RAM user of accessKeyId may not send SMS: grant it AliyunDysmsFullAccess (or dysms:SendSms).',
  },
  'isv.ACCOUNT_NOT_EXISTS': { kind: 'config', field: 'accessKeyId', hint: accountHint },
  'isv.ACCOUNT_ABNORMAL': { kind: 'config', field: 'accessKeyId', hint: accountHint },
  'isv.PRODUCT_UN_SUBSCRIPT': {
    kind: 'config',
    field: 'accessKeyId',
    hint: 'Activate Short Message Service for this account (on the site that matches "endpoint").',
  },
  'isv.PRODUCT_UNSUBSCRIBE': {
    kind: 'config',
    field: 'accessKeyId',
    hint: 'Activate Short Message Service for this account (on the site that matches "endpoint").',
  },
  'isv.DENY_IP_RANGE': {
    kind: 'config',
    field: 'accessKeyId',
    hint: "Aliyun refuses this server's IP address: check the AccessKey's IP allow-list; mainland-China SMS accepts calls from mainland IP addresses only.",
  },
  // Signature (签名).
  'isv.SMS_SIGNATURE_ILLEGAL': { kind: 'config', field: 'signName', hint: signHint },
  'isv.SMS_SIGN_ILLEGAL': { kind: 'config', field: 'signName', hint: signHint },
  'isv.SIGN_STATE_ILLEGAL': { kind: 'config', field: 'signName', hint: signHint },
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL': {
    kind: 'config',
    field: 'signName',
    hint: 'The signature is not approved for this kind of template: a verification-code template needs a signature whose scene covers verification codes.',
  },
  // Templates.
  'isv.SMS_TEMPLATE_ILLEGAL': { kind: 'config', field: 'templates', hint: templateHint },
  'isv.TEMPLATE_MISSING_PARAMETERS': {
    kind: 'config',
    field: 'templates',
    hint: 'The connector fills exactly one variable, ${code}: use a template whose only variable is ${code}.',
  },
  // Money.
  'isv.AMOUNT_NOT_ENOUGH': { kind: 'usageLimit', hint: balanceHint },
  'isv.OUT_OF_SERVICE': { kind: 'usageLimit', hint: balanceHint },
  // Worth a hint, still `general`.
  'InvalidTimeStamp.Expired': {
    kind: 'general',
    hint: "The server's clock is off by more than 15 minutes: synchronise it (NTP).",
  },
};

/** Code families: `Throttling`, `Throttling.User`, `Throttling.Api`; `InvalidAccessKeyId.NotFound`, `.Inactive`. */
export const aliyunCodePrefixes: ReadonlyArray<readonly [prefix: string, rule: CodeRule]> = [
  ['Throttling', { kind: 'rateLimit' }],
  [
    'InvalidAccessKeyId',
    {
      kind: 'config',
      field: 'accessKeyId',
      hint: 'accessKeyId is unknown or disabled: copy an enabled AccessKey ID from the RAM console (and use the endpoint of its site).',
    },
  ],
];

export const ruleForCode = (code: string): CodeRule =>
  aliyunErrorCodes[code] ??
  aliyunCodePrefixes.find(([prefix]) => code === prefix || code.startsWith(`${prefix}.`))?.[1] ?? { kind: 'general' };

type AliyunBody = { Code?: unknown; Message?: unknown; BizId?: unknown; RequestId?: unknown; Recommend?: unknown };

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * SignatureDoesNotMatch messages end with Aliyun's whole string to sign, which repeats every
 * parameter (the number, the code): the first sentence is all an admin needs.
 */
const cleanMessage = (message: string): string => excerpt(message.replace(/\s*server string to sign is:[\s\S]*$/i, ''));

type Described = { code: string; message?: string; rule: CodeRule; requestId?: string; recommend?: string };

/** `Aliyun <Code>: <Message> <what to do> Diagnosis: <url> (RequestId <id>)` */
const describe = ({ code, message, rule, requestId, recommend }: Described) =>
  [
    `Aliyun ${code}: ${message ? cleanMessage(message) : '(no message)'}`,
    rule.hint,
    recommend?.startsWith('https://') ? `Diagnosis: ${recommend}` : undefined,
    requestId ? `(RequestId ${requestId})` : undefined,
  ]
    .filter(Boolean)
    .join(' ');

/** Maps Aliyun's `SendSms` reply to `{ messageId: BizId, requestId }`, or to the failure the admin should read. */
export const readAliyunReply = (reply: HttpReply): Outcome<AliyunResult> => {
  const body: AliyunBody | undefined =
    reply.json && typeof reply.json === 'object' && !Array.isArray(reply.json) ? (reply.json as AliyunBody) : undefined;
  const code = text(body?.Code);
  const requestId = text(body?.RequestId);
  const success = reply.status >= 200 && reply.status < 300;

  if (code === 'OK' && success) {
    const bizId = text(body?.BizId);
    if (!bizId) {
      return fail({
        kind: 'invalidResponse',
        description: `Aliyun answered Code OK without a BizId; the message may or may not have been sent: ${excerpt(reply.text)}`,
        providerCode: code,
        requestId,
        httpStatus: reply.status,
      });
    }
    return succeed({ messageId: bizId, ...(requestId && { requestId }) });
  }

  if (code && code !== 'OK') {
    const rule = ruleForCode(code);
    return fail({
      kind: rule.kind,
      field: rule.field,
      description: describe({ code, message: text(body?.Message), rule, requestId, recommend: text(body?.Recommend) }),
      providerCode: code,
      requestId,
      httpStatus: reply.status,
    });
  }

  const shown = excerpt(reply.text) || '(empty body)';
  if (reply.status === 429) {
    return fail({ kind: 'rateLimit', description: `Aliyun answered HTTP 429: ${shown}`, requestId, httpStatus: 429 });
  }
  if (success) {
    return fail({
      kind: 'invalidResponse',
      description: body
        ? `Aliyun answered HTTP ${reply.status} without a Code: ${shown}`
        : `Aliyun answered HTTP ${reply.status} with a body that is not JSON: ${shown}`,
      requestId,
      httpStatus: reply.status,
    });
  }
  return fail({
    kind: 'general',
    description: `Aliyun answered HTTP ${reply.status}${code === 'OK' ? ' with Code OK' : ''}: ${shown}`,
    requestId,
    httpStatus: reply.status,
  });
};

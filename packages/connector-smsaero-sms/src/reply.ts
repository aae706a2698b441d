import { excerpt, fail, succeed, type FailureKind, type HttpReply, type Outcome } from '@sms-suite/sms-kit';

export type SmsAeroResult = { messageId: string };

export type SmsAeroRule = {
  kind: FailureKind;
  /** For `config`: the config key the admin has to fix. */
  field?: string;
  /** What the admin can do about it, appended to the provider's own text. */
  hint?: string;
};

const creditsHint = 'Top up the balance of your SMSAero account.';
const credentialsHint = 'Check "email" and "apiKey" (Settings → API and SMPP in your SMSAero account).';

/** HTTP statuses that decide the failure whatever the body says. */
export const smsAeroStatusRules: Readonly<Record<number, SmsAeroRule>> = {
  401: { kind: 'config', field: 'apiKey', hint: credentialsHint },
  402: { kind: 'usageLimit', hint: creditsHint },
  403: { kind: 'config', field: 'apiKey', hint: 'SMSAero refused these credentials access to the API.' },
  429: { kind: 'rateLimit', hint: 'SMSAero is throttling this account; try again later.' },
};

/**
 * The provider's words (its `message` and validation details) on a refusal that no status rule
 * decided, in order: the first rule whose pattern matches wins; none → `general`.
 */
export const smsAeroTextRules: ReadonlyArray<SmsAeroRule & { pattern: RegExp }> = [
  {
    pattern:
      /no credits|insufficient (funds|balance|credits)|not enough (money|credits|funds|balance)|недостаточно средств/i,
    kind: 'usageLimit',
    hint: creditsHint,
  },
  {
    pattern: /\bsign\b|sender|подпис/i,
    kind: 'config',
    field: 'senderName',
    hint: 'Use a sender name approved in your SMSAero account.',
  },
  { pattern: /\bnumbers?\b|phone|номер|телефон/i, kind: 'recipient' },
  { pattern: /too many requests|rate limit|слишком много запросов/i, kind: 'rateLimit' },
];

/** Legacy `result` bodies SMSAero still answers with on some refusals, whatever the HTTP status. */
export const smsAeroLegacyResults: Readonly<Record<string, SmsAeroRule>> = {
  'no credits': { kind: 'usageLimit', hint: creditsHint },
  reject: { kind: 'general' },
};

type SmsAeroBody = {
  success?: unknown;
  data?: unknown;
  message?: unknown;
  result?: unknown;
  reason?: unknown;
};

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** `{ number: ['Invalid number.'] }` → `number: Invalid number.`; anything else that is text, as text. */
const flatten = (value: unknown): string => {
  if (Array.isArray(value)) {
    return value.map(flatten).filter(Boolean).join(', ');
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value).trim();
  }
  return '';
};

const validationDetails = (data: unknown): string => {
  const record = asRecord(data);
  if (!record) {
    return excerpt(flatten(data));
  }
  return excerpt(
    Object.entries(record)
      .map(([key, value]) => [key, flatten(value)] as const)
      .filter(([, text]) => text !== '')
      .map(([key, text]) => `${key}: ${text}`)
      .join('; ')
  );
};

const withHint = (text: string, hint?: string) => (hint ? `${text}${/[.!?]$/.test(text) ? '' : '.'} ${hint}` : text);

const isSuccessStatus = (status: number) => status >= 200 && status < 300;

const messageIdOf = (data: unknown): string | undefined => {
  const id = asRecord(data)?.id;
  if (typeof id === 'number' && Number.isFinite(id)) {
    return String(id);
  }
  return nonEmptyString(id);
};

const legacyOutcome = (reply: HttpReply, body: SmsAeroBody): Outcome<never> | undefined => {
  const result = nonEmptyString(body.result);
  const rule = result === undefined ? undefined : smsAeroLegacyResults[result];
  if (!result || !rule) {
    return undefined;
  }
  const reason = nonEmptyString(body.reason) ?? nonEmptyString(body.message);
  return fail({
    kind: rule.kind,
    field: rule.field,
    description: withHint(`SMSAero answered "${result}"${reason ? `: ${reason}` : ''}`, rule.hint),
    providerCode: result,
    httpStatus: reply.status,
  });
};

/** Maps SMSAero's reply to the message id, or to the failure the admin should read. */
export const readSmsAeroReply = (reply: HttpReply): Outcome<SmsAeroResult> => {
  const body: SmsAeroBody | undefined = asRecord(reply.json);
  const { status } = reply;
  const raw = excerpt(reply.text) || '(empty body)';

  const legacy = body && legacyOutcome(reply, body);
  if (legacy) {
    return legacy;
  }

  if (isSuccessStatus(status) && body?.success === true) {
    const messageId = messageIdOf(body.data);
    if (!messageId) {
      return fail({
        kind: 'invalidResponse',
        description: `SMSAero reported success without a message id (HTTP ${status}): ${raw}`,
        httpStatus: status,
      });
    }
    return succeed({ messageId });
  }

  // Only a body that says `success: false` is SMSAero's own refusal; anything else on a 2xx is unreadable.
  if (isSuccessStatus(status) && body?.success !== false) {
    return fail({
      kind: 'invalidResponse',
      description: `SMSAero answered HTTP ${status} without "success": true: ${raw}`,
      httpStatus: status,
    });
  }

  const message = nonEmptyString(body?.message);
  const details = body && body.success !== true ? validationDetails(body.data) : '';
  const providerText = [message, details].filter(Boolean).join(' — ');

  const statusRule = smsAeroStatusRules[status];
  const textRule =
    status < 500 && providerText ? smsAeroTextRules.find(({ pattern }) => pattern.test(providerText)) : undefined;
  const rule: SmsAeroRule = statusRule ?? textRule ?? { kind: 'general' };

  const prefix = isSuccessStatus(status)
    ? `SMSAero refused the message (HTTP ${status})`
    : `SMSAero answered HTTP ${status}`;
  return fail({
    kind: rule.kind,
    field: rule.field,
    description: withHint(`${prefix}: ${providerText || raw}`, rule.hint),
    httpStatus: status,
  });
};

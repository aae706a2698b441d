import { excerpt, fail, succeed, type HttpReply, type Outcome, type CodeRule } from '@sms-suite/sms-kit';

export type VonageResult = { messageId: string };

const checkCredentials = 'Check apiKey and apiSecret (Vonage API Dashboard).';

/**
 * Vonage SMS API `status` per message part (always HTTP 200, `"0"` = accepted) and what it means for
 * the admin. Statuses not listed are `general`. Vonage's own `error-text` is always kept.
 */
export const vonageStatusCodes: Record<string, CodeRule> = {
  '1': { kind: 'rateLimit' }, // Throttled
  '3': { kind: 'recipient' }, // Invalid parameters
  '4': { kind: 'config', field: 'apiSecret', hint: checkCredentials }, // Invalid credentials
  '6': { kind: 'recipient' }, // Invalid message: the destination cannot be routed
  '7': { kind: 'recipient' }, // Number barred
  '8': { kind: 'config', field: 'apiKey', hint: 'The Vonage account is barred; contact Vonage support.' }, // Partner account barred
  '9': { kind: 'usageLimit', hint: 'Top up the Vonage account.' }, // Partner quota violation (no credit)
  '11': {
    kind: 'config',
    field: 'apiKey',
    hint: 'The account is not enabled for the SMS API over HTTP; contact Vonage support.',
  }, // Account not enabled for HTTP
  '12': { kind: 'config', field: 'templates', hint: 'Shorten the template.' }, // Message too long
  '14': { kind: 'config', field: 'apiSecret', hint: checkCredentials }, // Invalid signature
  '15': {
    kind: 'config',
    field: 'brandName',
    hint: 'Use a sender Vonage allows for this destination (some countries need a Vonage number).',
  }, // Invalid sender address
  '22': { kind: 'recipient' }, // Invalid network code
  '29': {
    kind: 'config',
    field: 'apiKey',
    hint: 'A trial account can only send to its test numbers: add the number in the Vonage dashboard, or upgrade the account.',
  }, // Non-whitelisted destination
  '32': {
    kind: 'config',
    field: 'apiSecret',
    hint: 'The account requires signed requests; turn that requirement off in the Vonage dashboard settings.',
  }, // Signature and API secret disallowed
  '33': { kind: 'recipient' }, // Number de-activated
};

type VonagePart = { status?: unknown; 'message-id'?: unknown; 'error-text'?: unknown };
type VonageBody = { messages?: unknown };

const statusOf = (part: VonagePart): string | undefined =>
  typeof part.status === 'string' || typeof part.status === 'number' ? String(part.status).trim() : undefined;

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * Maps Vonage's reply to the message id of the first part, or to the failure the admin should read.
 * A long text is sent as several parts, each with its own status: one failed part fails the send.
 */
export const readVonageReply = (reply: HttpReply): Outcome<VonageResult> => {
  if (reply.status < 200 || reply.status >= 300) {
    const rule: CodeRule =
      reply.status === 429
        ? { kind: 'rateLimit' }
        : reply.status === 401 || reply.status === 403
          ? { kind: 'config', field: 'apiSecret', hint: checkCredentials }
          : { kind: 'general' };
    return fail({
      kind: rule.kind,
      field: rule.field,
      description: [`Vonage answered HTTP ${reply.status}: ${excerpt(reply.text) || '(empty body)'}`, rule.hint]
        .filter(Boolean)
        .join(' '),
      httpStatus: reply.status,
    });
  }

  const body = (reply.json && typeof reply.json === 'object' ? reply.json : {}) as VonageBody;
  const parts = Array.isArray(body.messages)
    ? body.messages.map((part: unknown) => (part && typeof part === 'object' ? part : {}) as VonagePart)
    : [];
  const unreadable = (what: string) =>
    fail({
      kind: 'invalidResponse',
      description: `Vonage answered HTTP ${reply.status} ${what}: ${excerpt(reply.text) || '(empty body)'}`,
      httpStatus: reply.status,
    });

  if (parts.length === 0) {
    return unreadable('without any message status');
  }
  if (parts.some((part) => statusOf(part) === undefined)) {
    return unreadable('with a message part that has no status');
  }

  const failedIndex = parts.findIndex((part) => statusOf(part) !== '0');
  if (failedIndex >= 0) {
    const part = parts[failedIndex] ?? {};
    const status = statusOf(part) ?? '';
    const rule = vonageStatusCodes[status] ?? { kind: 'general' };
    const accepted = parts.filter((candidate) => statusOf(candidate) === '0').length;
    const where = parts.length > 1 ? ` (part ${failedIndex + 1} of ${parts.length})` : '';
    return fail({
      kind: rule.kind,
      field: rule.field,
      description: [
        `Vonage status ${status}${where}: ${nonEmpty(part['error-text'])?.trim().replace(/\.+$/, '') ?? 'no error text'}.`,
        accepted > 0 &&
          `${accepted} of ${parts.length} parts were accepted, so the recipient may get an incomplete message.`,
        rule.hint,
      ]
        .filter(Boolean)
        .join(' '),
      providerCode: status,
      requestId: nonEmpty(part['message-id']),
      httpStatus: reply.status,
      // Parts already accepted may reach the phone: the message is not certainly undelivered.
      ...(accepted > 0 && { delivery: 'unknown' as const }),
    });
  }

  const messageId = nonEmpty(parts[0]?.['message-id']);
  if (messageId === undefined) {
    return unreadable('with status 0 but no message-id');
  }
  return succeed({ messageId });
};

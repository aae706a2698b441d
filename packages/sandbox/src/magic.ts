import type { SandboxProvider } from './types';

/**
 * What a magic number makes every provider do. Each provider answers with its own real code and
 * shape for the outcome (see SANDBOX.md and each provider's `failures` table).
 */
export type MagicOutcome =
  'rate-limited' | 'invalid-number' | 'unapproved' | 'insufficient-balance' | 'server-error' | 'no-reply' | 'non-json';

export type MagicNumber = {
  /** E.164 with `+`; the CLI's `--to` and Logto's digits-only form both work. */
  number: string;
  outcome: MagicOutcome;
  providers: 'all' | SandboxProvider[];
  description: string;
  /** Calling code and national significant number, for matching however the connector formats it. */
  callingCode: string;
  nationalNumber: string;
};

const outcomes: ReadonlyArray<{ suffix: string; outcome: MagicOutcome; description: string }> = [
  {
    suffix: '0101',
    outcome: 'rate-limited',
    description:
      "Throttled: the provider's per-number rate limit (Twilio 20429, Aliyun isv.BUSINESS_LIMIT_CONTROL, Tencent LimitExceeded.PhoneNumberDailyLimit, Vonage status 1, HTTP 429)",
  },
  {
    suffix: '0102',
    outcome: 'invalid-number',
    description:
      'The provider refuses the recipient (Twilio 21211, Aliyun isv.MOBILE_NUMBER_ILLEGAL, Tencent InvalidParameterValue.IncorrectPhoneNumber, Vonage status 3, GatewayAPI 0x0214, http invalid_recipient)',
  },
  {
    suffix: '0103',
    outcome: 'unapproved',
    description:
      'The sender, sign or template is not approved (Twilio 21606, Aliyun isv.SMS_TEMPLATE_ILLEGAL, Tencent FailedOperation.TemplateIncorrectOrUnapproved, Vonage status 15, GatewayAPI 0x021D, http invalid_config)',
  },
  {
    suffix: '0104',
    outcome: 'insufficient-balance',
    description:
      'The account has no credit left (Twilio 20005, Aliyun isv.AMOUNT_NOT_ENOUGH, Tencent FailedOperation.InsufficientBalanceInSmsPackage, Vonage status 9, GatewayAPI 0x0216, http quota_exceeded)',
  },
  {
    suffix: '0105',
    outcome: 'server-error',
    description: "HTTP 500 with the provider's internal-error body",
  },
  {
    suffix: '0106',
    outcome: 'no-reply',
    description: 'No reply: the request is held open until the client gives up (the connector\'s "timeout")',
  },
  {
    suffix: '0107',
    outcome: 'non-json',
    description:
      'HTTP 200 with an HTML page instead of JSON (a captive portal or misrouted proxy); for http the contract counts any 2xx as sent',
  },
];

/**
 * Two numbers per outcome, both valid for libphonenumber (connectors reject invalid numbers before
 * any HTTP call): a US number for the international paths and a mainland-China mobile number for
 * the China template paths (Aliyun `china`, Tencent mainland). Same last four digits in both.
 */
export const magicNumbers: ReadonlyArray<MagicNumber> = outcomes.flatMap(({ suffix, outcome, description }) => [
  {
    number: `+1650555${suffix}`,
    outcome,
    providers: 'all' as const,
    description,
    callingCode: '1',
    nationalNumber: `650555${suffix}`,
  },
  {
    number: `+861380000${suffix}`,
    outcome,
    providers: 'all' as const,
    description: `${description} (mainland-China variant)`,
    callingCode: '86',
    nationalNumber: `1380000${suffix}`,
  },
]);

/** Digits of a recipient however a connector wrote it: `+8613800000101`, `008613800000101`, `13800000101`. */
export const recipientDigits = (recipient: string | number): string => {
  const digits = String(recipient).replace(/\D/g, '');
  return String(recipient).trim().startsWith('00') ? digits.slice(2) : digits;
};

/**
 * The magic number a recipient is, matched on the national significant number: with the calling
 * code (`16505550101`, `+8613800000101`), or national only (Aliyun sends mainland numbers as
 * `13800000101`), or with a trunk `0`.
 */
export const magicFor = (recipient: string | number): MagicNumber | undefined => {
  const digits = recipientDigits(recipient);
  return magicNumbers.find(
    ({ callingCode, nationalNumber }) =>
      digits === `${callingCode}${nationalNumber}` || digits === nationalNumber || digits === `0${nationalNumber}`
  );
};

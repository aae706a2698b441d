import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { ZodError, type ZodIssue } from 'zod';

/**
 * The kit's error taxonomy. A provider reply (or the transport) is first described as a
 * `ProviderFailure`, a plain value that reply mappers return and tests compare; `toConnectorError`
 * then turns it into the only thing allowed to leave a connector.
 */
export type FailureKind =
  | 'config' // credentials, sender, sign, template, permissions → invalid_config (HTTP 400)
  | 'recipient' // the phone number at fault → invalid_request_parameters (HTTP 400)
  | 'rateLimit' // provider throttling → rate_limit_exceeded (HTTP 429)
  | 'usageLimit' // balance or quota exhausted → usage_limit_exceeded (HTTP 429) where the kit has it
  | 'invalidResponse' // a reply we cannot read → invalid_response (HTTP 400)
  | 'general'; // everything else → general (HTTP 400, shows errorDescription)

/**
 * What is known of the message when a send failed, in every failed send's `data.delivery`:
 * - `notSent`: the failure came before the request could reach the provider (refused connection,
 *   DNS, TLS, or refused locally);
 * - `refused`: the provider answered and did not take the message (a 4xx, a 503, an error code);
 * - `unknown`: it may have been delivered — a timeout or a lost connection once the request was
 *   written, any other 5xx, a 2xx we cannot read — and sending it again could deliver a second code.
 * The routing connector fails over on the first two only.
 */
export type Delivery = 'notSent' | 'refused' | 'unknown';

export type ProviderFailure = {
  kind: FailureKind;
  /** A sentence an admin can act on, e.g. `Twilio error 21211: The 'To' number is not valid.` */
  description: string;
  /** For `config`: the config key at fault. For `recipient` it is always `to`. */
  field?: string;
  providerCode?: string | number;
  requestId?: string;
  httpStatus?: number;
  /**
   * Set by the kit from the transport or the reply's status (`deliveryOfReply`); a reply mapper sets
   * it only when it knows better (Vonage: some parts of a long message were accepted → `unknown`).
   */
  delivery?: Delivery;
  /**
   * The provider's own SMS-pumping defence refused this destination (Twilio 30450). Failing over
   * would route around that defence, so the routing connector stops here.
   */
  fraudBlock?: boolean;
};

/**
 * One row of a provider's code table: what a provider error code means (`kind`), the config key at
 * fault for a config failure, and an optional hint for the admin. Tables of these are data, tested
 * table-driven in each connector.
 */
export type CodeRule<Field extends string = string> = {
  kind: FailureKind;
  field?: Field;
  hint?: string;
  /** The code is the provider's fraud (SMS-pumping) block: see `ProviderFailure.fraudBlock`. */
  fraudBlock?: boolean;
};

/** `data` of every ConnectorError that is not about config or input; Logto shows `errorDescription`. */
export type ErrorDescription = {
  errorDescription: string;
  provider: string;
  providerCode?: string | number;
  requestId?: string;
  httpStatus?: number;
  delivery?: Delivery;
  fraudBlock?: boolean;
};

/**
 * `usage_limit_exceeded` exists only in connector-kit 5.1.1+ (Logto 1.42+). On older hosts the same
 * failure is reported as `general`, which still shows the description.
 */
export const usageLimitExceededCode = (): ConnectorErrorCodes =>
  (ConnectorErrorCodes as unknown as Record<string, ConnectorErrorCodes | undefined>).UsageLimitExceeded ??
  ConnectorErrorCodes.General;

const describedCodes: Record<Exclude<FailureKind, 'config' | 'recipient'>, () => ConnectorErrorCodes> = {
  rateLimit: () => ConnectorErrorCodes.RateLimitExceeded,
  usageLimit: usageLimitExceededCode,
  invalidResponse: () => ConnectorErrorCodes.InvalidResponse,
  general: () => ConnectorErrorCodes.General,
};

const identity = (text: string) => text;

/**
 * Logto prints a ZodError in `data` as one `Error in key path "x": ...` line per issue for
 * invalid_config and invalid_request_parameters, and nothing else for those codes, so the provider's
 * code and text travel inside the issue message; the rest rides along in `params`.
 */
export const fieldError = (
  code: ConnectorErrorCodes,
  path: Array<string | number>,
  message: string,
  params: Record<string, unknown> = {}
) => new ConnectorError(code, new ZodError([{ code: 'custom', path, message, params }]));

export const toConnectorError = (
  provider: string,
  failure: ProviderFailure,
  redact: (text: string) => string = identity
): ConnectorError => {
  const description = redact(failure.description);
  const details = {
    provider,
    ...(failure.providerCode !== undefined && { providerCode: failure.providerCode }),
    ...(failure.requestId !== undefined && { requestId: failure.requestId }),
    ...(failure.httpStatus !== undefined && { httpStatus: failure.httpStatus }),
    ...(failure.delivery !== undefined && { delivery: failure.delivery }),
    ...(failure.fraudBlock && { fraudBlock: true }),
  };

  if (failure.kind === 'config') {
    return fieldError(ConnectorErrorCodes.InvalidConfig, [failure.field ?? 'config'], description, details);
  }
  if (failure.kind === 'recipient') {
    return fieldError(ConnectorErrorCodes.InvalidRequestParameters, ['to'], description, details);
  }
  const data: ErrorDescription = { errorDescription: description, ...details };
  return new ConnectorError(describedCodes[failure.kind](), data);
};

/** What a reply mapper returns: the provider's acknowledgement, or why there is none. */
export type Outcome<Result> = { ok: true; result: Result } | { ok: false; failure: ProviderFailure };

export const succeed = <Result>(result: Result): Outcome<Result> => ({ ok: true, result });
export const fail = (failure: ProviderFailure): Outcome<never> => ({ ok: false, failure });

export const settle = <Result>(
  provider: string,
  outcome: Outcome<Result>,
  redact?: (text: string) => string
): Result => {
  if (outcome.ok) {
    return outcome.result;
  }
  throw toConnectorError(provider, outcome.failure, redact);
};

const redactValue = (value: unknown, redact: (text: string) => string): unknown => {
  if (typeof value === 'string') {
    return redact(value);
  }
  if (value instanceof ZodError) {
    return new ZodError(value.issues.map((issue) => redactValue(issue, redact) as ZodIssue));
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactValue(item, redact));
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, redact)]));
  }
  return value;
};

/**
 * The same error with every string of its data redacted (a ZodError's messages and params
 * included), or the error itself when there was nothing to redact: whoever built it, nothing a
 * provider echoed can carry a secret out.
 */
export const redactConnectorError = (error: ConnectorError, redact: (text: string) => string): ConnectorError => {
  const data = redactValue(error.data, redact);
  const serialized = (value: unknown) => JSON.stringify(value instanceof ZodError ? value.issues : value);
  return serialized(data) === serialized(error.data) ? error : new ConnectorError(error.code, data);
};

/**
 * The last line of defence: whatever a connector's own code lets slip (a bug, an unexpected value)
 * leaves as a readable `general` error instead of Logto's "Internal server error".
 */
export const withConnectorErrors = async <Result>(
  provider: string,
  redact: (text: string) => string,
  run: () => Promise<Result>
): Promise<Result> => {
  try {
    return await run();
  } catch (error: unknown) {
    if (error instanceof ConnectorError) {
      throw redactConnectorError(error, redact);
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw toConnectorError(
      provider,
      { kind: 'general', description: `${provider} connector failed unexpectedly (${reason}).` },
      redact
    );
  }
};

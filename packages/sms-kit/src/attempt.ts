import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { ZodError, type ZodRawShape } from 'zod';

import {
  toConnectorError,
  usageLimitExceededCode,
  type Delivery,
  type ErrorDescription,
  type FailureKind,
  type ProviderFailure,
} from './errors';
import { send, type HttpReply, type HttpRequest } from './http';
import type { PhoneNumber } from './phone';
import { messageFor, type AnySmsProvider, type FullConfig, type Recipient } from './provider';
import type { Redactor } from './redact';

/**
 * One attempt at one provider, described rather than thrown: the single connectors throw its error,
 * the routing connector reads its classification to decide whether the next provider may be tried.
 * Nothing here parses error text; every field is set where the failure is known.
 */

export type AttemptFailure = {
  /** Whether the message may have reached the user: only `unknown` can have been delivered. */
  delivery: Delivery;
  /** What failed, in the kit's terms (a usage limit stays `usageLimit` on hosts without its code). */
  kind: FailureKind;
  /** The code of `error`: what Logto answers with (429 for rate and usage limits, 400 otherwise). */
  code: ConnectorErrorCodes;
  /** The provider's HTTP status, when it answered. */
  httpStatus?: number;
  /** The provider's own error code (Twilio 20003, Aliyun `isv.BUSINESS_LIMIT_CONTROL`). */
  providerCode?: string | number;
  /** The provider's SMS-pumping defence refused the destination. */
  fraudBlock: boolean;
  /** For `invalid_config`: the config key at fault (`authToken`). */
  field?: string;
  /** What went wrong, for an admin; already redacted. */
  description: string;
  /** What a single connector throws for this attempt; already redacted. */
  error: ConnectorError;
};

export type Attempt<Result = unknown> = { ok: true; result: Result } | { ok: false; failure: AttemptFailure };

const isSuccessStatus = (status: number) => status >= 200 && status < 300;

/**
 * What a provider's refusal says of the message. A 503 is a refusal (the service did not take the
 * request); any other 5xx may hide a message that went out before the server failed, and a 2xx we
 * cannot read may be an acceptance.
 */
export const deliveryOfReply = (reply: Pick<HttpReply, 'status'>, failure: Pick<ProviderFailure, 'kind'>): Delivery => {
  if (isSuccessStatus(reply.status)) {
    return failure.kind === 'invalidResponse' ? 'unknown' : 'refused';
  }
  return reply.status >= 500 && reply.status !== 503 ? 'unknown' : 'refused';
};

/** The first issue of an invalid_config or invalid_request_parameters error (their data is a ZodError). */
const firstIssueOf = (error: ConnectorError) => (error.data instanceof ZodError ? error.data.issues[0] : undefined);

const kindOfCode: Partial<Record<ConnectorErrorCodes, FailureKind>> = {
  [ConnectorErrorCodes.InvalidConfig]: 'config',
  [ConnectorErrorCodes.InvalidRequestParameters]: 'recipient',
  [ConnectorErrorCodes.RateLimitExceeded]: 'rateLimit',
  [ConnectorErrorCodes.InvalidResponse]: 'invalidResponse',
};

const kindOf = (code: ConnectorErrorCodes): FailureKind =>
  code === usageLimitExceededCode() && code !== ConnectorErrorCodes.General
    ? 'usageLimit'
    : (kindOfCode[code] ?? 'general');

/**
 * The classification of a ConnectorError the kit built, read from its fields (never from its text):
 * `data.delivery` where the kit set it, else `fallback`; the kind from its code unless told.
 */
export const attemptFailureOf = (error: ConnectorError, fallback: Delivery, kind?: FailureKind): AttemptFailure => {
  const issue = firstIssueOf(error);
  const details = (issue && 'params' in issue ? issue.params : error.data) as Partial<ErrorDescription> &
    Record<string, unknown>;
  const description =
    issue?.message ??
    (typeof details?.errorDescription === 'string'
      ? details.errorDescription
      : // connector-kit keeps a string `data` as `{ message }`.
        typeof details?.message === 'string'
        ? details.message
        : error.message);
  const delivery = details?.delivery;
  return {
    delivery: delivery === 'notSent' || delivery === 'refused' || delivery === 'unknown' ? delivery : fallback,
    kind: kind ?? kindOf(error.code),
    code: error.code,
    ...(typeof details?.httpStatus === 'number' && { httpStatus: details.httpStatus }),
    ...((typeof details?.providerCode === 'string' || typeof details?.providerCode === 'number') && {
      providerCode: details.providerCode,
    }),
    fraudBlock: details?.fraudBlock === true,
    ...(error.code === ConnectorErrorCodes.InvalidConfig &&
      issue?.path[0] !== undefined && { field: issue.path.map(String).join('.') }),
    description,
    error,
  };
};

const failed = (failure: AttemptFailure): Attempt<never> => ({ ok: false, failure });

/**
 * The provider's request for one message: its template chosen and rendered (or its code picked),
 * then built. Throws what the provider throws for input it cannot send (a ConnectorError).
 */
export const requestFor = (
  provider: AnySmsProvider,
  config: FullConfig<ZodRawShape>,
  recipient: Recipient
): HttpRequest => provider.buildRequest(messageFor(provider, config, recipient) as never, config);

export type AttemptOptions = {
  /** Milliseconds for the exchange (the kit's `send` bounds it; at most 60 s). */
  timeout: number | undefined;
  /** The send's redactor; it must already know the request's own secrets. */
  redact: Redactor;
};

/**
 * Sends a built request once and reads the reply with the provider's mapper. Never throws: the
 * transport's failures come back with the delivery `send` determined, the provider's refusals with
 * what their status says (`deliveryOfReply`).
 */
export const performAttempt = async (
  provider: AnySmsProvider,
  config: FullConfig<ZodRawShape>,
  request: HttpRequest,
  phone: PhoneNumber,
  { timeout, redact }: AttemptOptions
): Promise<Attempt> => {
  let reply: HttpReply;
  try {
    reply = await send(request, { provider: provider.name, timeout, redact });
  } catch (error: unknown) {
    if (error instanceof ConnectorError) {
      return failed(attemptFailureOf(error, 'unknown'));
    }
    // `send` turns every failure into a ConnectorError; anything else is a bug, and may have sent.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const description = redact(`${provider.name}: the send failed unexpectedly (${reason}).`);
    return failed(
      attemptFailureOf(
        toConnectorError(provider.name, { kind: 'general', description, delivery: 'unknown' }),
        'unknown'
      )
    );
  }

  let outcome;
  try {
    outcome = provider.readReply(reply, { config, phone });
  } catch (error: unknown) {
    // A mapper bug on an odd reply: the reply itself decides what is known of the message.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    outcome = {
      ok: false as const,
      failure: {
        kind: 'invalidResponse' as const,
        description: `${provider.name} answered HTTP ${reply.status}, which could not be read (${reason}).`,
        httpStatus: reply.status,
      },
    };
  }
  if (outcome.ok) {
    return outcome;
  }
  // A mapper may know better than the status (Vonage: some parts of a long message went out).
  const delivery = outcome.failure.delivery ?? deliveryOfReply(reply, outcome.failure);
  const error = toConnectorError(provider.name, { ...outcome.failure, delivery }, redact);
  return failed(attemptFailureOf(error, delivery, outcome.failure.kind));
};

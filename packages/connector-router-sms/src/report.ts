import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { fieldError, type AttemptFailure, type Delivery } from '@sms-suite/sms-kit';

import type { AttemptPhase } from './failover';

/**
 * What a routed send tells the admin: every attempt in one line each, why the send stopped where it
 * did, and — in the error — the code of the attempt that decided, so Logto answers the right status.
 */

/** One attempt as results and error data carry it: plain values, already redacted. */
export type AttemptReport = {
  /** The name under `providers` (`aliyun-cn`). */
  provider: string;
  /** The suite provider it uses (`aliyun`). */
  use: string;
  /** `notTried`: the deadline left less than the minimum for this attempt. */
  outcome: 'delivered' | Delivery | 'notTried';
  elapsedMs?: number;
  messageId?: string;
  code?: ConnectorErrorCodes;
  httpStatus?: number;
  providerCode?: string | number;
  fraudBlock?: true;
  /** The provider connector's own description of the failure. */
  description?: string;
};

/** A failed attempt as the router keeps it while deciding. */
export type FailedAttempt = {
  name: string;
  use: string;
  /** The provider's title in its own messages: `Twilio`, `Aliyun`. */
  title: string;
  failure: AttemptFailure;
  phase: AttemptPhase;
  elapsedMs: number;
};

export const failedAttemptReport = ({ name, use, failure, elapsedMs }: FailedAttempt): AttemptReport => ({
  provider: name,
  use,
  outcome: failure.delivery,
  elapsedMs,
  code: failure.code,
  ...(failure.httpStatus !== undefined && { httpStatus: failure.httpStatus }),
  ...(failure.providerCode !== undefined && { providerCode: failure.providerCode }),
  ...(failure.fraudBlock && { fraudBlock: true as const }),
  description: failure.description,
});

/** `(Aliyun isv.BUSINESS_LIMIT_CONTROL, HTTP 200)`: the facts of a failure that identify it. */
const factsOf = ({ title, failure }: FailedAttempt): string => {
  const facts = [
    failure.providerCode === undefined ? undefined : `${title} ${failure.providerCode}`,
    failure.httpStatus === undefined ? undefined : `HTTP ${failure.httpStatus}`,
    failure.field,
  ].filter(Boolean);
  return facts.length > 0 ? ` (${facts.join(', ')})` : '';
};

/** What the attempt got, in a few words: `rate limited (Aliyun isv.BUSINESS_LIMIT_CONTROL)`. */
export const attemptLabel = (attempt: FailedAttempt): string => {
  const { failure } = attempt;
  const facts = factsOf(attempt);
  // Refused here, before any request: whatever its kind, the provider never saw it.
  if (attempt.phase === 'build') {
    return `not prepared${facts}`;
  }
  switch (failure.kind) {
    case 'config': {
      return `invalid_config${facts}`;
    }
    case 'rateLimit': {
      return `rate limited${facts}`;
    }
    case 'usageLimit': {
      return `usage limit reached${facts}`;
    }
    case 'recipient': {
      return failure.fraudBlock ? `blocked as SMS pumping${facts}` : `number refused${facts}`;
    }
    case 'invalidResponse': {
      return `unreadable reply${facts}`;
    }
    case 'general': {
      if (failure.httpStatus !== undefined) {
        return `failed${facts}`;
      }
      return failure.delivery === 'notSent'
        ? `not reached${facts}`
        : `no complete reply after the request was sent${facts}`;
    }
  }
};

const fateOf = (delivery: Delivery) => (delivery === 'unknown' ? 'may have been delivered' : 'not sent');

export const attemptLine = (attempt: FailedAttempt): string =>
  `${attempt.name}: ${attemptLabel(attempt)} — ${fateOf(attempt.failure.delivery)}`;

export type RoutedFailure = {
  route: string;
  attempts: FailedAttempt[];
  /** Providers of the route not tried, and why. */
  notTried: Array<{ name: string; use: string; reason: string }>;
  /** Why the router stopped before the route's end, when it did. */
  stopReason?: string;
  reports: AttemptReport[];
};

/** The sentence that opens the error: what happened to the message as a whole. */
const headline = ({ route, attempts, stopReason, notTried }: RoutedFailure): string => {
  const last = attempts.at(-1);
  if (!last) {
    return `No provider of ${route} was tried (${notTried.map(({ reason }) => reason)[0] ?? 'none left'})`;
  }
  if (stopReason) {
    return `Stopped at ${last.name} (no other provider was tried): ${stopReason}`;
  }
  return `No provider of ${route} sent the message`;
};

/** The whole failure in words: a headline, one line per attempt, then each provider's own description. */
export const describeRoutedFailure = (failure: RoutedFailure): string => {
  const lines = [
    ...failure.attempts.map(attemptLine),
    ...failure.notTried.map(({ name, reason }) => `${name}: not tried (${reason})`),
  ];
  const details = failure.attempts.map(({ name, failure: { description } }) => `[${name}] ${description}`);
  return [`${headline(failure)}. ${lines.join('; ')}.`, ...details].join(' ');
};

/**
 * The ConnectorError of a routed send that failed: the code of the last attempt (a rate limit
 * answers 429, a config error points at `providers.<name>.config.<key>`), the whole story in the
 * description, every attempt in the data.
 */
export const routedFailureError = (failure: RoutedFailure): ConnectorError => {
  const description = describeRoutedFailure(failure);
  const last = failure.attempts.at(-1);
  const delivery: Delivery = last?.failure.delivery ?? 'notSent';
  const details = {
    ...(last && { provider: last.name, use: last.use }),
    ...(last?.failure.providerCode !== undefined && { providerCode: last.failure.providerCode }),
    ...(last?.failure.httpStatus !== undefined && { httpStatus: last.failure.httpStatus }),
    delivery,
    attempts: failure.reports,
  };
  if (!last) {
    return new ConnectorError(ConnectorErrorCodes.General, { errorDescription: description, ...details });
  }
  if (last.failure.code === ConnectorErrorCodes.InvalidConfig) {
    const field = last.failure.field?.split('.') ?? [];
    return fieldError(
      ConnectorErrorCodes.InvalidConfig,
      ['providers', last.name, 'config', ...field],
      description,
      details
    );
  }
  if (last.failure.code === ConnectorErrorCodes.InvalidRequestParameters) {
    return fieldError(ConnectorErrorCodes.InvalidRequestParameters, ['to'], description, details);
  }
  return new ConnectorError(last.failure.code, { errorDescription: description, ...details });
};

import type { AttemptFailure, FailureKind } from '@sms-suite/sms-kit';

/**
 * When the next provider of a route may be tried: only where the previous one certainly did not
 * deliver the message and another provider could. Everything else stops the send, because a second
 * provider could deliver a second code (or route around a defence that should hold).
 */

/** Refusals that say nothing against the number: another provider can send it. */
const refusalsToFailOver: ReadonlySet<FailureKind> = new Set(['config', 'rateLimit', 'usageLimit']);

/** HTTP 503: the provider did not take the request at all (the other 5xx may hide a send). */
const unavailableStatus = 503;

/** Where a failure happened: building the request here, or sending it to the provider. */
export type AttemptPhase = 'build' | 'send';

export type FailoverDecision =
  | { failOver: true }
  | {
      failOver: false;
      /** Why no other provider is tried, for the admin: completes "… so no other provider was tried". */
      reason: string;
    };

const stop = (reason: string): FailoverDecision => ({ failOver: false, reason });

export const failoverDecision = (failure: AttemptFailure, phase: AttemptPhase): FailoverDecision => {
  if (failure.fraudBlock) {
    return stop("the provider's SMS-pumping defence blocked this number, and another provider would route around it");
  }
  if (phase === 'build') {
    // A config or input problem found before any request: say it rather than hide it behind another
    // provider (a template without a code for this number's side belongs in a route that fits it).
    return stop('the message could not be prepared for this provider (a config or input problem, not an outage)');
  }
  if (failure.kind === 'recipient') {
    return stop('the provider refused the number itself, and another provider would refuse it too');
  }
  if (failure.delivery === 'unknown') {
    return stop('the message may have been delivered, and another provider could send a second code');
  }
  if (failure.delivery === 'notSent') {
    return { failOver: true };
  }
  if (refusalsToFailOver.has(failure.kind) || failure.httpStatus === unavailableStatus) {
    return { failOver: true };
  }
  return stop('the provider refused the message for a reason another provider would not change');
};

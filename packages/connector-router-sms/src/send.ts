import { ConnectorError, type SendMessageData } from '@logto/connector-kit';
import {
  attemptFailureOf,
  checkDestination,
  effectiveTimeout,
  parsePhone,
  performAttempt,
  providerSecrets,
  requestFor,
  reserveSendLimits,
  sendRedactor,
  toConnectorError,
  type Attempt,
  type AttemptFailure,
  type PhoneNumber,
} from '@sms-suite/sms-kit';

import { minimumAttemptMs, type RoutedProvider, type RouterConfig } from './config';
import { failoverDecision, type AttemptPhase } from './failover';
import {
  failedAttemptReport,
  routedFailureError,
  type AttemptReport,
  type FailedAttempt,
  type RoutedFailure,
} from './report';
import { routeFor, routeLabel } from './route';

/** What a routed send resolves with: which named provider took the message, and every attempt. */
export type RoutedResult = {
  /** The name under `providers` (`aliyun-cn`), not its `use`. */
  provider: string;
  messageId?: string;
  attempts: AttemptReport[];
};

export type RoutedSend = {
  config: RouterConfig;
  data: SendMessageData;
  connectorId: string;
  /** The console's Send button: the same route and failover, country lists but no send limits. */
  consoleTest: boolean;
  /** When the send started: the deadline counts from here, the policy's store included. */
  startedAt: number;
  now?: () => number;
};

type Tried = { attempt: Attempt; phase: AttemptPhase };

/**
 * One attempt at one provider of the route: its request built (the template for the usage type and
 * locale, or its code for the number's side), then sent once within `timeout`. Never throws.
 */
const tryProvider = async (
  { provider, config }: RoutedProvider,
  data: SendMessageData,
  phone: PhoneNumber,
  timeout: number
): Promise<Tried> => {
  const { redact, learn } = sendRedactor(providerSecrets(provider, config));
  let request;
  try {
    request = requestFor(provider, config, { data, phone });
  } catch (error: unknown) {
    const connectorError =
      error instanceof ConnectorError
        ? error
        : toConnectorError(provider.name, {
            kind: 'general',
            description: `${provider.name}: the message could not be prepared (${error instanceof Error ? error.message : String(error)}).`,
          });
    return { attempt: { ok: false, failure: attemptFailureOf(connectorError, 'notSent') }, phase: 'build' };
  }
  learn(request);
  return { attempt: await performAttempt(provider, config, request, phone, { timeout, redact }), phase: 'send' };
};

const messageIdOf = (result: unknown): string | undefined => {
  const messageId = (result as { messageId?: unknown } | undefined)?.messageId;
  return typeof messageId === 'string' ? messageId : undefined;
};

/**
 * A send through the router: the number read once, the country lists, the route, the send limits
 * (once, whichever provider sends), then the route's providers in order within one deadline —
 * the next one only where the previous certainly did not deliver (`failoverDecision`).
 */
export const sendThroughRoute = async ({
  config,
  data,
  connectorId,
  consoleTest,
  startedAt,
  now = Date.now,
}: RoutedSend): Promise<RoutedResult> => {
  const phone = parsePhone(data.to, config.defaultRegion);
  checkDestination(phone, config);
  const route = routeFor(config.routes, phone);
  const counted = await reserveSendLimits({ config, data, phone, connectorId, consoleTest });

  const deadline = startedAt + config.timeout;
  const attempts: FailedAttempt[] = [];
  const reports: AttemptReport[] = [];
  const notTried: RoutedFailure['notTried'] = [];
  let stopReason: string | undefined;

  for (const [index, name] of route.providers.entries()) {
    const routed = config.providers[name]!;
    const remaining = deadline - now();
    if (remaining < minimumAttemptMs) {
      for (const skipped of route.providers.slice(index)) {
        const reason = `less than ${minimumAttemptMs} ms of the ${config.timeout} ms deadline was left`;
        notTried.push({ name: skipped, use: config.providers[skipped]!.use, reason });
        reports.push({ provider: skipped, use: config.providers[skipped]!.use, outcome: 'notTried' });
      }
      break;
    }
    const attemptStartedAt = now();
    const { attempt, phase } = await tryProvider(
      routed,
      data,
      phone,
      Math.min(effectiveTimeout(routed.config.timeout), remaining)
    );
    const elapsedMs = now() - attemptStartedAt;
    if (attempt.ok) {
      const messageId = messageIdOf(attempt.result);
      reports.push({
        provider: name,
        use: routed.use,
        outcome: 'delivered',
        elapsedMs,
        ...(messageId !== undefined && { messageId }),
      });
      return { provider: name, ...(messageId !== undefined && { messageId }), attempts: reports };
    }
    const failed: FailedAttempt = {
      name,
      use: routed.use,
      title: routed.provider.name,
      failure: attempt.failure as AttemptFailure,
      phase,
      elapsedMs,
    };
    attempts.push(failed);
    reports.push(failedAttemptReport(failed));
    const decision = failoverDecision(failed.failure, phase);
    if (!decision.failOver) {
      stopReason = decision.reason;
      // Said in the data too, so a reader of `attempts` alone knows the rest of the route was left out.
      for (const skipped of route.providers.slice(index + 1)) {
        const { use } = config.providers[skipped]!;
        notTried.push({ name: skipped, use, reason: `stopped at ${name}` });
        reports.push({ provider: skipped, use, outcome: 'notTried' });
      }
      break;
    }
  }

  // Counts stay only for a message that may have gone out; a release never throws and is not waited for.
  if (attempts.every(({ failure }) => failure.delivery !== 'unknown')) {
    void counted.release();
  }
  throw routedFailureError({ route: routeLabel(route), attempts, notTried, stopReason, reports });
};

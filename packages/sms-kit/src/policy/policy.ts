import { ConnectorError, ConnectorErrorCodes, type SendMessageData } from '@logto/connector-kit';

import type { PhoneNumber } from '../phone';
import type { PolicyConfig } from './config';
import { checkDestination } from './countries';
import { describeTrippedLimit, plannedLimits } from './limits';
import { processMemoryStore } from './memory-store';
import { redisStoreFor } from './redis-store';
import type { CounterStore } from './store';

/** The longest a send waits for Redis: a slow store must not eat the provider's share of the deadline. */
export const storeDeadlineMs = 1000;

/** Where a send's counts go: Redis when a URL is configured (or Logto's REDIS_URL is set), else this process. */
export const counterStoreFor = (config: PolicyConfig, environment: NodeJS.ProcessEnv = process.env): CounterStore => {
  const url = config.redisUrl ?? environment.REDIS_URL;
  if (url) {
    return redisStoreFor(url);
  }
  if (config.sendLimitsMemoryKeys) {
    processMemoryStore.resize(config.sendLimitsMemoryKeys);
  }
  return processMemoryStore;
};

/** A send the limits counted: released when the provider refused it, kept when it was (or may have been) delivered. */
export type CountedSend = { release: () => Promise<void> };

const nothingCounted: CountedSend = { release: async () => undefined };

export type PolicyInput = {
  config: PolicyConfig;
  data: Pick<SendMessageData, 'ip'>;
  phone: PhoneNumber;
  connectorId: string;
  /** The console's Send button (config passed as the second argument): country lists only, no limits. */
  consoleTest: boolean;
  now?: number;
  store?: CounterStore;
};

/**
 * The send limits, last before the request: every limit of the send reserved atomically in the
 * store, or the send refused as `rate_limit_exceeded` (HTTP 429) naming the limit. Not for the
 * console's test. When the store cannot answer in time the send goes on (as Logto's own rate guard
 * fails open), unless `sendLimitsOnStoreError` is `refuse`.
 */
export const reserveSendLimits = async ({
  config,
  data,
  phone,
  connectorId,
  consoleTest,
  now = Date.now(),
  store,
}: PolicyInput): Promise<CountedSend> => {
  if (consoleTest || !config.sendLimits?.length) {
    return nothingCounted;
  }
  const subject = { connectorId, phone, ...(data.ip && { ip: data.ip }) };
  const planned = plannedLimits(config.sendLimits, subject);
  if (planned.length === 0) {
    return nothingCounted;
  }
  const counters = store ?? counterStoreFor(config);
  let result;
  try {
    result = await counters.reserve(
      planned.map(({ counter }) => counter),
      now,
      Date.now() + storeDeadlineMs
    );
  } catch (error: unknown) {
    if (config.sendLimitsOnStoreError !== 'refuse') {
      return nothingCounted;
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectorError(ConnectorErrorCodes.General, {
      errorDescription: `The send limits could not be checked (${reason}) and sendLimitsOnStoreError is "refuse", so the message was not sent.`,
      delivery: 'notSent',
    });
  }
  if (!result.ok) {
    const { limit } = planned[result.tripped]!;
    throw new ConnectorError(ConnectorErrorCodes.RateLimitExceeded, {
      errorDescription: describeTrippedLimit(limit, subject),
      limit,
    });
  }
  return result.reservation;
};

/**
 * The whole destination policy of one send, for a caller that has nothing to do in between (the
 * routing connector applies it once, before its first attempt): the country lists (every send, the
 * console's test included), then the send limits.
 */
export const applyPolicy = async (input: PolicyInput): Promise<CountedSend> => {
  checkDestination(input.phone, input.config);
  return reserveSendLimits(input);
};

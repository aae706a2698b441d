import {
  countryName,
  defaultMemoryKeys,
  describeWindow,
  policyKeys,
  type PolicyConfig,
  type SendLimit,
} from '@sms-suite/sms-kit';

import type { Warning } from './config-lint';

/**
 * The destination policy every connector of the suite shares (allowedCountries, blockedCountries,
 * sendLimits, redisUrl, sendLimitsOnStoreError, sendLimitsMemoryKeys), in words for `validate`, with
 * the kit's own wording of windows and countries, so that what `validate` promises reads like what a
 * refused send says.
 */

export const policyDoc = 'docs/destination-policy.md';

export { policyKeys };

type Policy = PolicyConfig;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

const stringsOf = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? (value as string[]) : undefined;

const limitsOf = (value: unknown): SendLimit[] | undefined =>
  Array.isArray(value)
    ? value.filter(
        (entry): entry is SendLimit =>
          isRecord(entry) &&
          typeof entry.by === 'string' &&
          typeof entry.max === 'number' &&
          typeof entry.windowSeconds === 'number'
      )
    : undefined;

/** The policy fields of a config the connector's guard accepted (countries upper-cased, numbers coerced). */
export const policyOf = (config: unknown): Policy => {
  if (!isRecord(config)) {
    return {};
  }
  const policy: Policy = {};
  const allowed = stringsOf(config.allowedCountries);
  const blocked = stringsOf(config.blockedCountries);
  const limits = limitsOf(config.sendLimits);
  if (allowed) {
    policy.allowedCountries = allowed;
  }
  if (blocked) {
    policy.blockedCountries = blocked;
  }
  if (limits) {
    policy.sendLimits = limits;
  }
  if (typeof config.redisUrl === 'string') {
    policy.redisUrl = config.redisUrl;
  }
  if (config.sendLimitsOnStoreError === 'allow' || config.sendLimitsOnStoreError === 'refuse') {
    policy.sendLimitsOnStoreError = config.sendLimitsOnStoreError;
  }
  if (typeof config.sendLimitsMemoryKeys === 'number') {
    policy.sendLimitsMemoryKeys = config.sendLimitsMemoryKeys;
  }
  return policy;
};

const hasPolicy = (policy: Policy) => policyKeys.some((key) => policy[key] !== undefined);

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** `at most 5 SMS per 1 hour per visitor IP address`: one limit, in words. */
export const describeLimit = (limit: SendLimit): string => {
  const window = describeWindow(limit.windowSeconds);
  const sms = `at most ${limit.max} SMS per ${window}`;
  switch (limit.by) {
    case 'ip': {
      return `${sms} per visitor IP address`;
    }
    case 'ipCountries': {
      return `at most ${plural(limit.max, 'destination country', 'destination countries')} per ${window} per visitor IP address`;
    }
    case 'country': {
      return `${sms} per destination country`;
    }
    case 'prefix': {
      return `${sms} per number range (the first ${limit.digits} digits of the number with its country code)`;
    }
    case 'recipient': {
      return `${sms} per phone number`;
    }
    case 'all': {
      return `${sms} through this connector in all`;
    }
  }
};

/** `redis.internal:6379` (`, TLS` for rediss://): where the counts go, never with a user or password. */
const redisTarget = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}${parsed.protocol === 'rediss:' ? ' over TLS' : ''}`;
  } catch {
    return 'the configured Redis';
  }
};

const countriesLine = ({ allowedCountries, blockedCountries }: Policy): string => {
  const names = (codes: readonly string[]) => codes.map(countryName).join(', ');
  const parts = [
    ...(allowedCountries ? [`only ${names(allowedCountries)}`] : ['every country']),
    ...(blockedCountries ? [`never ${names(blockedCountries)}`] : []),
  ];
  const howMatched =
    allowedCountries || blockedCountries
      ? ` — by the number's own country (+1 868 is Trinidad and Tobago, not the United States)${allowedCountries ? '; a number whose country cannot be told is refused' : ''}`
      : ' (no allowedCountries or blockedCountries)';
  return `countries: ${parts.join('; ')}${howMatched}`;
};

const storeLine = ({ redisUrl, sendLimitsMemoryKeys }: Policy): string =>
  redisUrl
    ? `shared through Redis at ${redisTarget(redisUrl)} by every Logto instance that uses it`
    : `counted in each Logto process, at most ${sendLimitsMemoryKeys ?? defaultMemoryKeys} counters with the least recently used dropped first, or shared through Redis when Logto runs with REDIS_URL`;

/**
 * The `Destination policy:` section `validate` prints after the validity line, or nothing when the
 * config sets no policy field. Lines without the two-space indent of the section's own items.
 */
export const describePolicy = (config: unknown): string[] => {
  const policy = policyOf(config);
  if (!hasPolicy(policy)) {
    return [];
  }
  const lines = ['Destination policy:', `  ${countriesLine(policy)}`];
  const limits = policy.sendLimits ?? [];
  if (limits.length > 0) {
    lines.push(`  send limits, ${storeLine(policy)}:`);
    lines.push(...limits.map((limit) => `    ${describeLimit(limit)}`));
    lines.push(
      '  a send past a limit is refused before any request, with HTTP 429 rate_limit_exceeded naming the limit; only sends the provider accepted, or may have accepted, count'
    );
  } else {
    lines.push('  send limits: none');
  }
  lines.push(
    policy.allowedCountries || policy.blockedCountries
      ? "  the console's Send button obeys the country lists, not the send limits"
      : "  the console's Send button is never counted or refused by the send limits"
  );
  if (limits.length > 0) {
    const when = policy.redisUrl
      ? 'when Redis cannot be reached'
      : "when Logto's REDIS_URL is used and Redis cannot be reached";
    lines.push(
      policy.sendLimitsOnStoreError === 'refuse'
        ? `  ${when}: sends are refused (sendLimitsOnStoreError "refuse")`
        : `  ${when}: sends go on without limits (sendLimitsOnStoreError "allow", the default)`
    );
  }
  return lines;
};

/**
 * No sendLimits on a connector that has them (its guard knows the key): nothing but Logto's own cap
 * of 10 codes per number per 10 minutes stands between a bot and the SMS bill.
 */
export const policyWarnings = (
  config: Record<string, unknown>,
  knownKeys: readonly string[] | undefined
): Warning[] => {
  if (!knownKeys?.includes('sendLimits')) {
    return [];
  }
  const limits = config.sendLimits;
  if (Array.isArray(limits) && limits.length > 0) {
    return [];
  }
  return [
    {
      path: 'sendLimits',
      message: `none set: nothing stops SMS pumping beyond Logto's 10 per number per 10 minutes; see ${policyDoc}`,
    },
  ];
};

import { ConnectorConfigFormItemType, type ConnectorConfigFormItem } from '@logto/connector-kit';
import { z } from 'zod';

import { isRegionCode } from '../phone';

/**
 * The destination policy every connector shares: which countries may receive SMS, and how many
 * sends a visitor, a country, a number range, a number or the whole connector may cost in a window.
 * The kit adds these fields to every provider's guard and form.
 */

/** One ISO 3166-1 alpha-2 code, upper-cased. */
export const countryCodeGuard = z
  .string()
  .trim()
  .refine(isRegionCode, 'each country must be an ISO 3166-1 alpha-2 code such as "US", "CN" or "GB"')
  .transform((code) => code.toUpperCase());

const countryList = (name: string) =>
  z
    .array(countryCodeGuard, { invalid_type_error: `${name} must be a list of country codes such as ["US", "CA"]` })
    .min(1, `${name} must list at least one country (leave it out to allow every country)`)
    .optional();

const windowSeconds = z.coerce
  .number({ invalid_type_error: 'windowSeconds must be a number of seconds' })
  .int('windowSeconds must be a whole number of seconds')
  .min(1, 'windowSeconds must be at least 1');

const max = z.coerce
  .number({ invalid_type_error: 'max must be a number of sends' })
  .int('max must be a whole number')
  .min(1, 'max must be at least 1 (to send nothing to a country, use blockedCountries)');

const limitShape = { max, windowSeconds };

export const sendLimitKinds = ['ip', 'ipCountries', 'country', 'prefix', 'recipient', 'all'] as const;
export type SendLimitKind = (typeof sendLimitKinds)[number];

const sendLimitGuard = z.discriminatedUnion(
  'by',
  [
    z.object({ by: z.literal('ip'), ...limitShape }),
    z.object({ by: z.literal('ipCountries'), ...limitShape }),
    z.object({ by: z.literal('country'), ...limitShape }),
    z.object({
      by: z.literal('prefix'),
      digits: z.coerce
        .number({ invalid_type_error: 'digits must be the number of leading digits to count by, e.g. 7' })
        .int('digits must be a whole number')
        .min(2, 'digits must be at least 2 (the calling code and one more digit)')
        .max(14, 'digits must be at most 14'),
      ...limitShape,
    }),
    z.object({ by: z.literal('recipient'), ...limitShape }),
    z.object({ by: z.literal('all'), ...limitShape }),
  ],
  {
    errorMap: (issue, context) =>
      issue.code === 'invalid_union_discriminator'
        ? { message: `by must be one of ${sendLimitKinds.join(', ')}` }
        : { message: context.defaultError },
  }
);

export type SendLimit = z.infer<typeof sendLimitGuard>;

const redisUrlGuard = z
  .string()
  .trim()
  .refine(
    (value) => URL.canParse(value) && ['redis:', 'rediss:'].includes(new URL(value).protocol),
    'redisUrl must be a redis:// or rediss:// URL, e.g. redis://redis.internal:6379/0'
  );

/** The most keys the in-process store keeps (the oldest are evicted): memory stays bounded under a flood of IPs. */
export const defaultMemoryKeys = 100_000;

export const policyShape = {
  allowedCountries: countryList('allowedCountries'),
  blockedCountries: countryList('blockedCountries'),
  sendLimits: z
    .array(sendLimitGuard, {
      invalid_type_error: 'sendLimits must be a list such as [{ "by": "ip", "max": 5, "windowSeconds": 3600 }]',
    })
    .optional(),
  redisUrl: redisUrlGuard.optional(),
  sendLimitsOnStoreError: z
    .enum(['allow', 'refuse'], {
      errorMap: () => ({ message: 'sendLimitsOnStoreError must be "allow" (the default) or "refuse"' }),
    })
    .optional(),
  sendLimitsMemoryKeys: z.coerce
    .number({ invalid_type_error: 'sendLimitsMemoryKeys must be a number' })
    .int('sendLimitsMemoryKeys must be a whole number')
    .min(100, 'sendLimitsMemoryKeys must be at least 100')
    .max(10_000_000, 'sendLimitsMemoryKeys must be at most 10000000')
    .optional(),
};

export const policyKeys = Object.keys(policyShape) as Array<keyof typeof policyShape>;

export type PolicyConfig = {
  allowedCountries?: string[];
  blockedCountries?: string[];
  sendLimits?: SendLimit[];
  redisUrl?: string;
  sendLimitsOnStoreError?: 'allow' | 'refuse';
  sendLimitsMemoryKeys?: number;
};

/** A country in both lists is a mistake worth saying when the config is saved. */
export const refinePolicy = (config: PolicyConfig, context: z.RefinementCtx) => {
  const allowed = new Set(config.allowedCountries ?? []);
  for (const [index, country] of (config.blockedCountries ?? []).entries()) {
    if (allowed.has(country)) {
      context.addIssue({
        code: 'custom',
        path: ['blockedCountries', index],
        message: `${country} is in both allowedCountries and blockedCountries: keep it in one`,
      });
    }
  }
};

export const policyFormItems: ConnectorConfigFormItem[] = [
  {
    key: 'allowedCountries',
    label: 'Allowed countries',
    type: ConnectorConfigFormItemType.Json,
    required: false,
    placeholder: '["US", "CA", "GB"]',
    description:
      'ISO 3166 codes of the countries that may receive SMS, by the number itself (+1 868 is TT, not US). Leave empty to allow every country. Applies to the console test too.',
  },
  {
    key: 'blockedCountries',
    label: 'Blocked countries',
    type: ConnectorConfigFormItemType.Json,
    required: false,
    placeholder: '["KP"]',
    description: 'ISO 3166 codes of countries that never receive SMS from this connector.',
  },
  {
    key: 'sendLimits',
    label: 'Send limits',
    type: ConnectorConfigFormItemType.Json,
    required: false,
    placeholder:
      '[{ "by": "ip", "max": 5, "windowSeconds": 3600 }, { "by": "ipCountries", "max": 2, "windowSeconds": 86400 }]',
    description:
      'Against SMS pumping: "by" is ip, ipCountries (distinct countries per IP), country, prefix (with "digits"), recipient or all; a send past "max" within "windowSeconds" is refused (HTTP 429). Only sends the provider accepted count. Not applied to the console test.',
  },
  {
    key: 'redisUrl',
    label: 'Redis URL',
    type: ConnectorConfigFormItemType.Text,
    required: false,
    isConfidential: true,
    placeholder: 'redis://redis.internal:6379/0',
    description:
      "Shares send counts between Logto instances. Default: Logto's REDIS_URL when set, else counts stay in this Logto process.",
  },
  {
    key: 'sendLimitsOnStoreError',
    label: 'When Redis is unreachable',
    type: ConnectorConfigFormItemType.Select,
    required: false,
    selectItems: [
      { value: 'allow', title: 'Send anyway (default)' },
      { value: 'refuse', title: 'Refuse the send' },
    ],
    description: 'Whether sign-ins go on without send limits while Redis cannot be reached.',
  },
  {
    key: 'sendLimitsMemoryKeys',
    label: 'Counters kept in memory',
    type: ConnectorConfigFormItemType.Number,
    required: false,
    placeholder: String(defaultMemoryKeys),
    description:
      'Without Redis: the most counters this Logto process keeps; the least recently used go first, so a flood of IPs cannot exhaust memory.',
  },
];

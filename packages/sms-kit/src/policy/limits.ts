import { createHash } from 'node:crypto';

import { maskPhone, toE164Digits, type PhoneNumber } from '../phone';
import type { SendLimit } from './config';
import { countryName } from './countries';
import type { Counter } from './store';

/** Who and what a send is for, as the limits count it. */
export type LimitSubject = { connectorId: string; phone: PhoneNumber; ip?: string };

export type PlannedLimit = { limit: SendLimit; counter: Counter };

/** Counters never hold a number or an IP in clear (as Logto's own rate guard does). */
const hashed = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

/** The destination's country, or `+<calling code>` for numbers outside any country (`+882`). */
const destinationOf = (phone: PhoneNumber) => phone.country ?? `+${phone.callingCode}`;

const counterKey = ({ connectorId }: LimitSubject, limit: SendLimit, value?: string) =>
  [
    'sms-suite:send-limits',
    connectorId,
    limit.by === 'prefix' ? `prefix${limit.digits}` : limit.by,
    String(limit.windowSeconds),
    ...(value === undefined ? [] : [value]),
  ].join(':');

/**
 * The counters one send touches, in the order of `sendLimits`. A send without an IP (Logto passes
 * `ip` for end users' requests) skips the `ip` and `ipCountries` limits.
 */
export const plannedLimits = (limits: readonly SendLimit[], subject: LimitSubject): PlannedLimit[] =>
  limits.flatMap((limit): PlannedLimit[] => {
    const base = { windowMs: limit.windowSeconds * 1000, max: limit.max };
    const { phone, ip } = subject;
    switch (limit.by) {
      case 'ip': {
        return ip ? [{ limit, counter: { ...base, key: counterKey(subject, limit, hashed(`ip|${ip}`)) } }] : [];
      }
      case 'ipCountries': {
        return ip
          ? [
              {
                limit,
                counter: {
                  ...base,
                  key: counterKey(subject, limit, hashed(`ip|${ip}`)),
                  distinct: destinationOf(phone),
                },
              },
            ]
          : [];
      }
      case 'country': {
        return [{ limit, counter: { ...base, key: counterKey(subject, limit, destinationOf(phone)) } }];
      }
      case 'prefix': {
        const prefix = toE164Digits(phone).slice(0, limit.digits);
        return [{ limit, counter: { ...base, key: counterKey(subject, limit, hashed(`prefix|${prefix}`)) } }];
      }
      case 'recipient': {
        return [{ limit, counter: { ...base, key: counterKey(subject, limit, hashed(`to|${toE164Digits(phone)}`)) } }];
      }
      case 'all': {
        return [{ limit, counter: { ...base, key: counterKey(subject, limit) } }];
      }
    }
  });

/** `600` → `10 minutes`, `3600` → `1 hour`, `90` → `90 seconds`. */
export const describeWindow = (seconds: number): string => {
  const [amount, unit] =
    seconds % 86_400 === 0 && seconds > 86_400
      ? [seconds / 86_400, 'day']
      : seconds % 3600 === 0
        ? [seconds / 3600, 'hour']
        : seconds % 60 === 0
          ? [seconds / 60, 'minute']
          : [seconds, 'second'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
};

const rate = (limit: SendLimit) => `${limit.max} SMS per ${describeWindow(limit.windowSeconds)}`;

/**
 * What the admin reads when a limit trips: which limit, never the counted IP or the whole number (the
 * number is masked, a prefix is only its first digits).
 */
export const describeTrippedLimit = (limit: SendLimit, { phone }: LimitSubject): string => {
  const reason = (() => {
    switch (limit.by) {
      case 'ip': {
        return `the per-IP limit (${rate(limit)}) was reached for this visitor's IP address`;
      }
      case 'ipCountries': {
        return `this visitor's IP address already sent SMS to ${limit.max} ${limit.max === 1 ? 'country' : 'countries'} within ${describeWindow(limit.windowSeconds)} (ipCountries limit), and ${countryName(destinationOf(phone))} would be one more`;
      }
      case 'country': {
        return `the limit for ${countryName(destinationOf(phone))} (${rate(limit)}) was reached`;
      }
      case 'prefix': {
        return `the limit for numbers starting +${toE164Digits(phone).slice(0, limit.digits)} (${rate(limit)}) was reached`;
      }
      case 'recipient': {
        return `the per-number limit (${rate(limit)}) was reached for ${maskPhone(phone)}`;
      }
      case 'all': {
        return `the limit for this connector (${rate(limit)}) was reached`;
      }
    }
  })();
  return `Too many SMS: ${reason}, so the message was not sent. Try again later; sendLimits in the connector config sets these limits.`;
};

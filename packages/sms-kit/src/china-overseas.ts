import { ConnectorErrorCodes } from '@logto/connector-kit';
import { z, type ZodTypeAny } from 'zod';

import { fieldError } from './errors';
import { isMainlandChina, type PhoneNumber } from './phone';

/**
 * Aliyun and Tencent run mainland-China SMS (+86) and international SMS as separate services, each
 * with its own approved templates. A template's code is either one value for every number, or one
 * per side: `china` for mainland numbers, `overseas` for every other (Hong Kong, Macau, Taiwan and
 * +1 included). One side may be left out; numbers of that side are then refused before anything is
 * sent.
 */
export type ChinaOverseas<Value> = Value | { china?: Value; overseas?: Value };

/**
 * The guard for a `ChinaOverseas` value named `name`; `valueGuard(key)` guards one value, `key` being
 * `name`, `china` or `overseas` so that its messages can name the key. Dispatched on the value's
 * shape rather than a zod union, so an error names the exact key at fault
 * (`templates.0.templateCode.overseas`) instead of "invalid input".
 */
export const chinaOverseasGuard = <Value extends ZodTypeAny>(name: string, valueGuard: (key: string) => Value) => {
  const single = valueGuard(name);
  const sides = z
    .object({ china: valueGuard('china').optional(), overseas: valueGuard('overseas').optional() })
    .refine(
      (code) => code.china !== undefined || code.overseas !== undefined,
      `${name} needs "china", "overseas" or both`
    );
  return z.any().transform((input: unknown, context): ChinaOverseas<z.output<Value>> => {
    const guard = input && typeof input === 'object' && !Array.isArray(input) ? sides : single;
    const result = guard.safeParse(input);
    if (result.success) {
      return result.data as ChinaOverseas<z.output<Value>>;
    }
    for (const issue of result.error.issues) {
      context.addIssue(issue);
    }
    return z.NEVER;
  });
};

const isSides = <Value>(option: ChinaOverseas<Value>): option is { china?: Value; overseas?: Value } =>
  typeof option === 'object' && option !== null && !Array.isArray(option);

/**
 * The value that serves this number. A side the template leaves out is refused as
 * `invalid_request_parameters` on `to`, naming the template (`usageType`) and what the provider
 * calls the value (`code`, `ID`).
 */
export const valueForDestination = <Value>(
  option: ChinaOverseas<Value>,
  phone: PhoneNumber,
  { usageType, noun }: { usageType: string; noun: string }
): Value => {
  if (!isSides(option)) {
    return option;
  }
  const mainland = isMainlandChina(phone);
  const value = mainland ? option.china : option.overseas;
  if (value === undefined) {
    const [kind, side, other] = mainland
      ? ['Mainland-China', 'china', 'overseas']
      : ['International', 'overseas', 'china'];
    throw fieldError(
      ConnectorErrorCodes.InvalidRequestParameters,
      ['to'],
      `${kind} numbers are not served: the "${usageType}" template has no "${side}" ${noun} (only "${other}").`,
      { usageType }
    );
  }
  return value;
};

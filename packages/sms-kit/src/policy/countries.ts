import { ConnectorErrorCodes } from '@logto/connector-kit';

import { fieldError } from '../errors';
import type { PhoneNumber } from '../phone';
import type { PolicyConfig } from './config';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** `TT` → `Trinidad and Tobago (TT)`. */
export const countryName = (code: string): string => {
  const name = regionNames.of(code);
  return name && name !== code ? `${name.replace(/ & /g, ' and ')} (${code})` : code;
};

/**
 * Refuses, before any request, a number whose country is not allowed: matched by the number's own
 * region (`+1 868` is Trinidad and Tobago, not the United States). Under `allowedCountries` a number
 * whose region cannot be told (a non-geographic or unassigned range) is refused too.
 */
export const checkDestination = (
  phone: PhoneNumber,
  policy: Pick<PolicyConfig, 'allowedCountries' | 'blockedCountries'>
) => {
  const { country } = phone;
  const refuse = (message: string) =>
    fieldError(ConnectorErrorCodes.InvalidRequestParameters, ['to'], message, {
      ...(country && { country }),
    });
  if (country && policy.blockedCountries?.includes(country)) {
    throw refuse(`${countryName(country)} is in blockedCountries: this connector does not send SMS there.`);
  }
  if (policy.allowedCountries) {
    if (!country) {
      throw refuse(
        `The country of +${phone.callingCode} numbers cannot be determined, and allowedCountries only allows ${policy.allowedCountries.join(', ')}.`
      );
    }
    if (!policy.allowedCountries.includes(country)) {
      throw refuse(`${countryName(country)} is not in allowedCountries (${policy.allowedCountries.join(', ')}).`);
    }
  }
};

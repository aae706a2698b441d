import { ConnectorErrorCodes } from '@logto/connector-kit';
import { Metadata, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

import { fieldError } from './errors';

/** A recipient that has been parsed and validated; every provider format derives from it. */
export type PhoneNumber = {
  /** ISO 3166 alpha-2 region when the number belongs to one (`US`, `CN`, `HK`), else undefined. */
  country?: string;
  /** Calling code without `+`: `1`, `86`, `852`. */
  callingCode: string;
  /** National significant number: `6502530000`, `13800138000`. */
  nationalNumber: string;
};

// What people type besides digits: `+1 (650) 253-0000`, `0044 7700 900123`, `138.0013.8000`.
const separators = /[\s\-().\u00a0]/g;

const invalid = (input: string, reason: string) =>
  fieldError(
    ConnectorErrorCodes.InvalidRequestParameters,
    ['to'],
    `"${input}" is not a valid phone number: ${reason}. Use the international format, e.g. 16502530000 or +44 7700 900123.`
  );

type Strictness = 'valid' | 'possible';

const metadata = new Metadata();
const numberingPlanPatterns = new Map<string, RegExp | undefined>();

/** The calling code's general number pattern: `+1 000 000 0000` has a possible length but no such number exists. */
const fitsNumberingPlan = (callingCode: string, nationalNumber: string): boolean => {
  if (!numberingPlanPatterns.has(callingCode)) {
    // selectNumberingPlan accepts a calling code too; the typings only name regions and omit the pattern.
    metadata.selectNumberingPlan(callingCode as CountryCode);
    const plan = metadata.numberingPlan as unknown as { nationalNumberPattern(): string } | undefined;
    const pattern = plan?.nationalNumberPattern();
    numberingPlanPatterns.set(callingCode, pattern ? new RegExp(`^(?:${pattern})$`) : undefined);
  }
  return numberingPlanPatterns.get(callingCode)?.test(nationalNumber) ?? false;
};

const fromParsed = (text: string, strictness: Strictness, region?: CountryCode): PhoneNumber | undefined => {
  const parsed = parsePhoneNumberFromString(text, region);
  const accepted =
    parsed &&
    (strictness === 'valid'
      ? parsed.isValid()
      : parsed.isPossible() && fitsNumberingPlan(parsed.countryCallingCode, parsed.nationalNumber));
  if (!parsed || !accepted) {
    return undefined;
  }
  return {
    country: parsed.country,
    callingCode: parsed.countryCallingCode,
    nationalNumber: parsed.nationalNumber,
  };
};

export const isRegionCode = (region: string): boolean => isSupportedCountry(region.toUpperCase() as CountryCode);

/**
 * Parses what Logto passes (`16502530000`: digits with the country code, no `+`) and what people type
 * in the console or CLI (`+`, `00`, spaces, dashes, parentheses). Digits without `+` are read as
 * international first, as Logto stores them; only when that is not a valid number and a
 * `defaultRegion` is configured are they read as a national number of that region.
 *
 * A number is accepted when libphonenumber finds it valid, or else when its length is possible for its
 * country (see below). Throws `invalid_request_parameters` naming `to`, before any HTTP call is made.
 */
export const parsePhone = (input: string, defaultRegion?: string): PhoneNumber => {
  const cleaned = String(input ?? '').trim().replace(separators, '');
  if (!/^(\+|00)?\d{4,17}$/.test(cleaned)) {
    throw invalid(input, 'it must be digits, optionally starting with + or 00');
  }
  const region =
    defaultRegion && isRegionCode(defaultRegion) ? (defaultRegion.toUpperCase() as CountryCode) : undefined;

  const international = cleaned.startsWith('+')
    ? cleaned
    : cleaned.startsWith('00')
      ? `+${cleaned.slice(2)}`
      : `+${cleaned}`;
  const national = region && /^\d/.test(cleaned) && !cleaned.startsWith('00') ? cleaned : undefined;
  // A number in a range the bundled metadata does not know yet (new allocations, reserved ranges used
  // in examples) is passed on when its length fits its country: the provider has the final word, and
  // stale metadata must never lock a real person out.
  const phone = (['valid', 'possible'] as const).reduce<PhoneNumber | undefined>(
    (found, strictness) =>
      found ??
      fromParsed(international, strictness) ??
      (national ? fromParsed(national, strictness, region) : undefined),
    undefined
  );

  if (!phone) {
    throw invalid(
      input,
      region ? `it is neither an international number nor a ${region} number` : 'no country uses this number'
    );
  }
  return phone;
};

/** `+16502530000`: Twilio, Tencent, the HTTP connector's `phoneNumber`. */
export const toE164 = (phone: PhoneNumber): string => `+${phone.callingCode}${phone.nationalNumber}`;

/** `16502530000`: Vonage, GatewayAPI, SMSAero. */
export const toE164Digits = (phone: PhoneNumber): string => `${phone.callingCode}${phone.nationalNumber}`;

/** Mainland China is calling code 86 only; Hong Kong (852), Macau (853), Taiwan (886) and +1 are not. */
export const isMainlandChina = (phone: PhoneNumber): boolean => phone.callingCode === '86';

// Every mainland mobile number is 11 digits starting with 13–19; mainland landlines cannot receive SMS.
const mainlandMobile = /^1[3-9]\d{9}$/;

/**
 * Mainland SMS reaches mobiles only. A +86 landline (which libphonenumber accepts, and which a bare
 * national number with defaultRegion CN may turn out to be) is refused before any HTTP call.
 */
export const requireMainlandMobile = (phone: PhoneNumber): PhoneNumber => {
  if (isMainlandChina(phone) && !mainlandMobile.test(phone.nationalNumber)) {
    throw fieldError(
      ConnectorErrorCodes.InvalidRequestParameters,
      ['to'],
      `${toE164(phone)} is not a mainland-China mobile number (11 digits starting with 13–19); SMS cannot reach it.`
    );
  }
  return phone;
};

/** Aliyun: mainland numbers as the 11-digit national number, everything else as E.164 digits. */
export const toChinaNationalOrE164Digits = (phone: PhoneNumber): string =>
  isMainlandChina(phone) ? phone.nationalNumber : toE164Digits(phone);

/** `+1 650***0000`: enough to tell numbers apart in a log line without publishing them. */
export const maskPhone = (phone: PhoneNumber): string => {
  const { nationalNumber: digits } = phone;
  const shown = Math.min(4, Math.floor(digits.length / 3));
  return `+${phone.callingCode} ${digits.slice(0, shown)}${'*'.repeat(digits.length - shown * 2)}${digits.slice(-shown)}`;
};

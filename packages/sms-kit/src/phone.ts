import { ConnectorErrorCodes } from '@logto/connector-kit';
import {
  Metadata,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber as ParsedPhoneNumber,
} from 'libphonenumber-js/min';

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

const internationalAdvice = 'Use the international format, e.g. 16502530000 or +44 7700 900123.';
const addCountryCodeAdvice = "If it is another country's number, add its country code, e.g. +1 650 253 0000.";

const invalid = (input: string, reason: string, advice = internationalAdvice) =>
  fieldError(
    ConnectorErrorCodes.InvalidRequestParameters,
    ['to'],
    `"${input}" is not a valid phone number: ${reason}. ${advice}`
  );

// Every mainland mobile number is 11 digits starting with 13–19; mainland landlines cannot receive SMS.
const mainlandMobile = /^1[3-9]\d{9}$/;

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

const isAccepted = (parsed: ParsedPhoneNumber, strictness: Strictness): boolean =>
  strictness === 'valid'
    ? parsed.isValid()
    : parsed.isPossible() && fitsNumberingPlan(parsed.countryCallingCode, parsed.nationalNumber);

/**
 * Digits without a country code are read in the default region only when that is what the sender
 * plausibly meant; otherwise they are more likely a foreign number missing its country code
 * (`6502530000`, a US number, typed for a connector whose default region is CN):
 * - in mainland China only a mobile number, as SMS cannot reach a landline there, and most foreign
 *   numbers read as a mainland landline once +86 is put in front of them;
 * - a number the metadata does not know (merely of a possible length) only when written with the
 *   region's trunk prefix (`07700 900123` in GB), which says the sender meant a national number.
 */
const isPlausibleNational = (parsed: ParsedPhoneNumber, strictness: Strictness, digits: string): boolean => {
  const reachableBySms = parsed.countryCallingCode !== '86' || mainlandMobile.test(parsed.nationalNumber);
  const writtenWithTrunkPrefix = parsed.nationalNumber !== digits;
  return reachableBySms && (strictness === 'valid' || writtenWithTrunkPrefix);
};

const asPhoneNumber = (parsed: ParsedPhoneNumber): PhoneNumber => ({
  country: parsed.country,
  callingCode: parsed.countryCallingCode,
  nationalNumber: parsed.nationalNumber,
});

const readInternational = (international: string, strictness: Strictness): PhoneNumber | undefined => {
  const parsed = parsePhoneNumberFromString(international);
  return parsed && isAccepted(parsed, strictness) ? asPhoneNumber(parsed) : undefined;
};

const readNational = (digits: string, region: CountryCode, strictness: Strictness): PhoneNumber | undefined => {
  const parsed = parsePhoneNumberFromString(digits, region);
  return parsed && isAccepted(parsed, strictness) && isPlausibleNational(parsed, strictness, digits)
    ? asPhoneNumber(parsed)
    : undefined;
};

/**
 * `+999` when no country calling code starts the number. Calling codes are prefix-free and at most
 * three digits long, so the code blamed is what was typed before the first separator, or else the
 * first three digits.
 */
const unknownCallingCode = (input: string, international: string): string | undefined => {
  if (validatePhoneNumberLength(international) !== 'INVALID_COUNTRY') {
    return undefined;
  }
  const typedCode = /^\s*(?:\+|00)?(\d{1,3})(?=[\s\-().\u00a0])/.exec(input)?.[1];
  return `+${typedCode ?? international.slice(1, 4)}`;
};

export const isRegionCode = (region: string): boolean => isSupportedCountry(region.toUpperCase() as CountryCode);

type PhoneReading = { phone: PhoneNumber } | { problem: string; advice?: string };

const readPhone = (input: string, defaultRegion?: string): PhoneReading => {
  const text = String(input ?? '');
  const cleaned = text.trim().replace(separators, '');
  if (!/^(\+|00)?\d{4,17}$/.test(cleaned)) {
    return { problem: 'it must be digits, optionally starting with + or 00' };
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
      readInternational(international, strictness) ??
      (national && region ? readNational(national, region, strictness) : undefined),
    undefined
  );
  if (phone) {
    return { phone };
  }

  // Digits typed without + for a connector with a default region were most likely meant as national.
  if (region && national) {
    const mobilesOnly = region === 'CN' ? ' (SMS reaches mainland mobiles only: 11 digits starting with 13–19)' : '';
    return { problem: `it is not a valid ${region} number${mobilesOnly}`, advice: addCountryCodeAdvice };
  }
  const callingCode = unknownCallingCode(text, international);
  return { problem: callingCode ? `${callingCode} is not a country calling code` : 'no country uses this number' };
};

/**
 * Parses what Logto passes (`16502530000`: digits with the country code, no `+`) and what people type
 * in the console or CLI (`+`, `00`, spaces, dashes, parentheses). Digits without `+` are read as
 * international first, as Logto stores them; only when that is not a valid number and a
 * `defaultRegion` is configured are they read as a national number of that region.
 *
 * A number is accepted when libphonenumber finds it valid, or else when its length is possible for its
 * country (see above). Throws `invalid_request_parameters` naming `to`, before any HTTP call is made,
 * with the reason: not digits, an unknown calling code (`+999`), not a number of the default region
 * (add the country code), or no number of its country.
 */
export const parsePhone = (input: string, defaultRegion?: string): PhoneNumber => {
  const reading = readPhone(input, defaultRegion);
  if ('problem' in reading) {
    throw invalid(input, reading.problem, reading.advice);
  }
  return reading.phone;
};

/**
 * Why parsePhone refuses `input` (`+999 is not a country calling code`), or undefined when it accepts
 * it: for tools that explain a number instead of throwing, such as the CLI.
 */
export const phoneProblem = (input: string, defaultRegion?: string): string | undefined => {
  const reading = readPhone(input, defaultRegion);
  return 'problem' in reading ? reading.problem : undefined;
};

/** `+16502530000`: Twilio, Tencent, the HTTP connector's `phoneNumber`. */
export const toE164 = (phone: PhoneNumber): string => `+${phone.callingCode}${phone.nationalNumber}`;

/** `16502530000`: Vonage, GatewayAPI, SMSAero. */
export const toE164Digits = (phone: PhoneNumber): string => `${phone.callingCode}${phone.nationalNumber}`;

/** Mainland China is calling code 86 only; Hong Kong (852), Macau (853), Taiwan (886) and +1 are not. */
export const isMainlandChina = (phone: PhoneNumber): boolean => phone.callingCode === '86';

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

import { parsePhoneNumberWithError } from 'libphonenumber-js/min';

/**
 * What the console's "Send" test field accepts before anything is sent (`phoneInputRegEx` in Logto's
 * core-kit): digits, `+`, dashes, spaces and parentheses.
 */
export const consolePhoneInputPattern = /^\+?[\d\-( )]+$/;

/**
 * The number Logto's console posts to `POST /api/connectors/:id/test` for what an admin typed:
 * `parsePhoneNumber` of `@logto/shared` (a `+` is added when missing, libphonenumber parses it, the
 * E.164 form without `+` is kept), or the raw input when libphonenumber cannot parse it. The server
 * then accepts digits only, so a raw input with separators is rejected before the connector runs.
 *
 * `+1 (650) 253-0000` → `16502530000`; `+61 0412 345 678` → `61412345678`.
 */
export const consolePhone = (input: string): string => {
  try {
    return parsePhoneNumberWithError(input.startsWith('+') || !input ? input : `+${input}`).number.slice(1);
  } catch {
    return input;
  }
};

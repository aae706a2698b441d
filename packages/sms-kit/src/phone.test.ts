import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { ZodError } from 'zod';

import { logtoResponseFor } from './logto-response';
import {
  isMainlandChina,
  maskPhone,
  parsePhone,
  phoneProblem,
  requireMainlandMobile,
  toChinaNationalOrE164Digits,
  toE164,
  toE164Digits,
} from './phone';

describe('parsePhone', () => {
  it.each([
    // Logto's own form: digits with the country code, no '+'.
    ['16502530000', undefined, 'US', '1', '6502530000'],
    ['14165550123', undefined, 'CA', '1', '4165550123'],
    ['8613800138000', undefined, 'CN', '86', '13800138000'],
    ['85291234567', undefined, 'HK', '852', '91234567'],
    ['886912345678', undefined, 'TW', '886', '912345678'],
    ['447911123456', undefined, 'GG', '44', '7911123456'],
    // Reserved for drama, unknown to the metadata, but of a possible length: passed on to the provider.
    ['447700900123', undefined, undefined, '44', '7700900123'],
    // What people type in the console or the CLI.
    ['+1 (650) 253-0000', undefined, 'US', '1', '6502530000'],
    ['0044 7911 123456', undefined, 'GG', '44', '7911123456'],
    ['+86 138-0013-8000', undefined, 'CN', '86', '13800138000'],
    // National numbers, with defaultRegion.
    ['13800138000', 'CN', 'CN', '86', '13800138000'],
    ['(650) 253-0000', 'us', 'US', '1', '6502530000'],
    ['020 7946 0958', 'GB', 'GB', '44', '2079460958'],
    // Without defaultRegion a bare mainland number is read as international (+1 380…): set defaultRegion CN.
    ['13800138000', undefined, undefined, '1', '3800138000'],
    // International form wins over defaultRegion: Logto always stores the country code.
    ['16502530000', 'CN', 'US', '1', '6502530000'],
    // Unknown to the metadata but written with the trunk prefix 0: clearly national, passed on.
    ['07700 900123', 'GB', 'GB', '44', '7700900123'],
  ])('%s (defaultRegion %s) → %s +%s %s', (input, region, country, callingCode, nationalNumber) => {
    expect(parsePhone(input, region)).toEqual({ country, callingCode, nationalNumber });
  });

  it.each([
    ['', undefined],
    ['abc', undefined],
    ['1', undefined],
    ['+1 650 253 00000000', undefined],
    ['1234', 'CN'],
    ['+1 000 000 0000', undefined], // impossible length pattern for the country is rejected
    ['+44 12', undefined],
    ['+999 1234567', undefined],
    ['16502530000; DROP', undefined],
  ])('rejects %j (defaultRegion %s) as invalid_request_parameters naming "to"', (input, region) => {
    let caught: unknown;
    try {
      parsePhone(input, region);
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConnectorError);
    const error = caught as ConnectorError;
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.data).toBeInstanceOf(ZodError);
    expect((error.data as ZodError).issues[0]?.path).toEqual(['to']);
    expect(logtoResponseFor(error).toast).toMatch(
      /^The request is with wrong input parameter\(s\)\.\nError in key path "to": \(custom\) ".*" is not a valid phone number/
    );
  });
});

/** The sentence an admin reads in the toast for a refused number. */
const refusalOf = (input: string, region?: string): string => {
  try {
    parsePhone(input, region);
  } catch (error: unknown) {
    return logtoResponseFor(error).toast.replace(/^[^\n]*\nError in key path "to": \(custom\) /, '');
  }
  throw new Error(`parsePhone accepted ${input}`);
};

describe('parsePhone: why a number is refused', () => {
  it.each([
    ['+999 123456', '+999'],
    ['+999123456', '+999'],
    ['00999 123456', '+999'],
    ['+99 9123456', '+99'],
    ['999123456', '+999'],
  ])('%s starts with no country calling code: names %s instead of asking for one', (input, code) => {
    expect(refusalOf(input)).toBe(
      `"${input}" is not a valid phone number: ${code} is not a country calling code. Use the international format, e.g. 16502530000 or +44 7700 900123.`
    );
  });

  it('tells a foreign number typed without its country code (Tencent, default region CN) to add it', () => {
    // +86 650 2530000 would be a mainland landline, which SMS cannot reach: not what the sender meant.
    expect(refusalOf('6502530000', 'CN')).toBe(
      '"6502530000" is not a valid phone number: it is not a valid CN number (SMS reaches mainland mobiles only: 11 digits starting with 13–19). If it is another country\'s number, add its country code, e.g. +1 650 253 0000.'
    );
  });

  it.each([
    ['6502530000', 'GB'], // of a possible GB length, but not a GB number and written without the trunk prefix 0
    ['612345678', 'US'], // a French mobile without +33
  ])('tells %s, not a number of the default region %s, to add the country code', (input, region) => {
    expect(refusalOf(input, region)).toBe(
      `"${input}" is not a valid phone number: it is not a valid ${region} number. If it is another country's number, add its country code, e.g. +1 650 253 0000.`
    );
  });

  it('refuses a mainland landline typed nationally, and still reads the same landline given with +86 (refused later by requireMainlandMobile)', () => {
    expect(refusalOf('010 6234 5678', 'CN')).toMatch(
      /: it is not a valid CN number \(SMS reaches mainland mobiles only/
    );
    expect(parsePhone('861062345678')).toEqual({ country: 'CN', callingCode: '86', nationalNumber: '1062345678' });
  });

  it('keeps "no country uses this number" for a known calling code with an impossible number', () => {
    expect(refusalOf('+1 000 000 0000')).toBe(
      '"+1 000 000 0000" is not a valid phone number: no country uses this number. Use the international format, e.g. 16502530000 or +44 7700 900123.'
    );
  });

  it('phoneProblem gives the same reason without throwing, and nothing for a number parsePhone accepts', () => {
    expect(phoneProblem('+999 123456')).toBe('+999 is not a country calling code');
    expect(phoneProblem('6502530000', 'cn')).toBe(
      'it is not a valid CN number (SMS reaches mainland mobiles only: 11 digits starting with 13–19)'
    );
    expect(phoneProblem('+1 650 253 0000')).toBeUndefined();
    expect(phoneProblem('6502530000', 'US')).toBeUndefined();
  });
});

describe('provider formats', () => {
  const us = parsePhone('16502530000');
  const cn = parsePhone('8613800138000');
  const hk = parsePhone('85291234567');

  it('formats E.164 with and without +', () => {
    expect(toE164(us)).toBe('+16502530000');
    expect(toE164Digits(us)).toBe('16502530000');
    expect(toE164(cn)).toBe('+8613800138000');
  });

  it('tells mainland China from +1, Hong Kong, Macau and Taiwan by calling code', () => {
    expect(isMainlandChina(cn)).toBe(true);
    expect(isMainlandChina(us)).toBe(false);
    expect(isMainlandChina(hk)).toBe(false);
    expect(isMainlandChina(parsePhone('85362345678'))).toBe(false);
    expect(isMainlandChina(parsePhone('886912345678'))).toBe(false);
  });

  it('gives mainland numbers nationally and the rest as E.164 digits', () => {
    expect(toChinaNationalOrE164Digits(cn)).toBe('13800138000');
    expect(toChinaNationalOrE164Digits(hk)).toBe('85291234567');
    expect(toChinaNationalOrE164Digits(us)).toBe('16502530000');
  });

  it('refuses a mainland landline, which SMS cannot reach, and passes every other number', () => {
    expect(requireMainlandMobile(cn)).toBe(cn);
    expect(requireMainlandMobile(us)).toBe(us);
    expect(requireMainlandMobile(hk)).toBe(hk);
    let caught: unknown;
    try {
      requireMainlandMobile(parsePhone('861062345678'));
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConnectorError);
    expect(logtoResponseFor(caught).toast).toBe(
      'The request is with wrong input parameter(s).\nError in key path "to": (custom) +861062345678 is not a mainland-China mobile number (11 digits starting with 13–19); SMS cannot reach it.'
    );
  });

  it('masks numbers for logs', () => {
    expect(maskPhone(us)).toBe('+1 650****000');
    expect(maskPhone(cn)).toBe('+86 138*****000');
  });
});

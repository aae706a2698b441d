import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { ZodError } from 'zod';

import { logtoResponseFor } from './logto-response';
import {
  isMainlandChina,
  maskPhone,
  parsePhone,
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

import { parsePhone, toChinaNationalOrE164Digits, toE164, toE164Digits } from '@sms-suite/sms-kit';

import { magicFor, magicNumbers, recipientDigits } from './magic';

describe('magic numbers', () => {
  it('cover every outcome with an international and a mainland-China number', () => {
    const outcomes = [
      'rate-limited',
      'invalid-number',
      'unapproved',
      'insufficient-balance',
      'server-error',
      'no-reply',
      'non-json',
    ];
    expect(magicNumbers.map(({ outcome }) => outcome)).toEqual(outcomes.flatMap((outcome) => [outcome, outcome]));
    expect(magicNumbers.filter(({ callingCode }) => callingCode === '86')).toHaveLength(outcomes.length);
    expect(new Set(magicNumbers.map(({ number }) => number)).size).toBe(magicNumbers.length);
    expect(magicNumbers.every(({ providers }) => providers === 'all')).toBe(true);
  });

  // Connectors refuse invalid numbers before any HTTP call: a magic number must be a valid one.
  it.each(magicNumbers.map((magic) => [magic.number, magic]))(
    '%s is valid for libphonenumber, as Logto sends it',
    (_number, magic) => {
      const phone = parsePhone(magic.number.slice(1));
      expect(phone).toMatchObject({ callingCode: magic.callingCode, nationalNumber: magic.nationalNumber });
      expect(toE164(phone)).toBe(magic.number);
    }
  );

  it.each(magicNumbers.map((magic) => [magic.number, magic]))(
    '%s matches in every provider format',
    (_number, magic) => {
      const phone = parsePhone(magic.number);
      const formats = [
        toE164(phone), // Twilio, Tencent, http phoneNumber
        toE164Digits(phone), // Vonage, GatewayAPI, SMSAero, http to
        toChinaNationalOrE164Digits(phone), // Aliyun
        `00${toE164Digits(phone)}`,
        Number(toE164Digits(phone)), // GatewayAPI msisdn as an integer
      ];
      for (const format of formats) {
        expect(magicFor(format)).toBe(magic);
      }
    }
  );

  it.each([
    ['+16502530000'],
    ['16505550100'],
    ['16505550108'],
    ['8613800138000'],
    ['13800000100'],
    ['+4416505550101'],
    [''],
  ])('%s is an ordinary number', (recipient) => {
    expect(magicFor(recipient)).toBeUndefined();
  });

  it('reads digits however a number is written', () => {
    expect(recipientDigits('+86 138-0000-0101')).toBe('8613800000101');
    expect(recipientDigits('008613800000101')).toBe('8613800000101');
    expect(recipientDigits(16505550101)).toBe('16505550101');
  });
});

import { consolePhone, consolePhoneInputPattern } from './console-phone';

describe('consolePhone', () => {
  it.each([
    ['+1 (650) 253-0000', '16502530000'],
    ['16502530000', '16502530000'],
    ['1 650 253 0000', '16502530000'],
    ['+61 0412 345 678', '61412345678'],
    ['+44 7700 900123', '447700900123'],
    ['8613800138000', '8613800138000'],
    ['+86 138-0013-8000', '8613800138000'],
    // Without a country code the console still adds '+': "(650)" is read as +65 (Singapore).
    ['(650) 253-0000', '6502530000'],
  ])('%s → %s', (input, expected) => {
    expect(consolePhone(input)).toBe(expected);
  });

  it.each([['12'], ['+'], [''], ['+999 123'], ['+0 650 253 0000']])(
    'keeps %j as typed when libphonenumber cannot parse it',
    (input) => {
      expect(consolePhone(input)).toBe(input);
    }
  );
});

describe('consolePhoneInputPattern', () => {
  it.each(['+1 (650) 253-0000', '16502530000', '+44-7700-900123'])('accepts %s', (input) => {
    expect(consolePhoneInputPattern.test(input)).toBe(true);
  });

  it.each(['+1 650 253 0000 ext. 12', 'tel:+16502530000', '+1.650.253.0000', ''])('rejects %j', (input) => {
    expect(consolePhoneInputPattern.test(input)).toBe(false);
  });
});

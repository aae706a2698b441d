import { gsm7Septets, isGsm7, messageEncoding, segmentCapacity } from './encoding';

const repeat = (text: string, times: number) => text.repeat(times);

describe('messageEncoding', () => {
  it.each<[string, 'GSM-7' | 'UCS-2', number, number, string]>([
    ['empty text', 'GSM-7', 0, 0, ''],
    ['a verification code', 'GSM-7', 33, 1, 'Your verification code is 123456.'],
    [
      'every default-alphabet symbol',
      'GSM-7',
      65,
      1,
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà',
    ],
    ['the euro sign (extension table)', 'GSM-7', 2, 1, '€'],
    ['every extension character', 'GSM-7', 20, 1, '€[]{}^~|\\\f'],
    ['a code in brackets', 'GSM-7', 16, 1, 'Code: [123456]'],
    ['160 basic characters', 'GSM-7', 160, 1, repeat('a', 160)],
    ['161 basic characters', 'GSM-7', 161, 2, repeat('a', 161)],
    ['306 basic characters (2 × 153)', 'GSM-7', 306, 2, repeat('a', 306)],
    ['307 basic characters', 'GSM-7', 307, 3, repeat('a', 307)],
    ['459 basic characters (3 × 153)', 'GSM-7', 459, 3, repeat('a', 459)],
    ['80 euro signs (160 septets)', 'GSM-7', 160, 1, repeat('€', 80)],
    ['159 basic characters and a euro sign (161 septets)', 'GSM-7', 161, 2, `${repeat('a', 159)}€`],
    // The ESC pair may not straddle two parts: part 1 ends after 152 septets.
    ['an extension character on the 153/154 boundary', 'GSM-7', 306, 3, `${repeat('a', 152)}€${repeat('a', 152)}`],
    ['Chinese', 'UCS-2', 19, 1, '您的验证码是 123456，请勿泄露。'],
    ['Russian', 'UCS-2', 29, 1, 'Ваш код подтверждения: 123456'],
    ['Greek capitals only (in GSM-7)', 'GSM-7', 10, 1, 'ΔΦΓΛΩΠΨΣΘΞ'],
    ['Greek lower case (not in GSM-7)', 'UCS-2', 3, 1, 'αβγ'],
    ['an emoji (surrogate pair)', 'UCS-2', 2, 1, '😀'],
    ['a code with an emoji', 'UCS-2', 22, 1, 'Your code is 123456 🔐'],
    ['lower-case c cedilla (only Ç is GSM-7)', 'UCS-2', 1, 1, 'ç'],
    ['curly quotes', 'UCS-2', 6, 1, '“code”'],
    ['a non-breaking space', 'UCS-2', 11, 1, 'code\u00a0123456'],
    ['70 Chinese characters', 'UCS-2', 70, 1, repeat('码', 70)],
    ['71 Chinese characters', 'UCS-2', 71, 2, repeat('码', 71)],
    ['134 Chinese characters (2 × 67)', 'UCS-2', 134, 2, repeat('码', 134)],
    ['135 Chinese characters', 'UCS-2', 135, 3, repeat('码', 135)],
    ['70 Cyrillic letters', 'UCS-2', 70, 1, repeat('ж', 70)],
    ['71 Cyrillic letters', 'UCS-2', 71, 2, repeat('ж', 71)],
    ['35 emoji (70 units)', 'UCS-2', 70, 1, repeat('😀', 35)],
    ['36 emoji (72 units)', 'UCS-2', 72, 2, repeat('😀', 36)],
    // A surrogate pair may not straddle two parts: part 1 ends after 66 units.
    ['an emoji on the 67/68 boundary', 'UCS-2', 134, 3, `${repeat('码', 66)}😀${repeat('码', 66)}`],
    ['one Chinese character among 159 Latin ones', 'UCS-2', 160, 3, `${repeat('a', 159)}码`],
  ])('%s → %s, %i units, %i segment(s)', (_name, encoding, units, segments, text) => {
    expect(messageEncoding(text)).toEqual({ encoding, units, segments });
  });

  it('never needs fewer parts than the per-part capacity allows', () => {
    for (const text of [repeat('a', 1000), repeat('码', 500), repeat('€', 400), repeat('😀', 300)]) {
      const { encoding, units, segments } = messageEncoding(text);
      expect(segments).toBeGreaterThanOrEqual(Math.ceil(units / segmentCapacity[encoding].multipart));
    }
  });
});

describe('gsm7Septets and isGsm7', () => {
  it.each([
    ['a', 1],
    ['@', 1],
    ['\n', 1],
    ['€', 2],
    ['\\', 2],
    ['\f', 2],
    ['\u001b', undefined], // ESC alone is not a character
    ['`', undefined],
    ['码', undefined],
    ['😀', undefined],
  ])('%j takes %p septet(s)', (character, septets) => {
    expect(gsm7Septets(character)).toBe(septets);
  });

  it.each([
    ['Your code is 123456', true],
    ['Code {123456} €', true],
    ['', true],
    ['验证码 123456', false],
    ['Код 123456', false],
    ['code 😀', false],
  ])('isGsm7(%j) is %p', (text, expected) => {
    expect(isGsm7(text)).toBe(expected);
  });
});

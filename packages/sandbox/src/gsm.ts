/**
 * GSM 03.38 (GSM-7) as a handset decodes it, written here independently of the kit: which texts a
 * provider can send without unicode encoding, and how many parts a text takes.
 */
const basic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
);
const extension = new Set('\f^{}\\[~]|€');

/** Characters GSM-7 cannot carry (each once, in order of appearance). */
export const nonGsmCharacters = (text: string): string[] => [
  ...new Set([...text].filter((character) => !basic.has(character) && !extension.has(character))),
];

export const isGsm7 = (text: string): boolean => nonGsmCharacters(text).length === 0;

/** Parts a text takes: GSM-7 160/153 septets (extension characters count 2), UCS-2 70/67 UTF-16 units. */
export const segmentsOf = (text: string, unicode: boolean): number => {
  const sizes = unicode
    ? [...text].map((character) => character.length)
    : [...text].map((character) => (extension.has(character) ? 2 : 1));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const [single, part] = unicode ? [70, 67] : [160, 153];
  if (total === 0) {
    return 0;
  }
  if (total <= single) {
    return 1;
  }
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
};

/** What the handset shows when unicode text is sent as GSM-7: every other character becomes `?`. */
export const asGsmGarbled = (text: string): string =>
  [...text].map((character) => (basic.has(character) || extension.has(character) ? character : '?')).join('');

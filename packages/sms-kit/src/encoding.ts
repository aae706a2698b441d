/**
 * Which alphabet a rendered SMS needs and how many parts it takes (3GPP TS 23.038 / 23.040).
 *
 * - GSM-7: the default alphabet plus its extension table. An extension character (`€ [ ] { } ^ ~ | \`
 *   and form feed) is sent as ESC + character, so it takes two septets. 160 septets fit one SMS;
 *   a concatenated SMS loses 7 septets per part to its header, leaving 153.
 * - UCS-2: anything else. Counted in UTF-16 code units, so an emoji outside the BMP (a surrogate
 *   pair) takes two. 70 units fit one SMS, 67 per part of a concatenated one.
 *
 * A character is never split between two parts (neither an ESC pair nor a surrogate pair), which is
 * why a long text full of extension characters or emoji can need one part more than units / 153
 * (or / 67) suggests. Characters that only look like GSM ones (`ç`, curly quotes, a non-breaking
 * space) need UCS-2: sending them as GSM-7 would garble them.
 */
export type MessageEncodingName = 'GSM-7' | 'UCS-2';

export type MessageEncoding = {
  encoding: MessageEncodingName;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  units: number;
  /** SMS parts the text takes; 0 for an empty text. */
  segments: number;
};

/** Units that fit one SMS, and one part of a concatenated SMS. */
export const segmentCapacity: Record<MessageEncodingName, { single: number; multipart: number }> = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
};

// GSM 03.38 default alphabet, in table order, without ESC (0x1B), which is not a character of its own.
const gsm7Basic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
);

// GSM 03.38 extension table (reached through ESC): form feed, ^ { } \ [ ~ ] | €.
const gsm7Extension = new Set('\f^{}\\[~]|€');

/** Septets a character takes in GSM-7, or undefined when GSM-7 cannot carry it. */
export const gsm7Septets = (character: string): 1 | 2 | undefined => {
  if (gsm7Basic.has(character)) {
    return 1;
  }
  return gsm7Extension.has(character) ? 2 : undefined;
};

/** True when every character of the text exists in GSM-7 (default alphabet or extension table). */
export const isGsm7 = (text: string): boolean => [...text].every((character) => gsm7Septets(character) !== undefined);

/** Parts needed for characters of the given sizes, never splitting one across two parts. */
const countSegments = (sizes: number[], { single, multipart }: { single: number; multipart: number }): number => {
  const units = sizes.reduce((sum, size) => sum + size, 0);
  if (units === 0) {
    return 0;
  }
  if (units <= single) {
    return 1;
  }
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multipart) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
};

export const messageEncoding = (text: string): MessageEncoding => {
  // Iterating a string yields code points: a surrogate pair stays one character of 2 units.
  const characters = [...text];
  const septets = characters.map(gsm7Septets);

  if (septets.every((size): size is 1 | 2 => size !== undefined)) {
    return {
      encoding: 'GSM-7',
      units: septets.reduce<number>((sum, size) => sum + size, 0),
      segments: countSegments(septets, segmentCapacity['GSM-7']),
    };
  }
  const sizes = characters.map((character) => character.length);
  return {
    encoding: 'UCS-2',
    units: text.length,
    segments: countSegments(sizes, segmentCapacity['UCS-2']),
  };
};

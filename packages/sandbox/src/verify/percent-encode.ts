/**
 * RFC 3986 percent-encoding, byte by byte over UTF-8: `A-Z a-z 0-9 - _ . ~` stay, every other byte
 * becomes `%XY` (uppercase hex). Written from the specification (not from encodeURIComponent) so it
 * is an independent check of the connectors' encoder.
 */
const isUnreserved = (byte: number): boolean =>
  (byte >= 0x41 && byte <= 0x5a) || // A-Z
  (byte >= 0x61 && byte <= 0x7a) || // a-z
  (byte >= 0x30 && byte <= 0x39) || // 0-9
  byte === 0x2d || // -
  byte === 0x5f || // _
  byte === 0x2e || // .
  byte === 0x7e; // ~

export const rfc3986Encode = (value: string): string => {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    encoded += isUnreserved(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
};

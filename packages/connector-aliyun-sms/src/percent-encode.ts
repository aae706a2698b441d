/**
 * RFC 3986 percent-encoding as Aliyun's RPC signature canonicalises it: unreserved `A-Z a-z 0-9 - _ . ~`
 * stay, every other UTF-8 byte becomes uppercase `%XY`; space is `%20`, `*` is `%2A`.
 * encodeURIComponent leaves exactly `! ' ( ) *` unescaped, so only those need fixing.
 */
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`
  );

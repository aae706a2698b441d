import type { HttpRequest } from './http';

/**
 * Secret redaction. Every config field holding a secret, and every credential or signature a request
 * carries, is registered with the redactor of a send; every error description, body excerpt and log
 * line passes through it. A provider that echoes a request back quotes it in whatever form it was on
 * the wire, so each secret is searched for in every form it can take there.
 */
export type Redactor = (text: string) => string;

export const redactedMark = '[redacted]';

// Shorter values (a port, `0`, the `v1` of a signature header) would shred ordinary text without
// protecting anything.
const minimumSecretLength = 4;

/** RFC 3986 unreserved characters only (what Aliyun and OAuth-style signers encode). */
const strictPercentEncode = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`
  );

/** application/x-www-form-urlencoded, as URLSearchParams writes a form body: space is `+`. */
const formEncode = (value: string): string => new URLSearchParams([['', value]]).toString().slice(1);

const lowerCaseHex = (encoded: string): string => encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/** Every form a secret takes in a URL, a form or JSON body, a header or a Basic credential. */
export const wireFormsOf = (secret: string): string[] => {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const percentForms = [encodeURIComponent(secret), strictPercentEncode(secret), formEncode(secret)];
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    ...percentForms,
    ...percentForms.map(lowerCaseHex),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
};

export const createRedactor = (secrets: ReadonlyArray<string | undefined>): Redactor => {
  // Built on first use: most sends succeed and never redact anything.
  let needles: string[] | undefined;
  return (text) => {
    needles ??= [
      ...new Set(
        secrets
          .filter((secret): secret is string => typeof secret === 'string' && secret.length >= minimumSecretLength)
          .flatMap(wireFormsOf)
          .filter((form) => form.length >= minimumSecretLength)
      ),
    ].sort((left, right) => right.length - left.length);
    return needles.reduce(
      (result, needle) => (result.includes(needle) ? result.split(needle).join(redactedMark) : result),
      text
    );
  };
};

/** The values behind the config keys that hold secrets (an object's string values for a key such as `headers`). */
export const secretsOf = (config: Record<string, unknown>, keys: readonly string[]): string[] =>
  keys.flatMap((key) => {
    const value = config[key];
    if (typeof value === 'string') {
      return [value];
    }
    if (value && typeof value === 'object') {
      return Object.values(value).filter((entry): entry is string => typeof entry === 'string');
    }
    return [];
  });

/**
 * `Basic dXNlcjpwYXNz` → the header value and the credential alone; a signed scheme
 * (`TC3-HMAC-SHA256 Credential=…, Signature=abc`) also gives the signature alone.
 */
export const authorizationSecrets = (headers: Record<string, string>): string[] =>
  Object.entries(headers)
    .filter(([name]) => name.toLowerCase() === 'authorization')
    .flatMap(([, value]) => [
      value,
      value.replace(/^\S+\s+/, ''),
      ...[...value.matchAll(/Signature=([^,\s]+)/g)].map(([, signature]) => signature ?? ''),
    ]);

const safelyDecoded = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Headers whose values are credentials or signatures by their name (`webhook-signature`, `x-api-key`). */
const credentialHeaderName = /signature|secret|token|api-?key|auth/i;

/**
 * What a request carries that must never be shown: the secrets its builder declared (a form field
 * signature), the Authorization value, every credential-named header (and each part of a
 * `v1,sig1 v1,sig2` list) and a password in the URL.
 */
export const requestSecrets = (request: {
  url: string;
  headers: Record<string, string>;
  secrets?: readonly string[];
}): string[] => {
  const fromHeaders = Object.entries(request.headers)
    .filter(([name]) => name.toLowerCase() !== 'authorization' && credentialHeaderName.test(name))
    .flatMap(([, value]) => [value, ...value.split(/[\s,]+/)]);
  const fromUrl = (() => {
    if (!URL.canParse(request.url)) {
      return [];
    }
    const { username, password } = new URL(request.url);
    return password ? [password, safelyDecoded(password), `${username}:${password}`] : [];
  })();
  return [...(request.secrets ?? []), ...authorizationSecrets(request.headers), ...fromHeaders, ...fromUrl];
};

/**
 * One redactor for a whole send. It starts with the config's secrets and learns what the request
 * carries (signatures, the Authorization value) once the request is built; it is only assembled
 * when something has to be redacted, which a successful send never needs.
 */
export const sendRedactor = (configSecrets: ReadonlyArray<string | undefined>) => {
  const secrets = [...configSecrets];
  let redactor: Redactor | undefined;
  return {
    redact: (text: string) => (redactor ??= createRedactor(secrets))(text),
    learn: (request: HttpRequest) => {
      secrets.push(...requestSecrets(request));
      redactor = undefined;
    },
  };
};

/**
 * Secret redaction. Every config field holding a secret is registered with the redactor of a send;
 * every error description, body excerpt and log line passes through it. Shapes a secret takes on the
 * wire (URL-encoded, inside a Basic credential) are covered too.
 */
export type Redactor = (text: string) => string;

export const redactedMark = '[redacted]';

// Shorter values (a port, `0`) would shred ordinary text without protecting anything.
const minimumSecretLength = 4;

const variantsOf = (secret: string): string[] => [
  secret,
  encodeURIComponent(secret),
  Buffer.from(secret, 'utf8').toString('base64'),
];

export const createRedactor = (secrets: ReadonlyArray<string | undefined>): Redactor => {
  // Built on first use: most sends succeed and never redact anything.
  let needles: string[] | undefined;
  return (text) => {
    needles ??= [
      ...new Set(
        secrets
          .filter((secret): secret is string => typeof secret === 'string' && secret.length >= minimumSecretLength)
          .flatMap(variantsOf)
      ),
    ].sort((left, right) => right.length - left.length);
    return needles.reduce((result, needle) => result.split(needle).join(redactedMark), text);
  };
};

/** The values behind the config keys that hold secrets, plus the `Authorization` value of a request. */
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

/**
 * The sandbox's own redaction (it never logs a secret): the sandbox credentials and whatever secret a
 * request carried (its Authorization value, a Basic password, an `api_secret` or `token` field),
 * with the shapes a secret takes on the wire (URL-encoded, base64).
 */
const marker = '[redacted]';

export const createSandboxRedactor = (secrets: ReadonlyArray<string | undefined>) => {
  const needles = [
    ...new Set(
      secrets
        .filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
        .flatMap((secret) => [secret, encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64')])
    ),
  ].sort((left, right) => right.length - left.length);

  const text = (value: string): string => needles.reduce((result, needle) => result.split(needle).join(marker), value);

  const deep = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return text(value);
    }
    if (Array.isArray(value)) {
      return value.map(deep);
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, deep(entry)]));
    }
    return value;
  };

  return { text, deep };
};

export type SandboxRedactor = ReturnType<typeof createSandboxRedactor>;

import { createRedactor } from '@sms-suite/sms-kit';

/**
 * The sandbox never logs a secret: the sandbox credentials and whatever secret a request carried (its
 * Authorization value, a Basic password, an `api_secret` or `token` field) go through the kit's
 * redactor, which also covers the shapes a secret takes on the wire (URL-encoded, base64), in strings
 * at any depth of a value.
 */
export const createSandboxRedactor = (secrets: ReadonlyArray<string | undefined>) => {
  const text = createRedactor(secrets);

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

/**
 * Renders `{{code}}`, `{{ code }}`, `{{link}}` and dotted paths with Logto's semantics
 * (connector-kit's replaceSendMessageHandlebars): a placeholder whose root key is absent from the
 * payload stays as written; a present root with a missing nested value renders as ''.
 *
 * Values are inserted literally in one pass: `$&` or `$1` in a code are not replacement patterns,
 * and a value that itself contains `{{code}}` is not expanded again.
 */
const placeholder = /{{\s*([\w.]+)\s*}}/g;

const valueAt = (payload: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<unknown>((current, key) => {
    if (!current || typeof current !== 'object') {
      return undefined;
    }
    return (current as Record<string, unknown>)[key];
  }, payload);

export const render = (template: string, payload: Record<string, unknown>): string =>
  template.replace(placeholder, (written: string, path: string) => {
    const root = path.split('.')[0];
    if (!root || !Object.prototype.hasOwnProperty.call(payload, root)) {
      return written;
    }
    return String(valueAt(payload, path) ?? '');
  });

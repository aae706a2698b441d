// Variant `node-https` (and `fetch-lazy`): createRedactor builds its needles on first use, not on
// every send (a send builds three redactors and uses none when it succeeds).
import * as original from '../../packages/sms-kit/src/redact';
export * from '../../packages/sms-kit/src/redact';
export const createRedactor = (secrets: ReadonlyArray<string | undefined>): original.Redactor => {
  let redact: original.Redactor | undefined;
  return (text) => (redact ??= original.createRedactor(secrets))(text);
};

import { createHmac, randomUUID } from 'node:crypto';

import type { ReplayGuard } from './replay-guard';
import { secureEqual } from './secure-compare';

/**
 * Standard Webhooks verification (standardwebhooks.com), as a receiver does it: the key is the base64
 * part of `whsec_<base64>`; `webhook-signature` is a space-separated list of `v1,<base64 HMAC-SHA256
 * of "<webhook-id>.<webhook-timestamp>.<body>">`, any of which may match; the timestamp must be within
 * 5 minutes; a webhook-id seen before is a replay.
 */
export const webhookToleranceSeconds = 300;

export const webhookKeyOf = (secret: string): Buffer =>
  Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');

export const webhookSignatureOf = (key: Buffer, id: string, timestamp: string, body: Buffer | string): string =>
  createHmac('sha256', key)
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('base64');

export type WebhookHeaders = {
  'webhook-id'?: string;
  'webhook-timestamp'?: string;
  'webhook-signature'?: string;
};

/**
 * The three headers a sender adds to one delivery, signed the way verifyWebhook checks them: the
 * client side of the sandbox's own tests, so that they need no connector. A fresh id and the current
 * time unless a test fixes them.
 */
export const webhookHeadersFor = (
  secret: string,
  body: string,
  { id = `msg_${randomUUID()}`, timestamp = Math.floor(Date.now() / 1000) }: { id?: string; timestamp?: number } = {}
): Required<WebhookHeaders> => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': `v1,${webhookSignatureOf(webhookKeyOf(secret), id, String(timestamp), body)}`,
});

export type WebhookFailure = {
  code: 'missing_signature' | 'timestamp_out_of_range' | 'invalid_signature' | 'replayed';
  message: string;
};

export const verifyWebhook = (input: {
  secret: string;
  headers: WebhookHeaders;
  body: Buffer | string;
  nowMs: number;
  /** webhook-ids already accepted; omitted = no replay check. */
  seenIds?: ReplayGuard;
}): WebhookFailure | undefined => {
  const id = input.headers['webhook-id']?.trim();
  const timestamp = input.headers['webhook-timestamp']?.trim();
  const signatures = input.headers['webhook-signature']?.trim();
  if (!id || !timestamp || !signatures) {
    const missing = (['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const).filter(
      (name) => !input.headers[name]?.trim()
    );
    return { code: 'missing_signature', message: `Missing Standard Webhooks header(s): ${missing.join(', ')}.` };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { code: 'timestamp_out_of_range', message: `webhook-timestamp "${timestamp}" is not Unix seconds.` };
  }
  const skew = Math.round(input.nowMs / 1000) - Number(timestamp);
  if (Math.abs(skew) > webhookToleranceSeconds) {
    return {
      code: 'timestamp_out_of_range',
      message: `webhook-timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'too old' : 'in the future'}; at most ${webhookToleranceSeconds} s are tolerated.`,
    };
  }
  const expected = webhookSignatureOf(webhookKeyOf(input.secret), id, timestamp, input.body);
  const matches = signatures
    .split(' ')
    .filter(Boolean)
    .some((entry) => {
      const comma = entry.indexOf(',');
      return comma > 0 && entry.slice(0, comma) === 'v1' && secureEqual(entry.slice(comma + 1), expected);
    });
  if (!matches) {
    return { code: 'invalid_signature', message: 'No v1 signature in webhook-signature matches the body.' };
  }
  if (input.seenIds?.seen(id, input.nowMs)) {
    return { code: 'replayed', message: `webhook-id ${id} was already delivered (replay).` };
  }
  return undefined;
};

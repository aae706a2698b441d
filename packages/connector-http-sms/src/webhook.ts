import { createHmac, randomUUID } from 'node:crypto';

/**
 * Standard Webhooks signing (standardwebhooks.com): `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">`, the key being the base64 part of a `whsec_<base64>` secret.
 */
export const webhookSecretPrefix = 'whsec_';

const webhookSecretKey = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(webhookSecretPrefix) ? secret.slice(webhookSecretPrefix.length) : secret, 'base64');

export const isWebhookSecret = (secret: string): boolean =>
  secret.startsWith(webhookSecretPrefix) &&
  /^[A-Za-z0-9+/]+={0,2}$/.test(secret.slice(webhookSecretPrefix.length)) &&
  webhookSecretKey(secret).length >= 16;

const webhookSignedContent = (id: string, timestamp: number, body: string): string => `${id}.${timestamp}.${body}`;

export const signWebhook = (secret: string, id: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', webhookSecretKey(secret))
    .update(webhookSignedContent(id, timestamp, body), 'utf8')
    .digest('base64')}`;

/** The three headers of one delivery. */
export const webhookHeaders = (
  secret: string,
  body: string,
  { id = `msg_${randomUUID()}`, timestamp = Math.floor(Date.now() / 1000) }: { id?: string; timestamp?: number } = {}
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signWebhook(secret, id, timestamp, body),
});

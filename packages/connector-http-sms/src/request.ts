import { toE164, type HttpRequest, type PhoneNumber } from '@sms-suite/sms-kit';

import type { HttpSmsConfig } from './provider';
import { webhookHeaders } from './webhook';

/** What Logto passed to `sendMessage`, forwarded as is: the fields of the official connector's body. */
export type LogtoMessage = {
  to: string;
  type: string;
  payload: Record<string, unknown>;
  ip?: string;
};

export type HttpSmsMessage = {
  data: LogtoMessage;
  phone: PhoneNumber;
  /** The rendered template, when `templates` is configured; sent as `message`. */
  text?: string;
};

/** Fixes the Standard Webhooks id and timestamp (tests, replays); by default a fresh id and now. */
export type Delivery = { id?: string; timestamp?: number };

/**
 * The JSON body. The first four keys are exactly what Logto's official HTTP SMS connector sends
 * (`JSON.stringify({ to, type, payload, ...(ip && { ip }) })`), so its receivers keep working;
 * `phoneNumber` and `message` are only appended.
 */
export const buildHttpSmsBody = ({ data, phone, text }: HttpSmsMessage): string =>
  JSON.stringify({
    to: data.to,
    type: data.type,
    payload: data.payload,
    ...(data.ip && { ip: data.ip }),
    phoneNumber: toE164(phone),
    ...(text !== undefined && { message: text }),
  });

/** `POST {endpoint}` with a JSON body, the configured credentials and, with `signingSecret`, a signature. */
export const buildHttpSmsRequest = (
  message: HttpSmsMessage,
  config: HttpSmsConfig,
  delivery: Delivery = {}
): HttpRequest => {
  const body = buildHttpSmsBody(message);
  const custom = Object.fromEntries(
    Object.entries(config.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])
  );
  return {
    method: 'POST',
    url: config.endpoint,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(config.authorization && { authorization: config.authorization }),
      ...custom,
      ...(config.signingSecret && webhookHeaders(config.signingSecret, body, delivery)),
    },
    body,
  };
};

import { messageEncoding, toE164Digits, type HttpRequest, type PhoneNumber } from '@sms-suite/sms-kit';

import { defaultEndpoint, type GatewayApiConfig } from './provider';

export type GatewayApiBody = {
  sender: string;
  message: string;
  /** The MSISDN: the international number as digits, no `+` or `00` (an integer, as in GatewayAPI's docs). */
  recipients: Array<{ msisdn: number }>;
  /** Absent means GSM 03.38; `UCS2` for any text GSM-7 cannot carry (Chinese, Cyrillic, emoji, …). */
  encoding?: 'UCS2';
};

/** A numeric sender goes out as digits: `+4512345678` → `4512345678`. */
export const senderOf = (sender: string): string => (/^\+\d+$/.test(sender) ? sender.slice(1) : sender);

/** `POST {endpoint}` (the full URL), Basic auth with the API token as user name and no password, JSON body. */
export const buildGatewayApiRequest = (
  { phone, text }: { phone: PhoneNumber; text: string },
  config: GatewayApiConfig
): HttpRequest => {
  const body: GatewayApiBody = {
    sender: senderOf(config.sender),
    message: text,
    recipients: [{ msisdn: Number(toE164Digits(phone)) }],
    ...(messageEncoding(text).encoding === 'UCS-2' && { encoding: 'UCS2' }),
  };
  return {
    method: 'POST',
    url: config.endpoint ?? defaultEndpoint,
    headers: {
      authorization: `Basic ${Buffer.from(`${config.apiToken}:`, 'utf8').toString('base64')}`,
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
    },
    body: JSON.stringify(body),
  };
};

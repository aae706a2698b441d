import { toE164Digits, type HttpRequest, type PhoneNumber } from '@sms-suite/sms-kit';

import { defaultEndpoint, type SmsAeroConfig } from './provider';

/** The JSON body of `sms/send`: nothing else from Logto's payload reaches SMSAero. */
export type SmsAeroSendBody = {
  /** International digits without `+`: `79031234567`. */
  number: string;
  /** The approved sender name. */
  sign: string;
  text: string;
};

const basicCredential = (email: string, apiKey: string) =>
  `Basic ${Buffer.from(`${email}:${apiKey}`, 'utf8').toString('base64')}`;

/** `POST {endpoint}/sms/send`, Basic `email:apiKey`, JSON `{ number, sign, text }`. */
export const buildSmsAeroRequest = (
  { phone, text }: { phone: PhoneNumber; text: string },
  config: SmsAeroConfig
): HttpRequest => {
  const base = (config.endpoint ?? defaultEndpoint).replace(/\/+$/, '');
  const body: SmsAeroSendBody = { number: toE164Digits(phone), sign: config.senderName, text };
  return {
    method: 'POST',
    url: `${base}/sms/send`,
    headers: {
      authorization: basicCredential(config.email, config.apiKey),
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
    },
    body: JSON.stringify(body),
  };
};

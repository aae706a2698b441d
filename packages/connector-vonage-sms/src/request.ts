import { messageEncoding, toE164Digits, type HttpRequest, type PhoneNumber } from '@sms-suite/sms-kit';

import { defaultEndpoint, type VonageConfig } from './provider';

/** A numeric sender goes out as E.164 digits without `+`, like `to`: `+12025550123` → `12025550123`. */
export const senderOf = (brandName: string): string => (/^\+\d+$/.test(brandName) ? brandName.slice(1) : brandName);

/**
 * `POST {endpoint}/sms/json` with the documented form parameters: `api_key`, `api_secret`, `from`,
 * `to` (E.164 digits, no `+`), `text`, and `type=unicode` when GSM-7 cannot carry the text (without
 * it Vonage garbles Chinese, Cyrillic or emoji).
 */
export const buildVonageRequest = (
  { phone, text }: { phone: PhoneNumber; text: string },
  config: VonageConfig
): HttpRequest => {
  const base = (config.endpoint ?? defaultEndpoint).replace(/\/+$/, '');
  const form = new URLSearchParams({
    api_key: config.apiKey,
    api_secret: config.apiSecret,
    from: senderOf(config.brandName),
    to: toE164Digits(phone),
    text,
    ...(messageEncoding(text).encoding === 'UCS-2' && { type: 'unicode' }),
  });
  return {
    method: 'POST',
    url: `${base}/sms/json`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      accept: 'application/json',
    },
    body: form.toString(),
  };
};

import { toE164, type HttpRequest, type PhoneNumber } from '@sms-suite/sms-kit';

import { defaultEndpoint, type TwilioConfig } from './provider';

/** `POST {endpoint}/2010-04-01/Accounts/{accountSID}/Messages.json`, Basic auth, form body. */
export const buildTwilioRequest = (
  { phone, text }: { phone: PhoneNumber; text: string },
  config: TwilioConfig
): HttpRequest => {
  const base = (config.endpoint ?? defaultEndpoint).replace(/\/+$/, '');
  const form = new URLSearchParams({
    To: toE164(phone),
    ...(config.fromMessagingServiceSID
      ? { MessagingServiceSid: config.fromMessagingServiceSID }
      : { From: config.from ?? '' }),
    Body: text,
    RiskCheck: config.disableRiskCheck ? 'disable' : 'enable',
  });
  return {
    method: 'POST',
    url: `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSID)}/Messages.json`,
    headers: {
      authorization: `Basic ${Buffer.from(`${config.accountSID}:${config.authToken}`, 'utf8').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      accept: 'application/json',
    },
    body: form.toString(),
  };
};

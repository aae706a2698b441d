import { parsePhone } from '@sms-suite/sms-kit';

import type { TwilioConfig } from './provider';
import { buildTwilioRequest } from './request';

const config: TwilioConfig = {
  accountSID: 'AC0123456789abcdef0123456789abcdef',
  authToken: 'auth-token-value',
  fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
};

const basic = `Basic ${Buffer.from('AC0123456789abcdef0123456789abcdef:auth-token-value').toString('base64')}`;

describe('buildTwilioRequest', () => {
  it('posts the form to the Messages resource of the account, with Basic auth', () => {
    const request = buildTwilioRequest({ phone: parsePhone('16502530000'), text: 'Your code is 123456' }, config);
    expect(request).toEqual({
      method: 'POST',
      url: 'https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json',
      headers: {
        authorization: basic,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        accept: 'application/json',
      },
      body: 'To=%2B16502530000&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&Body=Your+code+is+123456&RiskCheck=enable',
    });
  });

  it('sends From instead of a Messaging Service, and disables the risk check only when asked', () => {
    const request = buildTwilioRequest(
      { phone: parsePhone('+44 7911 123456'), text: 'Votre code : 1 & 2' },
      { ...config, fromMessagingServiceSID: undefined, from: 'Acme Inc', disableRiskCheck: true }
    );
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: '+447911123456',
      From: 'Acme Inc',
      Body: 'Votre code : 1 & 2',
      RiskCheck: 'disable',
    });
  });

  it.each([
    ['https://api.dublin.ie1.twilio.com', 'https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/'],
    ['https://api.sydney.au1.twilio.com/', 'https://api.sydney.au1.twilio.com/2010-04-01/Accounts/'],
    ['http://127.0.0.1:4010/twilio', 'http://127.0.0.1:4010/twilio/2010-04-01/Accounts/'],
  ])('uses the regional endpoint %s', (endpoint, prefix) => {
    const { url } = buildTwilioRequest({ phone: parsePhone('16502530000'), text: 'x' }, { ...config, endpoint });
    expect(url).toBe(`${prefix}AC0123456789abcdef0123456789abcdef/Messages.json`);
  });
});

import { logtoResponseFor, parseConfig, providerConfigGuard } from '@sms-suite/sms-kit';
import { configRejection } from '@sms-suite/sms-kit/testing';

import { twilio } from './provider';

const twilioConfigGuard = providerConfigGuard(twilio);

const base = {
  accountSID: 'AC0123456789abcdef0123456789abcdef',
  authToken: 'auth-token-value',
  fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
  templates: [{ usageType: 'Generic', content: 'Code {{code}}' }],
};

const toastFor = (config: unknown) => logtoResponseFor(configRejection(twilioConfigGuard, config)).toast;

describe('twilioConfigGuard', () => {
  it('accepts a config saved by the console, with switches and numbers stripped', () => {
    expect(parseConfig(twilioConfigGuard, base)).toEqual(base);
  });

  it('accepts every new optional field', () => {
    const config = {
      ...base,
      fromMessagingServiceSID: undefined,
      from: 'AcmeInc',
      endpoint: 'https://api.dublin.ie1.twilio.com',
      disableRiskCheck: true,
      timeout: 5000,
      defaultRegion: 'gb',
      templates: [{ usageType: 'SignIn', locale: 'fr', content: 'Code {{code}}' }, ...base.templates],
    };
    expect(parseConfig(twilioConfigGuard, config)).toMatchObject({
      from: 'AcmeInc',
      defaultRegion: 'GB',
      timeout: 5000,
    });
  });

  it.each(['+15017122661', '12345', 'AcmeInc', 'Acme Inc 24', 'A'])('accepts the sender %j', (from) => {
    expect(parseConfig(twilioConfigGuard, { ...base, fromMessagingServiceSID: undefined, from }).from).toBe(from);
  });

  it.each([
    [{ ...base, accountSID: undefined }, 'Error in key path "accountSID": (invalid_type) Required'],
    [
      { ...base, authToken: '' },
      'Error in key path "authToken": (too_small) authToken is the Auth Token shown next to the Account SID',
    ],
    [
      { ...base, templates: [] },
      'Error in key path "templates": (too_small) templates needs at least a "Generic" template',
    ],
    [
      { ...base, templates: [{ usageType: 'SignIn' }] },
      'Error in key path "templates.0.content": (invalid_type) Required',
    ],
    [
      { ...base, fromMessagingServiceSID: undefined },
      'Error in key path "fromMessagingServiceSID": (custom) set exactly one sender: fromMessagingServiceSID (MG…) or from (number or sender ID)',
    ],
    [
      { ...base, from: '+15017122661' },
      'Error in key path "from": (custom) set exactly one sender: fromMessagingServiceSID (MG…) or from (number or sender ID)',
    ],
    [
      { ...base, fromMessagingServiceSID: undefined, from: 'Acme Incorporated' },
      'Error in key path "from": (invalid_string) from must be a Twilio number in E.164 (+15017122661), a short code, or an alphanumeric sender ID of at most 11 letters, digits and spaces',
    ],
    [
      { ...base, endpoint: 'http://api.twilio.com' },
      'Error in key path "endpoint": (custom) endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost)',
    ],
    [
      { ...base, disableRiskCheck: 'yes' },
      'Error in key path "disableRiskCheck": (invalid_type) Expected boolean, received string',
    ],
  ])('rejects %j with a line naming the key', (config, line) => {
    expect(toastFor(config)).toBe(`The connector's config is invalid.\n${line}`);
  });
});

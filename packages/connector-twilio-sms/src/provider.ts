import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { defineProvider, endpointGuard, type ProviderConfig } from '@sms-suite/sms-kit';
import { z } from 'zod';

import { readTwilioReply } from './reply';
import { buildTwilioRequest } from './request';

export const defaultEndpoint = 'https://api.twilio.com';

// A Twilio number (E.164), a short code, or an alphanumeric sender ID (≤ 11 characters, one letter at least).
const senderPattern = /^(\+[1-9]\d{6,14}|\d{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;

const twilioFields = {
  accountSID: z.string().trim().min(1, 'accountSID is your Twilio Account SID (AC…)'),
  authToken: z.string().trim().min(1, 'authToken is the Auth Token shown next to the Account SID'),
  fromMessagingServiceSID: z.string().trim().min(1).optional(),
  from: z
    .string()
    .trim()
    .regex(
      senderPattern,
      'from must be a Twilio number in E.164 (+15017122661), a short code, or an alphanumeric sender ID of at most 11 letters, digits and spaces'
    )
    .optional(),
  disableRiskCheck: z.boolean().optional(),
  endpoint: endpointGuard().optional(),
};

export type TwilioConfig = ProviderConfig<typeof twilioFields>;

export const twilio = defineProvider({
  name: 'Twilio',
  fields: twilioFields,
  refine: (config, context) => {
    if (Boolean(config.fromMessagingServiceSID) === Boolean(config.from)) {
      context.addIssue({
        code: 'custom',
        path: [config.from ? 'from' : 'fromMessagingServiceSID'],
        message: 'set exactly one sender: fromMessagingServiceSID (MG…) or from (number or sender ID)',
      });
    }
  },
  templates: { kind: 'text' },
  secretKeys: ['authToken'],
  formItems: [
    {
      key: 'accountSID',
      label: 'Account SID',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    },
    {
      key: 'authToken',
      label: 'Auth Token',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: '<auth-token>',
    },
    {
      key: 'fromMessagingServiceSID',
      label: 'Messaging Service SID',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'MGxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      description: 'Send through a Messaging Service. Leave empty when you set "From" instead.',
    },
    {
      key: 'from',
      label: 'From',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '+15017122661 or AcmeInc',
      description:
        'A Twilio number, short code or alphanumeric sender ID (at most 11 characters). Leave empty when you use a Messaging Service.',
    },
    {
      key: 'endpoint',
      label: 'API endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: defaultEndpoint,
      description: 'For Twilio Regions, e.g. https://api.dublin.ie1.twilio.com (needs credentials of that region).',
    },
    {
      key: 'disableRiskCheck',
      label: 'Disable risk check',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      description:
        "Turns off Twilio's SMS-pumping protection for these messages. Leave off unless Twilio support asks.",
    },
  ],
  buildRequest: (message, config) => buildTwilioRequest(message, config),
  readReply: (reply, { config }) =>
    readTwilioReply(reply, { usesMessagingService: Boolean(config.fromMessagingServiceSID) }),
});

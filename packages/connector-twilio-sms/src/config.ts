import { ConnectorConfigFormItemType, type ConnectorConfigFormItem } from '@logto/connector-kit';
import {
  defaultRegionFormItem,
  defaultRegionGuard,
  defaultTemplateTexts,
  endpointGuard,
  templateBaseShape,
  templatesFormItem,
  templatesGuard,
  timeoutFormItem,
  timeoutGuard,
} from '@sms-suite/sms-kit';
import { z } from 'zod';

export const defaultEndpoint = 'https://api.twilio.com';

/** Config keys whose values are secrets: never in an error, a log line or CLI output. */
export const secretKeys = ['authToken'] as const;

// A Twilio number (E.164), a short code, or an alphanumeric sender ID (≤ 11 characters, one letter at least).
const senderPattern = /^(\+[1-9]\d{6,14}|\d{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;

const templateGuard = z.object({
  ...templateBaseShape,
  content: z.string().min(1, 'content must be the message text, e.g. "Your code is {{code}}"'),
});

export const twilioConfigGuard = z
  .object({
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
    templates: templatesGuard(templateGuard),
    timeout: timeoutGuard,
    defaultRegion: defaultRegionGuard,
  })
  .superRefine((config, context) => {
    if (Boolean(config.fromMessagingServiceSID) === Boolean(config.from)) {
      context.addIssue({
        code: 'custom',
        path: [config.from ? 'from' : 'fromMessagingServiceSID'],
        message: 'set exactly one sender: fromMessagingServiceSID (MG…) or from (number or sender ID)',
      });
    }
  });

export type TwilioConfig = z.infer<typeof twilioConfigGuard>;

export const twilioFormItems: ConnectorConfigFormItem[] = [
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
    description: "Turns off Twilio's SMS-pumping protection for these messages. Leave off unless Twilio support asks.",
  },
  templatesFormItem((usageType) => ({ usageType, content: defaultTemplateTexts[usageType] })),
  timeoutFormItem,
  defaultRegionFormItem,
];

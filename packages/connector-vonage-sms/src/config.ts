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

/** The SMS API host; messages go to `{endpoint}/sms/json`. */
export const defaultEndpoint = 'https://rest.nexmo.com';

/** Config keys whose values are secrets: never in an error, a log line or CLI output. */
export const secretKeys = ['apiKey', 'apiSecret'] as const;

// Vonage: an alphanumeric sender ID of at most 11 characters, or a number of at most 15 digits.
// Emptiness is reported by min(1) alone.
const senderPattern = /^(\+?\d{0,15}|[^\r\n]{0,11})$/u;

const templateGuard = z.object({
  ...templateBaseShape,
  content: z.string().min(1, 'content must be the message text, e.g. "Your code is {{code}}"'),
});

export const vonageConfigGuard = z.object({
  apiKey: z.string().trim().min(1, 'apiKey is the API key shown at the top of the Vonage API Dashboard'),
  apiSecret: z.string().trim().min(1, 'apiSecret is the API secret shown next to the API key'),
  brandName: z
    .string()
    .trim()
    .min(1, 'brandName is the sender: a name such as "ExampleCo" or a Vonage number')
    .regex(senderPattern, 'brandName must be a name of at most 11 characters or a number of at most 15 digits'),
  endpoint: endpointGuard().optional(),
  templates: templatesGuard(templateGuard),
  timeout: timeoutGuard,
  defaultRegion: defaultRegionGuard,
});

export type VonageConfig = z.infer<typeof vonageConfigGuard>;

export const vonageFormItems: ConnectorConfigFormItem[] = [
  { key: 'apiKey', label: 'API key', type: ConnectorConfigFormItemType.Text, required: true, placeholder: '<api-key>' },
  {
    key: 'apiSecret',
    label: 'API secret',
    type: ConnectorConfigFormItemType.Text,
    required: true,
    isConfidential: true,
    placeholder: '<api-secret>',
  },
  {
    key: 'brandName',
    label: 'Brand name (sender)',
    type: ConnectorConfigFormItemType.Text,
    required: true,
    placeholder: 'ExampleCo',
    description:
      'The "from" of the message: a sender ID of at most 11 characters, or a Vonage number (needed in countries that do not allow sender IDs, e.g. the US).',
  },
  {
    key: 'endpoint',
    label: 'API endpoint',
    type: ConnectorConfigFormItemType.Text,
    required: false,
    placeholder: defaultEndpoint,
    description: `Base URL of the Vonage SMS API; messages go to {endpoint}/sms/json. Default ${defaultEndpoint}.`,
  },
  templatesFormItem((usageType) => ({ usageType, content: defaultTemplateTexts[usageType] })),
  timeoutFormItem,
  defaultRegionFormItem,
];

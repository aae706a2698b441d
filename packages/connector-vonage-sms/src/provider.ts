import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { defineProvider, endpointGuard, type ProviderConfig } from '@sms-suite/sms-kit';
import { z } from 'zod';

import { readVonageReply } from './reply';
import { buildVonageRequest } from './request';

/** The SMS API host; messages go to `{endpoint}/sms/json`. */
export const defaultEndpoint = 'https://rest.nexmo.com';

// Vonage: an alphanumeric sender ID of at most 11 characters, or a number of at most 15 digits.
// Emptiness is reported by min(1) alone.
const senderPattern = /^(\+?\d{0,15}|[^\r\n]{0,11})$/u;

const vonageFields = {
  apiKey: z.string().trim().min(1, 'apiKey is the API key shown at the top of the Vonage API Dashboard'),
  apiSecret: z.string().trim().min(1, 'apiSecret is the API secret shown next to the API key'),
  brandName: z
    .string()
    .trim()
    .min(1, 'brandName is the sender: a name such as "ExampleCo" or a Vonage number')
    .regex(senderPattern, 'brandName must be a name of at most 11 characters or a number of at most 15 digits'),
  endpoint: endpointGuard().optional(),
};

export type VonageConfig = ProviderConfig<typeof vonageFields>;

export const vonage = defineProvider({
  name: 'Vonage',
  fields: vonageFields,
  templates: { kind: 'text' },
  secretKeys: ['apiKey', 'apiSecret'],
  formItems: [
    {
      key: 'apiKey',
      label: 'API key',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: '<api-key>',
    },
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
  ],
  buildRequest: (message, config) => buildVonageRequest(message, config),
  readReply: (reply) => readVonageReply(reply),
});

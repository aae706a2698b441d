import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { defineProvider, endpointGuard, type ProviderConfig } from '@sms-suite/sms-kit';
import { z } from 'zod';

import { readGatewayApiReply } from './reply';
import { buildGatewayApiRequest } from './request';

/** The global platform; `endpoint` is the full URL the message is POSTed to. */
export const defaultEndpoint = 'https://gatewayapi.com/rest/mtsms';
/** The EU-hosted platform (gatewayapi.eu): separate accounts and tokens. */
export const euEndpoint = 'https://gatewayapi.eu/rest/mtsms';

// GatewayAPI: up to 11 characters (a sender name), or up to 15 digits (a phone number). Emptiness is
// reported by min(1) alone.
const senderPattern = /^(\+?\d{0,15}|[^\r\n]{0,11})$/u;

const gatewayApiFields = {
  endpoint: endpointGuard().optional(),
  apiToken: z.string().trim().min(1, 'apiToken is the API token from "API keys" in the GatewayAPI dashboard'),
  sender: z
    .string()
    .trim()
    .min(1, 'sender is the name or number the message comes from, e.g. "ExampleCo"')
    .regex(senderPattern, 'sender must be a name of at most 11 characters or a number of at most 15 digits'),
};

export type GatewayApiConfig = ProviderConfig<typeof gatewayApiFields>;

export const gatewayApi = defineProvider({
  name: 'GatewayAPI',
  fields: gatewayApiFields,
  templates: { kind: 'text' },
  secretKeys: ['apiToken'],
  formItems: [
    {
      key: 'endpoint',
      label: 'API endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: defaultEndpoint,
      description: `The full send URL. Default ${defaultEndpoint}; accounts on the EU platform use ${euEndpoint}.`,
    },
    {
      key: 'apiToken',
      label: 'API token',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: '<api-token>',
      description:
        'From the "API keys" page of the GatewayAPI dashboard: the token of a key (not the key or its secret).',
    },
    {
      key: 'sender',
      label: 'Sender',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'ExampleCo',
      description: 'Shown as the sender: a name of at most 11 characters, or a number of at most 15 digits.',
    },
  ],
  buildRequest: (message, config) => buildGatewayApiRequest(message, config),
  readReply: (reply) => readGatewayApiReply(reply),
});

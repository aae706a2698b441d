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

/** The global platform; `endpoint` is the full URL the message is POSTed to. */
export const defaultEndpoint = 'https://gatewayapi.com/rest/mtsms';
/** The EU-hosted platform (gatewayapi.eu): separate accounts and tokens. */
export const euEndpoint = 'https://gatewayapi.eu/rest/mtsms';

/** Config keys whose values are secrets: never in an error, a log line or CLI output. */
export const secretKeys = ['apiToken'] as const;

// GatewayAPI: up to 11 characters (a sender name), or up to 15 digits (a phone number). Emptiness is
// reported by min(1) alone.
const senderPattern = /^(\+?\d{0,15}|[^\r\n]{0,11})$/u;

const templateGuard = z.object({
  ...templateBaseShape,
  content: z.string().min(1, 'content must be the message text, e.g. "Your code is {{code}}"'),
});

export const gatewayApiConfigGuard = z.object({
  endpoint: endpointGuard().optional(),
  apiToken: z.string().trim().min(1, 'apiToken is the API token from "API keys" in the GatewayAPI dashboard'),
  sender: z
    .string()
    .trim()
    .min(1, 'sender is the name or number the message comes from, e.g. "ExampleCo"')
    .regex(senderPattern, 'sender must be a name of at most 11 characters or a number of at most 15 digits'),
  templates: templatesGuard(templateGuard),
  timeout: timeoutGuard,
  defaultRegion: defaultRegionGuard,
});

export type GatewayApiConfig = z.infer<typeof gatewayApiConfigGuard>;

export const gatewayApiFormItems: ConnectorConfigFormItem[] = [
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
  templatesFormItem((usageType) => ({ usageType, content: defaultTemplateTexts[usageType] })),
  timeoutFormItem,
  defaultRegionFormItem,
];

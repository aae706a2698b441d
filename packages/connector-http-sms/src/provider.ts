import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { authorizationSecrets, defineProvider, endpointGuard, type ProviderConfig } from '@sms-suite/sms-kit';
import { z } from 'zod';

import { readHttpSmsReply } from './reply';
import { buildHttpSmsRequest } from './request';
import { isWebhookSecret, webhookSecretPrefix } from './webhook';

/**
 * Header names the connector or the HTTP client owns. `host`, `content-length` and the hop-by-hop
 * headers would break the request (or smuggle a second one); the `webhook-*` trio is the signature.
 */
export const reservedHeaders: Readonly<Record<string, string>> = {
  host: 'is taken from "endpoint"',
  'content-length': 'is computed from the body',
  'transfer-encoding': 'is chosen by the HTTP client',
  connection: 'is a hop-by-hop header managed by the HTTP client',
  'keep-alive': 'is a hop-by-hop header managed by the HTTP client',
  'proxy-connection': 'is a hop-by-hop header managed by the HTTP client',
  upgrade: 'is a hop-by-hop header managed by the HTTP client',
  te: 'is a hop-by-hop header managed by the HTTP client',
  trailer: 'is a hop-by-hop header managed by the HTTP client',
  expect: 'is managed by the HTTP client',
  'webhook-id': 'is set by the connector when "signingSecret" is configured',
  'webhook-timestamp': 'is set by the connector when "signingSecret" is configured',
  'webhook-signature': 'is set by the connector when "signingSecret" is configured',
};

// RFC 9110 token characters.
const headerNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// One line of visible ASCII or Latin-1 text, spaces and tabs: what an HTTP client can send as is.
const headerValuePattern = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;
// The body is always JSON: `application/json`, or a JSON-based type such as `application/vnd.acme+json`.
const jsonMediaTypePattern = /^application\/([\w.-]+\+)?json\s*(;.*)?$/i;

const headerValueGuard = z
  .preprocess(
    (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
    z.string({ invalid_type_error: 'header values must be strings' })
  )
  .refine(
    (value) => headerValuePattern.test(value),
    'header values must be one line of plain text (no line breaks, no characters outside Latin-1)'
  );

const headersGuard = z
  .record(z.string(), headerValueGuard, {
    invalid_type_error: 'headers must be a JSON object such as {"X-Api-Key": "…"}',
  })
  .superRefine((headers, context) => {
    const seen = new Set<string>();
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      const issue = (message: string) => {
        context.addIssue({ code: 'custom', path: [name], message });
      };
      if (!headerNamePattern.test(name)) {
        issue(`"${name}" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
      } else if (seen.has(lower)) {
        issue(`"${name}" appears twice (header names are case-insensitive)`);
      } else if (reservedHeaders[lower]) {
        issue(`"${name}" cannot be set: it ${reservedHeaders[lower]}`);
      } else if (lower === 'content-type' && !jsonMediaTypePattern.test(value.trim())) {
        issue(`"${name}" must be a JSON media type such as "application/json; charset=utf-8": the body is always JSON`);
      }
      seen.add(lower);
    }
  });

const httpSmsFields = {
  endpoint: endpointGuard({ allowHttp: true }),
  authorization: z
    .string()
    .refine(
      (value) => headerValuePattern.test(value),
      'authorization must be one line of plain text, e.g. "Bearer <token>"'
    )
    .optional(),
  headers: headersGuard.optional(),
  signingSecret: z
    .string()
    .trim()
    .refine(
      isWebhookSecret,
      'signingSecret must be "whsec_" followed by a base64 key of at least 16 bytes; generate one with `openssl rand -base64 32` and prefix it with whsec_'
    )
    .optional(),
};

export type HttpSmsConfig = ProviderConfig<typeof httpSmsFields>;

export const httpSms = defineProvider({
  name: 'HTTP SMS gateway',
  fields: httpSmsFields,
  refine: (config, context) => {
    const authorizationHeader = Object.keys(config.headers ?? {}).find(
      (name) => name.toLowerCase() === 'authorization'
    );
    if (config.authorization && authorizationHeader) {
      context.addIssue({
        code: 'custom',
        path: ['headers', authorizationHeader],
        message: 'Authorization is set twice: keep either "authorization" or the header in "headers"',
      });
    }
  },
  templates: {
    kind: 'optionalText',
    description:
      'Optional. When set, the body carries "message": the template for the type and locale, rendered. One entry per usage type, "locale" (e.g. "fr") for localized variants; a "Generic" template without locale is required.',
  },
  // Never in an error, a log line or CLI output; `headers`: every value.
  secretKeys: ['authorization', 'headers', 'signingSecret'],
  // The credential inside an Authorization value (`Bearer <token>` → `<token>` too), given in
  // `authorization` or in `headers`, and the bare key of the signing secret.
  derivedSecrets: (config) => [
    ...authorizationSecrets({
      ...config.headers,
      ...(config.authorization && { authorization: config.authorization }),
    }),
    ...(config.signingSecret ? [config.signingSecret.slice(webhookSecretPrefix.length)] : []),
  ],
  formItems: [
    {
      key: 'endpoint',
      label: 'Endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'https://sms-gateway.example.com/send',
      description:
        'The URL Logto POSTs each message to, as JSON. http:// is accepted for gateways on a private network.',
    },
    {
      key: 'authorization',
      label: 'Authorization header',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      isConfidential: true,
      placeholder: 'Bearer <your-token>',
      description: 'Sent as the Authorization header, unchanged.',
    },
    {
      key: 'headers',
      label: 'Extra headers',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      placeholder: '{"X-Api-Key": "<key>"}',
      description:
        'More request headers as a JSON object. Values are treated as secrets. Host, Content-Length and the webhook-* headers cannot be set.',
    },
    {
      key: 'signingSecret',
      label: 'Signing secret',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      isConfidential: true,
      placeholder: 'whsec_<base64 key>',
      description:
        'When set, every request is signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) so the gateway can verify it.',
    },
  ],
  buildRequest: (message, config) => buildHttpSmsRequest(message, config),
  readReply: (reply, { config }) => readHttpSmsReply(reply, config),
});

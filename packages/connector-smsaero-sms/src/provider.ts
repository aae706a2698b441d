import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { defineProvider, endpointGuard, type ProviderConfig } from '@sms-suite/sms-kit';
import { z } from 'zod';

import { readSmsAeroReply } from './reply';
import { buildSmsAeroRequest } from './request';

/** API v2 base; `gate.smsaero.org/v2` and `gate.smsaero.net/v2` are SMSAero's backup hosts. */
export const defaultEndpoint = 'https://gate.smsaero.ru/v2';

// Loose on purpose: SMSAero checks the login itself, and the documented example
// (`<your-account-email@example.com>`) must still validate.
const emailPattern = /^[^\s@]+@[^\s@]+$/;

const smsAeroFields = {
  email: z
    .string()
    .trim()
    .regex(emailPattern, 'email must be the email address you sign in to SMSAero with (your API login)'),
  apiKey: z.string().trim().min(1, 'apiKey is the API key from "Settings → API and SMPP" in your SMSAero account'),
  senderName: z
    .string()
    .trim()
    .min(1, 'senderName must be a sender name approved in your SMSAero account, e.g. "SMS Aero"'),
  // The kit's endpointGuard runs `new URL()` even after its own url check failed (a TypeError for
  // `gate.smsaero.ru/v2`); checking the URL first and piping keeps that from escaping as a crash.
  endpoint: z
    .string()
    .trim()
    .url('endpoint must be an absolute URL such as https://gate.smsaero.ru/v2')
    .pipe(endpointGuard())
    .refine(
      (value) => !/\/sms\/send\/*$/i.test(value),
      'endpoint is the API base such as https://gate.smsaero.ru/v2, without /sms/send'
    )
    .optional(),
};

export type SmsAeroConfig = ProviderConfig<typeof smsAeroFields>;

export const smsAero = defineProvider({
  name: 'SMSAero',
  fields: smsAeroFields,
  templates: { kind: 'text' },
  secretKeys: ['apiKey'],
  formItems: [
    {
      key: 'email',
      label: 'Email',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'you@example.com',
      description: 'The email address of your SMSAero account: it is the API login.',
    },
    {
      key: 'apiKey',
      label: 'API key',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: '<api-key>',
      description: 'From "Settings → API and SMPP" in your SMSAero account.',
    },
    {
      key: 'senderName',
      label: 'Sender name',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'SMS Aero',
      description: 'A sender name approved in your SMSAero account, or SMSAero\'s default sender name "SMS Aero".',
    },
    {
      key: 'endpoint',
      label: 'API endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: defaultEndpoint,
      description:
        'The API v2 base URL. Use https://gate.smsaero.org/v2 or https://gate.smsaero.net/v2 if the main host is unreachable from your server.',
    },
  ],
  buildRequest: (message, config) => buildSmsAeroRequest(message, config),
  readReply: (reply) => readSmsAeroReply(reply),
});

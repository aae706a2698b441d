import { randomUUID } from 'node:crypto';

import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { defineProvider, endpointGuard, type ProviderConfig } from '@sms-suite/sms-kit';
import { z } from 'zod';

import { readAliyunReply } from './reply';
import { buildAliyunRequest } from './request';

/** Mainland-China site. Accounts of the international site use `internationalEndpoint`. */
export const defaultEndpoint = 'https://dysmsapi.aliyuncs.com';
export const internationalEndpoint = 'https://dysmsapi.ap-southeast-1.aliyuncs.com';

/** Placeholder the console pre-fills for every template type; Aliyun codes look like `SMS_154950909`. */
export const placeholderTemplateCode = 'SMS_000000';

const templateCodeShapes =
  'templateCode must be a template code such as "SMS_154950909", or { "china": "SMS_…", "overseas": "SMS_…" } for separate mainland and international templates';

/** One template code; `key` is `templateCode`, `china` or `overseas` (the kit's `ChinaOverseas`). */
const templateCodeValue = (key: string) =>
  key === 'templateCode'
    ? z
        .string({ required_error: templateCodeShapes, invalid_type_error: templateCodeShapes })
        .trim()
        .min(1, 'a template code must not be empty (e.g. "SMS_154950909")')
    : z
        .string({ invalid_type_error: 'a template code is text such as "SMS_154950909"' })
        .trim()
        .min(1, 'a template code must not be empty (e.g. "SMS_154950909")');

const aliyunFields = {
  accessKeyId: z.string().trim().min(1, 'accessKeyId is the AccessKey ID of a RAM user allowed to send SMS (LTAI…)'),
  accessKeySecret: z
    .string()
    .trim()
    .min(1, 'accessKeySecret is the AccessKey secret shown once when the AccessKey was created'),
  signName: z
    .string()
    .trim()
    .min(1, 'signName is an approved SMS signature, exactly as shown in the Aliyun SMS console (without 【】)'),
  endpoint: endpointGuard().optional(),
  /** Official connector switch for its regex-based routing. Accepted so saved configs keep validating; routing now follows the parsed country. */
  strictPhoneRegionNumberCheck: z.boolean().optional(),
};

export type AliyunConfig = ProviderConfig<typeof aliyunFields>;

export const aliyun = defineProvider({
  name: 'Aliyun',
  fields: aliyunFields,
  templates: {
    kind: 'code',
    code: templateCodeValue,
    noun: 'code',
    placeholder: placeholderTemplateCode,
    description:
      'One entry per usage type, with the code of an approved template whose only variable is ${code}. Use { "china": "SMS_…", "overseas": "SMS_…" } when mainland and international numbers need different templates; add "locale" (e.g. "en") for localized variants. Types without a template use "Generic".',
    extraFields: {
      /** Aliyun's template kind (0 notification, 1 promotion, 2 verification code, …) of the official connector: accepted, not needed. */
      type: z.coerce.number().int().min(0).optional(),
    },
  },
  /**
   * The AccessKey ID is not a password, but together with a leaked secret it is the whole
   * credential: keep both out of errors, log lines and CLI output.
   */
  secretKeys: ['accessKeyId', 'accessKeySecret'],
  /**
   * Numbers typed without a country code are read as mainland numbers. Logto always sends the country
   * code (`16502530000` stays a US number): this only helps numbers typed by hand, e.g. in the console.
   */
  defaultRegion: 'CN',
  formItems: [
    {
      key: 'accessKeyId',
      label: 'AccessKey ID',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'LTAI5t…',
      description: 'AccessKey of a RAM user with the AliyunDysmsFullAccess policy (or permission for dysms:SendSms).',
    },
    {
      key: 'accessKeySecret',
      label: 'AccessKey Secret',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: '<access-key-secret>',
    },
    {
      key: 'signName',
      label: 'Signature name (签名)',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'Acme',
      description: 'An approved signature, exactly as shown in the SMS console, without the 【】 brackets.',
    },
    {
      key: 'endpoint',
      label: 'API endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: defaultEndpoint,
      description: `Default ${defaultEndpoint} (China site). Accounts of the international site (alibabacloud.com) use ${internationalEndpoint}.`,
    },
  ],
  buildRequest: (message, config) => buildAliyunRequest(message, config, { nonce: randomUUID(), now: new Date() }),
  readReply: (reply) => readAliyunReply(reply),
});

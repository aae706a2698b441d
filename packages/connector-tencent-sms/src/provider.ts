import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { defineProvider, endpointGuard, isMainlandChina, type ProviderConfig } from '@sms-suite/sms-kit';
import { z } from 'zod';

import { readTencentReply } from './reply';
import { buildTencentRequest } from './request';

export const defaultEndpoint = 'https://sms.tencentcloudapi.com';

/**
 * The regions the SMS API serves (the `X-TC-Region` header, not the access point in `endpoint`):
 * the three mainland regions of Tencent Cloud's SMS documentation, and Singapore, the international
 * site's region.
 */
export const tencentSmsRegions = ['ap-guangzhou', 'ap-beijing', 'ap-nanjing', 'ap-singapore'] as const;
export type TencentSmsRegion = (typeof tencentSmsRegions)[number];

const regionNames: Record<TencentSmsRegion, string> = {
  'ap-guangzhou': 'South China (Guangzhou) 华南地区(广州)',
  'ap-beijing': 'North China (Beijing) 华北地区(北京)',
  'ap-nanjing': 'East China (Nanjing) 华东地区(南京)',
  'ap-singapore': 'Singapore 亚太东南(新加坡), international site',
};

/** What the console pre-fills where a template ID goes; the guard reports it as not an ID. */
const placeholderTemplateId = '<template-id>';

// IDs are digit strings; a number pasted into the JSON editor (`"templateCode": 1000001`) is accepted as its digits.
const digitsOf = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);

const templateId = (name: string, typeMessage = `${name} must be a template ID such as "1000001"`) =>
  z.preprocess(
    digitsOf,
    z
      .string({ required_error: `${name} is required`, invalid_type_error: typeMessage })
      .trim()
      .regex(/^\d+$/, `${name} must be the numeric template ID shown in the Tencent SMS console, e.g. "1000001"`)
  );

/** One template ID; `key` is `templateCode`, `china` or `overseas` (the kit's `ChinaOverseas`), as in the Aliyun connector. */
const templateCodeValue = (key: string) =>
  key === 'templateCode'
    ? templateId(
        'templateCode',
        'templateCode must be a template ID such as "1000001", or { "china": "1000001", "overseas": "2000001" }'
      )
    : templateId(key);

const regionGuard = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.enum(tencentSmsRegions, {
    errorMap: () => ({
      message: `region must be one of ${tencentSmsRegions.join(', ')} (the SMS region of your application, e.g. ap-guangzhou)`,
    }),
  })
);

// Every call is `POST {endpoint}/` and signs the path "/": Tencent's own hosts take no path; a path is
// kept for a proxy or the local sandbox that maps it to "/". Query strings have no place here (credentials
// are refused by the kit's endpointGuard).
const tencentEndpointGuard = endpointGuard().refine((value) => {
  if (!URL.canParse(value)) {
    return true; // reported by endpointGuard
  }
  const url = new URL(value);
  return !url.search && !url.hash;
}, 'endpoint must be a base URL such as https://sms.tencentcloudapi.com (no query or fragment)');

const optionalText = (message: string) => z.string().trim().min(1, message).optional();

const tencentFields = {
  accessKeyId: z
    .string({ required_error: 'accessKeyId is required: the SecretId of an API key (AKID…)' })
    .trim()
    .min(1, 'accessKeyId is the SecretId of an API key (AKID…)'),
  accessKeySecret: z
    .string({ required_error: 'accessKeySecret is required: the SecretKey shown next to the SecretId' })
    .trim()
    .min(1, 'accessKeySecret is the SecretKey shown next to the SecretId'),
  signName: optionalText('signName is the approved signature content (签名内容) for mainland China messages'),
  overseasSignName: optionalText('overseasSignName is the approved signature content for international messages'),
  sdkAppId: z.preprocess(
    digitsOf,
    z
      .string({ required_error: 'sdkAppId is required: the SDK AppID of your SMS application, e.g. 1400000000' })
      .trim()
      .regex(/^\d+$/, 'sdkAppId must be the SDK AppID of your SMS application (digits, e.g. 1400000000)')
  ),
  region: regionGuard,
  endpoint: tencentEndpointGuard.optional(),
};

export type TencentConfig = ProviderConfig<typeof tencentFields>;

export const tencent = defineProvider({
  name: 'Tencent',
  fields: tencentFields,
  templates: {
    kind: 'code',
    code: templateCodeValue,
    noun: 'ID',
    placeholder: placeholderTemplateId,
    description:
      'Template IDs per usage type; { "china": "…", "overseas": "…" } serves +86 and other numbers with different templates. Each template has exactly one variable, {1}, the code. Types without a template use "Generic"; add "locale" (e.g. "en") for localized variants.',
    // Tencent reviews every template: most applications have one verification template, used for every type.
    defaultValue: [{ usageType: 'Generic', templateCode: placeholderTemplateId }],
  },
  secretKeys: ['accessKeySecret'],
  /**
   * Numbers typed without a country code are read as mainland China numbers (Logto itself always
   * sends the country code, and `16502530000` is still read as +1 650 253 0000 first).
   */
  defaultRegion: 'CN',
  formItems: [
    {
      key: 'accessKeyId',
      label: 'SecretId',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'AKIDxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      description: 'From Cloud Access Management → API keys. A sub-user key with only the SMS permission is best.',
    },
    {
      key: 'accessKeySecret',
      label: 'SecretKey',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: '<secret-key>',
    },
    {
      key: 'sdkAppId',
      label: 'SDK AppID',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: '1400000000',
      description: 'SMS console → Application management → Application list.',
    },
    {
      key: 'region',
      label: 'Region',
      type: ConnectorConfigFormItemType.Select,
      required: true,
      defaultValue: 'ap-guangzhou',
      selectItems: tencentSmsRegions.map((value) => ({ value, title: `${value}: ${regionNames[value]}` })),
      description: 'The SMS region (X-TC-Region). ap-guangzhou unless Tencent tells you otherwise.',
    },
    {
      key: 'signName',
      label: 'Signature (mainland China)',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '腾讯云',
      description: 'The approved signature content (not its ID), required for +86 numbers.',
    },
    {
      key: 'overseasSignName',
      label: 'Signature (international)',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'Acme',
      description:
        'Only if you have an approved international signature; international messages carry no signature otherwise.',
    },
    {
      key: 'endpoint',
      label: 'API endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: defaultEndpoint,
      description:
        'e.g. https://sms.ap-guangzhou.tencentcloudapi.com, or https://sms.intl.tencentcloudapi.com for the international site.',
    },
  ],
  buildRequest: (message, config) => buildTencentRequest(message, config, Math.floor(Date.now() / 1000)),
  // A sign problem on a number outside mainland China is about overseasSignName.
  readReply: (reply, { phone }) => readTencentReply(reply, { international: !isMainlandChina(phone) }),
});

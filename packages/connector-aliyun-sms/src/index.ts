import { randomUUID } from 'node:crypto';

import { buildMetadata, defineSmsConnector, secretsOf, selectTemplate } from '@sms-suite/sms-kit';

import { aliyunConfigGuard, aliyunFormItems, defaultRegion, secretKeys } from './config';
import { mapAliyunReply } from './reply';
import { buildAliyunRequest } from './request';

export const metadata = buildMetadata({
  id: 'sms-suite-aliyun',
  target: 'aliyun-sms',
  name: { en: 'Aliyun SMS (SMS Suite)', 'zh-CN': '阿里云短信 (SMS Suite)' },
  description: {
    en: 'Aliyun (Alibaba Cloud) SMS with correct mainland and international routing, the international endpoint, localized templates and readable errors.',
    'zh-CN': '阿里云短信：按号码国家正确选择国内/国际模板，支持国际站接入点、多语言模板与清晰的错误信息。',
  },
  formItems: aliyunFormItems,
});

export default defineSmsConnector({
  provider: 'Aliyun',
  metadata,
  configGuard: aliyunConfigGuard,
  secretsOf: (config) => secretsOf(config, secretKeys),
  defaultRegion,
  prepare: ({ data, phone }, config) => {
    const payload: Record<string, unknown> = data.payload ?? {};
    const locale = typeof payload.locale === 'string' ? payload.locale : undefined;
    const template = selectTemplate(config.templates, data.type, locale);
    return {
      request: buildAliyunRequest({ phone, template, payload }, config, { nonce: randomUUID(), now: new Date() }),
      mapReply: mapAliyunReply,
    };
  },
});

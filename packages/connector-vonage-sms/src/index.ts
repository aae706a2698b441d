import { buildMetadata, defineSmsConnector, render, secretsOf, selectTemplate } from '@sms-suite/sms-kit';

import { secretKeys, vonageConfigGuard, vonageFormItems } from './config';
import { mapVonageReply } from './reply';
import { buildVonageRequest } from './request';

export const metadata = buildMetadata({
  id: 'sms-suite-vonage',
  target: 'vonage-sms',
  name: { en: 'Vonage SMS (SMS Suite)', 'zh-CN': 'Vonage 短信 (SMS Suite)' },
  description: {
    en: "Vonage SMS without the Vonage SDK: Unicode for any language, localized templates and Vonage's own error text.",
    'zh-CN':
      'Vonage 短信：无需 Vonage SDK，自动为中文等字符使用 Unicode 编码，支持多语言模板，并保留 Vonage 的原始错误信息。',
  },
  formItems: vonageFormItems,
});

export default defineSmsConnector({
  provider: 'Vonage',
  metadata,
  configGuard: vonageConfigGuard,
  secretsOf: (config) => secretsOf(config, secretKeys),
  prepare: ({ data, phone }, config) => {
    const template = selectTemplate(config.templates, data.type, data.payload.locale);
    return {
      request: buildVonageRequest({ phone, text: render(template.content, data.payload) }, config),
      mapReply: mapVonageReply,
    };
  },
});

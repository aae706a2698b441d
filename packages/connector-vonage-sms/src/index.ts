import { connectorMetadata, defineSmsConnector } from '@sms-suite/sms-kit';

import { vonage } from './provider';

export { vonage as provider } from './provider';

export const metadata = connectorMetadata(vonage, {
  id: 'sms-suite-vonage',
  target: 'vonage-sms',
  name: { en: 'Vonage SMS (SMS Suite)', 'zh-CN': 'Vonage 短信 (SMS Suite)' },
  description: {
    en: "Vonage SMS without the Vonage SDK: Unicode for any language, localized templates and Vonage's own error text.",
    'zh-CN':
      'Vonage 短信：无需 Vonage SDK，自动为中文等字符使用 Unicode 编码，支持多语言模板，并保留 Vonage 的原始错误信息。',
  },
});

export default defineSmsConnector(vonage, metadata);

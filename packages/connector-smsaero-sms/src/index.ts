import { buildMetadata, defineSmsConnector, render, secretsOf, selectTemplate } from '@sms-suite/sms-kit';

import { secretKeys, smsAeroConfigGuard, smsAeroFormItems } from './config';
import { mapSmsAeroReply } from './reply';
import { buildSmsAeroRequest } from './request';

export const metadata = buildMetadata({
  id: 'sms-suite-smsaero',
  target: 'smsaero-sms',
  name: { en: 'SMSAero SMS (SMS Suite)', 'zh-CN': 'SMSAero 短信 (SMS Suite)' },
  description: {
    en: 'SMSAero SMS with an approved sender name, localized templates, a bounded timeout and readable errors.',
    'zh-CN': 'SMSAero 短信：使用已审核的发件人名称，支持多语言模板、超时控制与清晰的错误信息。',
  },
  formItems: smsAeroFormItems,
});

export default defineSmsConnector({
  provider: 'SMSAero',
  metadata,
  configGuard: smsAeroConfigGuard,
  secretsOf: (config) => secretsOf(config, secretKeys),
  prepare: ({ data, phone }, config) => {
    const template = selectTemplate(config.templates, data.type, data.payload.locale);
    return {
      request: buildSmsAeroRequest({ phone, text: render(template.content, data.payload) }, config),
      mapReply: mapSmsAeroReply,
    };
  },
});

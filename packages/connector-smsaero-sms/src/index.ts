import { connectorMetadata, defineSmsConnector } from '@sms-suite/sms-kit';

import { smsAero } from './provider';

export { smsAero as provider } from './provider';

export const metadata = connectorMetadata(smsAero, {
  id: 'sms-suite-smsaero',
  target: 'smsaero-sms',
  name: { en: 'SMSAero SMS (SMS Suite)', 'zh-CN': 'SMSAero 短信 (SMS Suite)' },
  description: {
    en: 'SMSAero SMS with an approved sender name, localized templates, a bounded timeout and readable errors.',
    'zh-CN': 'SMSAero 短信：使用已审核的发件人名称，支持多语言模板、超时控制与清晰的错误信息。',
  },
});

export default defineSmsConnector(smsAero, metadata);

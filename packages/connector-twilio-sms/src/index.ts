import { connectorMetadata, defineSmsConnector } from '@sms-suite/sms-kit';

import { twilio } from './provider';

export { twilio as provider } from './provider';

export const metadata = connectorMetadata(twilio, {
  id: 'sms-suite-twilio',
  target: 'twilio-sms',
  name: { en: 'Twilio SMS (SMS Suite)', 'zh-CN': 'Twilio 短信 (SMS Suite)' },
  description: {
    en: 'Twilio SMS with a Messaging Service or a sender ID, regional hosts, localized templates and readable errors.',
    'zh-CN': 'Twilio 短信：支持 Messaging Service 或发件人 ID、区域节点、多语言模板与清晰的错误信息。',
  },
});

export default defineSmsConnector(twilio, metadata);

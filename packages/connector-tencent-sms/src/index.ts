import { connectorMetadata, defineSmsConnector } from '@sms-suite/sms-kit';

import { tencent } from './provider';

export { tencent as provider } from './provider';

export const metadata = connectorMetadata(tencent, {
  id: 'sms-suite-tencent',
  target: 'tencent-sms',
  name: { en: 'Tencent Cloud SMS (SMS Suite)', 'zh-CN': '腾讯云短信 (SMS Suite)' },
  description: {
    en: 'Tencent Cloud SMS for mainland China and international numbers in one connector, with Generic fallback, localized templates and readable errors.',
    'zh-CN': '腾讯云短信：一个连接器同时发送国内与国际短信，支持通用模板回退、多语言模板与清晰的错误信息。',
  },
});

export default defineSmsConnector(tencent, metadata);

import { connectorMetadata, defineSmsConnector } from '@sms-suite/sms-kit';

import { aliyun } from './provider';

export { aliyun as provider } from './provider';

export const metadata = connectorMetadata(aliyun, {
  id: 'sms-suite-aliyun',
  target: 'aliyun-sms',
  name: { en: 'Aliyun SMS (SMS Suite)', 'zh-CN': '阿里云短信 (SMS Suite)' },
  description: {
    en: 'Aliyun (Alibaba Cloud) SMS with correct mainland and international routing, the international endpoint, localized templates and readable errors.',
    'zh-CN': '阿里云短信：按号码国家正确选择国内/国际模板，支持国际站接入点、多语言模板与清晰的错误信息。',
  },
});

export default defineSmsConnector(aliyun, metadata);

import { connectorMetadata, defineSmsConnector } from '@sms-suite/sms-kit';

import { gatewayApi } from './provider';

export { gatewayApi as provider } from './provider';

export const metadata = connectorMetadata(gatewayApi, {
  id: 'sms-suite-gatewayapi',
  target: 'gatewayapi-sms',
  name: { en: 'GatewayAPI SMS (SMS Suite)', 'zh-CN': 'GatewayAPI 短信 (SMS Suite)' },
  description: {
    en: 'GatewayAPI SMS on the global or EU platform, with Unicode for any language, localized templates and readable errors.',
    'zh-CN': 'GatewayAPI 短信：支持全球或欧盟平台，自动为中文等字符使用 Unicode 编码，支持多语言模板与清晰的错误信息。',
  },
});

export default defineSmsConnector(gatewayApi, metadata);

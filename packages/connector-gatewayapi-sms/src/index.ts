import { buildMetadata, defineSmsConnector, render, secretsOf, selectTemplate } from '@sms-suite/sms-kit';

import { secretKeys, gatewayApiConfigGuard, gatewayApiFormItems } from './config';
import { mapGatewayApiReply } from './reply';
import { buildGatewayApiRequest } from './request';

export const metadata = buildMetadata({
  id: 'sms-suite-gatewayapi',
  target: 'gatewayapi-sms',
  name: { en: 'GatewayAPI SMS (SMS Suite)', 'zh-CN': 'GatewayAPI 短信 (SMS Suite)' },
  description: {
    en: 'GatewayAPI SMS on the global or EU platform, with Unicode for any language, localized templates and readable errors.',
    'zh-CN': 'GatewayAPI 短信：支持全球或欧盟平台，自动为中文等字符使用 Unicode 编码，支持多语言模板与清晰的错误信息。',
  },
  formItems: gatewayApiFormItems,
});

export default defineSmsConnector({
  provider: 'GatewayAPI',
  metadata,
  configGuard: gatewayApiConfigGuard,
  secretsOf: (config) => secretsOf(config, secretKeys),
  prepare: ({ data, phone }, config) => {
    const template = selectTemplate(config.templates, data.type, data.payload.locale);
    return {
      request: buildGatewayApiRequest({ phone, text: render(template.content, data.payload) }, config),
      mapReply: mapGatewayApiReply,
    };
  },
});

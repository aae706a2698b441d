import {
  ConnectorType,
  type CreateConnector,
  type GetConnectorConfig,
  type SendMessageFunction,
  type SmsConnector,
} from '@logto/connector-kit';
import {
  buildMetadata,
  createRedactor,
  deliver,
  parseConfig,
  parsePhone,
  render,
  secretsOf,
  selectTemplate,
  withConnectorErrors,
} from '@sms-suite/sms-kit';

import { gatewayApiConfigGuard, gatewayApiFormItems, secretKeys } from './config';
import { mapGatewayApiReply } from './reply';
import { buildGatewayApiRequest } from './request';

const provider = 'GatewayAPI';

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

const sendMessage =
  (getConfig: GetConnectorConfig): SendMessageFunction =>
  async (data, inputConfig) => {
    const config = parseConfig(gatewayApiConfigGuard, inputConfig ?? (await getConfig(metadata.id)));
    const secrets = secretsOf(config, secretKeys);

    return withConnectorErrors(provider, createRedactor(secrets), async () => {
      const phone = parsePhone(data.to, config.defaultRegion);
      const template = selectTemplate(config.templates, data.type, data.payload.locale);
      const request = buildGatewayApiRequest({ phone, text: render(template.content, data.payload) }, config);
      return deliver(request, { provider, timeout: config.timeout, secrets }, mapGatewayApiReply);
    });
  };

const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: gatewayApiConfigGuard,
  sendMessage: sendMessage(getConfig),
});

export default createConnector;

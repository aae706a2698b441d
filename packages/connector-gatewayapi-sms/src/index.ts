import {
  ConnectorType,
  type CreateConnector,
  type GetConnectorConfig,
  type SendMessageFunction,
  type SmsConnector,
} from '@logto/connector-kit';
import {
  authorizationSecrets,
  buildMetadata,
  createRedactor,
  parseConfig,
  parsePhone,
  render,
  secretsOf,
  selectTemplate,
  send,
  settle,
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
    const redact = createRedactor(secrets);

    return withConnectorErrors(provider, redact, async () => {
      const phone = parsePhone(data.to, config.defaultRegion);
      const template = selectTemplate(config.templates, data.type, data.payload.locale);
      const request = buildGatewayApiRequest({ phone, text: render(template.content, data.payload) }, config);
      const reply = await send(request, { provider, timeout: config.timeout, secrets });
      // A reply may quote the request: the Basic credential (base64 of "token:") is a secret too.
      return settle(provider, mapGatewayApiReply(reply), createRedactor([...secrets, ...authorizationSecrets(request.headers)]));
    });
  };

const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: gatewayApiConfigGuard,
  sendMessage: sendMessage(getConfig),
});

export default createConnector;

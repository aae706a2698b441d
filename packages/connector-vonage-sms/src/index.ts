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

import { secretKeys, vonageConfigGuard, vonageFormItems } from './config';
import { mapVonageReply } from './reply';
import { buildVonageRequest } from './request';

const provider = 'Vonage';

export const metadata = buildMetadata({
  id: 'sms-suite-vonage',
  target: 'vonage-sms',
  name: { en: 'Vonage SMS (SMS Suite)', 'zh-CN': 'Vonage 短信 (SMS Suite)' },
  description: {
    en: "Vonage SMS without the Vonage SDK: Unicode for any language, localized templates and Vonage's own error text.",
    'zh-CN': 'Vonage 短信：无需 Vonage SDK，自动为中文等字符使用 Unicode 编码，支持多语言模板，并保留 Vonage 的原始错误信息。',
  },
  formItems: vonageFormItems,
});

const sendMessage =
  (getConfig: GetConnectorConfig): SendMessageFunction =>
  async (data, inputConfig) => {
    const config = parseConfig(vonageConfigGuard, inputConfig ?? (await getConfig(metadata.id)));
    const secrets = secretsOf(config, secretKeys);

    return withConnectorErrors(provider, createRedactor(secrets), async () => {
      const phone = parsePhone(data.to, config.defaultRegion);
      const template = selectTemplate(config.templates, data.type, data.payload.locale);
      const request = buildVonageRequest({ phone, text: render(template.content, data.payload) }, config);
      return deliver(request, { provider, timeout: config.timeout, secrets }, mapVonageReply);
    });
  };

const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: vonageConfigGuard,
  sendMessage: sendMessage(getConfig),
});

export default createConnector;

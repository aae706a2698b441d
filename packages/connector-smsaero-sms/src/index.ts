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

import { secretKeys, smsAeroConfigGuard, smsAeroFormItems } from './config';
import { mapSmsAeroReply } from './reply';
import { buildSmsAeroRequest } from './request';

const provider = 'SMSAero';

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

const sendMessage =
  (getConfig: GetConnectorConfig): SendMessageFunction =>
  async (data, inputConfig) => {
    const config = parseConfig(smsAeroConfigGuard, inputConfig ?? (await getConfig(metadata.id)));
    const secrets = secretsOf(config, secretKeys);
    const redact = createRedactor(secrets);

    return withConnectorErrors(provider, redact, async () => {
      const phone = parsePhone(data.to, config.defaultRegion);
      const template = selectTemplate(config.templates, data.type, data.payload.locale);
      const request = buildSmsAeroRequest({ phone, text: render(template.content, data.payload) }, config);
      const reply = await send(request, { provider, timeout: config.timeout, secrets });
      return settle(
        provider,
        mapSmsAeroReply(reply),
        createRedactor([...secrets, ...authorizationSecrets(request.headers)])
      );
    });
  };

const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: smsAeroConfigGuard,
  sendMessage: sendMessage(getConfig),
});

export default createConnector;

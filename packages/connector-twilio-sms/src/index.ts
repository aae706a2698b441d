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

import { secretKeys, twilioConfigGuard, twilioFormItems } from './config';
import { mapTwilioReply } from './reply';
import { buildTwilioRequest } from './request';

const provider = 'Twilio';

export const metadata = buildMetadata({
  id: 'sms-suite-twilio',
  target: 'twilio-sms',
  name: { en: 'Twilio SMS (SMS Suite)', 'zh-CN': 'Twilio 短信 (SMS Suite)' },
  description: {
    en: 'Twilio SMS with a Messaging Service or a sender ID, regional hosts, localized templates and readable errors.',
    'zh-CN': 'Twilio 短信：支持 Messaging Service 或发件人 ID、区域节点、多语言模板与清晰的错误信息。',
  },
  formItems: twilioFormItems,
});

const sendMessage =
  (getConfig: GetConnectorConfig): SendMessageFunction =>
  async (data, inputConfig) => {
    const config = parseConfig(twilioConfigGuard, inputConfig ?? (await getConfig(metadata.id)));
    const secrets = secretsOf(config, secretKeys);

    return withConnectorErrors(provider, createRedactor(secrets), async () => {
      const phone = parsePhone(data.to, config.defaultRegion);
      const template = selectTemplate(config.templates, data.type, data.payload.locale);
      const request = buildTwilioRequest({ phone, text: render(template.content, data.payload) }, config);
      const usesMessagingService = Boolean(config.fromMessagingServiceSID);
      return deliver(request, { provider, timeout: config.timeout, secrets }, (reply) =>
        mapTwilioReply(reply, { usesMessagingService })
      );
    });
  };

const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: twilioConfigGuard,
  sendMessage: sendMessage(getConfig),
});

export default createConnector;

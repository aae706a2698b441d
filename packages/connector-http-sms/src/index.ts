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
  parseConfig,
  parsePhone,
  render,
  selectTemplate,
  send,
  settle,
  withConnectorErrors,
} from '@sms-suite/sms-kit';

import { httpSmsConfigGuard, httpSmsFormItems, httpSmsSecrets } from './config';
import { mapHttpSmsReply } from './reply';
import { buildHttpSmsRequest } from './request';

const provider = 'HTTP SMS gateway';

export const metadata = buildMetadata({
  id: 'sms-suite-http',
  target: 'http-sms',
  name: { en: 'HTTP SMS (SMS Suite)', 'zh-CN': 'HTTP 短信 (SMS Suite)' },
  description: {
    en: 'Send SMS through your own HTTP gateway: the official JSON body plus E.164 number and rendered text, Standard Webhooks signing, timeouts and readable errors.',
    'zh-CN': '通过自有 HTTP 网关发送短信：兼容官方 JSON 请求体，附加 E.164 号码与渲染后的文本，支持 Standard Webhooks 签名、超时与清晰的错误信息。',
  },
  formItems: httpSmsFormItems,
});

const sendMessage =
  (getConfig: GetConnectorConfig): SendMessageFunction =>
  async (data, inputConfig) => {
    const config = parseConfig(httpSmsConfigGuard, inputConfig ?? (await getConfig(metadata.id)));
    const secrets = httpSmsSecrets(config);
    const redact = createRedactor(secrets);

    return withConnectorErrors(provider, redact, async () => {
      const phone = parsePhone(data.to, config.defaultRegion);
      const message = config.templates?.length
        ? render(selectTemplate(config.templates, data.type, data.payload.locale).content, data.payload)
        : undefined;
      const request = buildHttpSmsRequest({ data, phone, message }, config);
      const reply = await send(request, { provider, timeout: config.timeout, secrets });
      return settle(provider, mapHttpSmsReply(reply, config), redact);
    });
  };

const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: httpSmsConfigGuard,
  sendMessage: sendMessage(getConfig),
});

export default createConnector;

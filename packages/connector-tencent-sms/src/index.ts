import {
  ConnectorErrorCodes,
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
  fieldError,
  isMainlandChina,
  parseConfig,
  parsePhone,
  secretsOf,
  selectTemplate,
  send,
  settle,
  withConnectorErrors,
} from '@sms-suite/sms-kit';

import { fallbackRegion, secretKeys, tencentConfigGuard, tencentFormItems } from './config';
import { mapTencentReply } from './reply';
import { buildTencentRequest } from './request';

const provider = 'Tencent';

export const metadata = buildMetadata({
  id: 'sms-suite-tencent',
  target: 'tencent-sms',
  name: { en: 'Tencent Cloud SMS (SMS Suite)', 'zh-CN': '腾讯云短信 (SMS Suite)' },
  description: {
    en: 'Tencent Cloud SMS for mainland China and international numbers in one connector, with Generic fallback, localized templates and readable errors.',
    'zh-CN': '腾讯云短信：一个连接器同时发送国内与国际短信，支持通用模板回退、多语言模板与清晰的错误信息。',
  },
  formItems: tencentFormItems,
});

/** The code is the template's only parameter; nothing else from the payload reaches Tencent. */
const codeOf = (payload: Record<string, unknown>): string => {
  const { code } = payload;
  if ((typeof code === 'string' && code.trim() !== '') || typeof code === 'number') {
    return String(code).trim();
  }
  throw fieldError(
    ConnectorErrorCodes.InvalidRequestParameters,
    ['payload', 'code'],
    'payload.code is missing: Tencent templates take the verification code as their only parameter {1}.'
  );
};

const sendMessage =
  (getConfig: GetConnectorConfig): SendMessageFunction =>
  async (data, inputConfig) => {
    const config = parseConfig(tencentConfigGuard, inputConfig ?? (await getConfig(metadata.id)));
    const secrets = secretsOf(config, secretKeys);
    const redact = createRedactor(secrets);

    return withConnectorErrors(provider, redact, async () => {
      const phone = parsePhone(data.to, config.defaultRegion ?? fallbackRegion);
      const template = selectTemplate(config.templates, data.type, data.payload.locale);
      const request = buildTencentRequest(
        { phone, code: codeOf(data.payload), template },
        config,
        Math.floor(Date.now() / 1000)
      );
      const reply = await send(request, { provider, timeout: config.timeout, secrets });
      // A reply that echoes the request must not publish its Authorization value, nor the signature alone.
      const signature = request.headers.Authorization?.split('Signature=')[1];
      const redactReply = createRedactor([...secrets, ...authorizationSecrets(request.headers), signature]);
      return settle(provider, mapTencentReply(reply, { international: !isMainlandChina(phone) }), redactReply);
    });
  };

const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: tencentConfigGuard,
  sendMessage: sendMessage(getConfig),
});

export default createConnector;

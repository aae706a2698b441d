import { randomUUID } from 'node:crypto';

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
  secretsOf,
  selectTemplate,
  send,
  settle,
  withConnectorErrors,
} from '@sms-suite/sms-kit';

import { aliyunConfigGuard, aliyunFormItems, defaultRegion, secretKeys } from './config';
import { mapAliyunReply } from './reply';
import { buildAliyunRequest } from './request';

const provider = 'Aliyun';

export const metadata = buildMetadata({
  id: 'sms-suite-aliyun',
  target: 'aliyun-sms',
  name: { en: 'Aliyun SMS (SMS Suite)', 'zh-CN': '阿里云短信 (SMS Suite)' },
  description: {
    en: 'Aliyun (Alibaba Cloud) SMS with correct mainland and international routing, the international endpoint, localized templates and readable errors.',
    'zh-CN': '阿里云短信：按号码国家正确选择国内/国际模板，支持国际站接入点、多语言模板与清晰的错误信息。',
  },
  formItems: aliyunFormItems,
});

const sendMessage =
  (getConfig: GetConnectorConfig): SendMessageFunction =>
  async (data, inputConfig) => {
    const config = parseConfig(aliyunConfigGuard, inputConfig ?? (await getConfig(metadata.id)));
    const secrets = secretsOf(config, secretKeys);
    const redact = createRedactor(secrets);

    return withConnectorErrors(provider, redact, async () => {
      const payload: Record<string, unknown> = data.payload ?? {};
      const locale = typeof payload.locale === 'string' ? payload.locale : undefined;
      const phone = parsePhone(data.to, config.defaultRegion ?? defaultRegion);
      const template = selectTemplate(config.templates, data.type, locale);
      const request = buildAliyunRequest({ phone, template, payload }, config, {
        nonce: randomUUID(),
        now: new Date(),
      });
      const reply = await send(request, { provider, timeout: config.timeout, secrets });
      return settle(provider, mapAliyunReply(reply), redact);
    });
  };

const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: aliyunConfigGuard,
  sendMessage: sendMessage(getConfig),
});

export default createConnector;

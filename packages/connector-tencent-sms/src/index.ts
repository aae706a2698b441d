import { ConnectorErrorCodes } from '@logto/connector-kit';
import {
  buildMetadata,
  defineSmsConnector,
  fieldError,
  isMainlandChina,
  secretsOf,
  selectTemplate,
} from '@sms-suite/sms-kit';

import { fallbackRegion, secretKeys, tencentConfigGuard, tencentFormItems } from './config';
import { mapTencentReply } from './reply';
import { buildTencentRequest } from './request';

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

export default defineSmsConnector({
  provider: 'Tencent',
  metadata,
  configGuard: tencentConfigGuard,
  secretsOf: (config) => secretsOf(config, secretKeys),
  defaultRegion: fallbackRegion,
  prepare: ({ data, phone }, config) => {
    const template = selectTemplate(config.templates, data.type, data.payload.locale);
    const international = !isMainlandChina(phone);
    return {
      request: buildTencentRequest(
        { phone, code: codeOf(data.payload), template },
        config,
        Math.floor(Date.now() / 1000)
      ),
      mapReply: (reply) => mapTencentReply(reply, { international }),
    };
  },
});

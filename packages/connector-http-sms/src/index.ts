import { buildMetadata, defineSmsConnector, render, selectTemplate } from '@sms-suite/sms-kit';

import { httpSmsConfigGuard, httpSmsFormItems, httpSmsSecrets } from './config';
import { mapHttpSmsReply } from './reply';
import { buildHttpSmsRequest } from './request';

export const metadata = buildMetadata({
  id: 'sms-suite-http',
  target: 'http-sms',
  name: { en: 'HTTP SMS (SMS Suite)', 'zh-CN': 'HTTP 短信 (SMS Suite)' },
  description: {
    en: 'Send SMS through your own HTTP gateway: the official JSON body plus E.164 number and rendered text, Standard Webhooks signing, timeouts and readable errors.',
    'zh-CN':
      '通过自有 HTTP 网关发送短信：兼容官方 JSON 请求体，附加 E.164 号码与渲染后的文本，支持 Standard Webhooks 签名、超时与清晰的错误信息。',
  },
  formItems: httpSmsFormItems,
});

export default defineSmsConnector({
  provider: 'HTTP SMS gateway',
  metadata,
  configGuard: httpSmsConfigGuard,
  secretsOf: httpSmsSecrets,
  prepare: ({ data, phone }, config) => {
    const message = config.templates?.length
      ? render(selectTemplate(config.templates, data.type, data.payload.locale).content, data.payload)
      : undefined;
    return {
      request: buildHttpSmsRequest({ data, phone, message }, config),
      mapReply: (reply) => mapHttpSmsReply(reply, config),
    };
  },
});

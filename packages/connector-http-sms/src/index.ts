import { connectorMetadata, defineSmsConnector } from '@sms-suite/sms-kit';

import { httpSms } from './provider';

export { httpSms as provider } from './provider';

export const metadata = connectorMetadata(httpSms, {
  id: 'sms-suite-http',
  target: 'http-sms',
  name: { en: 'HTTP SMS (SMS Suite)', 'zh-CN': 'HTTP 短信 (SMS Suite)' },
  description: {
    en: 'Send SMS through your own HTTP gateway: the official JSON body plus E.164 number and rendered text, Standard Webhooks signing, timeouts and readable errors.',
    'zh-CN':
      '通过自有 HTTP 网关发送短信：兼容官方 JSON 请求体，附加 E.164 号码与渲染后的文本，支持 Standard Webhooks 签名、超时与清晰的错误信息。',
  },
});

export default defineSmsConnector(httpSms, metadata);

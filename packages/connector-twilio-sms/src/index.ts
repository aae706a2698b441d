import { buildMetadata, defineSmsConnector, render, secretsOf, selectTemplate } from '@sms-suite/sms-kit';

import { secretKeys, twilioConfigGuard, twilioFormItems } from './config';
import { mapTwilioReply } from './reply';
import { buildTwilioRequest } from './request';

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

export default defineSmsConnector({
  provider: 'Twilio',
  metadata,
  configGuard: twilioConfigGuard,
  secretsOf: (config) => secretsOf(config, secretKeys),
  prepare: ({ data, phone }, config) => {
    const template = selectTemplate(config.templates, data.type, data.payload.locale);
    const usesMessagingService = Boolean(config.fromMessagingServiceSID);
    return {
      request: buildTwilioRequest({ phone, text: render(template.content, data.payload) }, config),
      mapReply: (reply) => mapTwilioReply(reply, { usesMessagingService }),
    };
  },
});

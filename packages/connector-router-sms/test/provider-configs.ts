import { TemplateType, type SendMessageData } from '@logto/connector-kit';
import { sandboxCredentials } from '@sms-suite/catalog';

import type { DoubleBehaviour } from './provider-double';

/**
 * Provider configs and replies for router tests, from source and through Logto's loader alike: each
 * config is what that provider's own connector accepts, pointed at a double on 127.0.0.1.
 */

const templates = [{ usageType: 'Generic', content: 'Your code is {{code}}' }];
const codeTemplates = [{ usageType: 'Generic', templateCode: { china: 'SMS_100000001', overseas: 'SMS_200000001' } }];

type Extra = Record<string, unknown>;

export const twilioConfig = (url: string, extra: Extra = {}) => ({
  ...sandboxCredentials.twilio,
  fromMessagingServiceSID: 'MG00000000000000000000000000000000',
  endpoint: url,
  templates,
  ...extra,
});

export const vonageConfig = (url: string, extra: Extra = {}) => ({
  ...sandboxCredentials.vonage,
  brandName: 'Acme',
  endpoint: url,
  templates,
  ...extra,
});

export const aliyunConfig = (url: string, extra: Extra = {}) => ({
  ...sandboxCredentials.aliyun,
  signName: 'Acme',
  endpoint: url,
  templates: codeTemplates,
  ...extra,
});

/** What each provider answers when it takes the message. */
export const accepted = {
  twilio: { reply: { status: 201, body: { sid: 'SM0001', status: 'queued' } } },
  vonage: {
    reply: { status: 200, body: { 'message-count': '1', messages: [{ status: '0', 'message-id': 'V0001' }] } },
  },
  aliyun: { reply: { status: 200, body: { Code: 'OK', Message: 'OK', BizId: 'A0001', RequestId: 'R-1' } } },
} satisfies Record<string, DoubleBehaviour>;

/** Twilio's error body, as its API answers a refused create. */
export const twilioError = (status: number, code: number, message: string): DoubleBehaviour => ({
  reply: { status, body: { code, message, status } },
});

/** Twilio creating the message and failing it at once with 30450 (SMS Pumping Protection). */
export const twilioFraudBlock: DoubleBehaviour = {
  reply: {
    status: 201,
    body: { sid: 'SM9', status: 'failed', error_code: 30450, error_message: 'Message delivery blocked' },
  },
};

/** A sign-in code for `to`, as Logto asks for one. */
export const signIn = (to: string, extra: Partial<SendMessageData> = {}): SendMessageData => ({
  to,
  type: TemplateType.SignIn,
  payload: { code: '123456' },
  ...extra,
});

import { ConnectorErrorCodes } from '@logto/connector-kit';
import {
  fieldError,
  requireMainlandMobile,
  toChinaNationalOrE164Digits,
  type CodeMessage,
  type HttpRequest,
  type PhoneNumber,
} from '@sms-suite/sms-kit';

import { defaultEndpoint, type AliyunConfig } from './provider';
import { aliyunFormBody, aliyunTimestamp, signAliyunRpc } from './rpc-signature';

/**
 * One message: the number, and the template code the kit chose for the usage type, the locale and
 * the number's side (`messageFor`).
 */
export type AliyunMessage = Omit<CodeMessage, 'data'> & {
  /** Logto's call; only `payload.code` is read from it. */
  data?: { payload?: Record<string, unknown> };
};

/** What makes each request unique; provider.ts passes `randomUUID()` and `new Date()`. */
export type AliyunRequestContext = { nonce: string; now: Date };

export const apiVersion = '2017-05-25';

/** `PhoneNumbers`: mainland mobiles as the 11-digit national number, every other number as E.164 digits. */
export const aliyunPhoneNumber = (phone: PhoneNumber): string =>
  toChinaNationalOrE164Digits(requireMainlandMobile(phone));

/**
 * `TemplateParam` is exactly `{"code":"…"}`: nothing else from Logto's payload (`locale`,
 * `uiLocales`, future keys) reaches Aliyun, whose verification templates reject any other value.
 */
export const aliyunTemplateParam = (payload: Record<string, unknown>): string => {
  const { code } = payload;
  if ((typeof code !== 'string' && typeof code !== 'number') || String(code) === '') {
    throw fieldError(
      ConnectorErrorCodes.InvalidRequestParameters,
      ['payload', 'code'],
      'The payload has no verification code to send (payload.code).'
    );
  }
  return JSON.stringify({ code: String(code) });
};

/** The `SendSms` parameters before signing, in the order Aliyun documents them. */
export const aliyunSendSmsParams = (
  { phone, templateCode, data }: AliyunMessage,
  config: Pick<AliyunConfig, 'accessKeyId' | 'signName'>,
  { nonce, now }: AliyunRequestContext
): Record<string, string> => ({
  AccessKeyId: config.accessKeyId,
  Action: 'SendSms',
  Format: 'JSON',
  PhoneNumbers: aliyunPhoneNumber(phone),
  SignName: config.signName,
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: nonce,
  SignatureVersion: '1.0',
  TemplateCode: templateCode,
  TemplateParam: aliyunTemplateParam(data?.payload ?? {}),
  Timestamp: aliyunTimestamp(now),
  Version: apiVersion,
});

/** `POST {endpoint}/`, form body signed with RPC HMAC-SHA1 (SignatureVersion 1.0). */
export const buildAliyunRequest = (
  message: AliyunMessage,
  config: AliyunConfig,
  context: AliyunRequestContext
): HttpRequest => {
  const params = aliyunSendSmsParams(message, config, context);
  const signature = signAliyunRpc('POST', params, config.accessKeySecret);
  return {
    method: 'POST',
    url: `${(config.endpoint ?? defaultEndpoint).replace(/\/+$/, '')}/`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: aliyunFormBody({ ...params, Signature: signature }),
    // Aliyun quotes a wrong signature back ("Specified signature is not matched with our calculation").
    secrets: [signature],
  };
};

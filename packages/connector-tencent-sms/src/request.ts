import { ConnectorErrorCodes } from '@logto/connector-kit';
import {
  fieldError,
  isMainlandChina,
  requireMainlandMobile,
  toE164,
  type CodeMessage,
  type HttpRequest,
  type PhoneNumber,
} from '@sms-suite/sms-kit';

import { defaultEndpoint, type TencentConfig } from './provider';
import { signTc3 } from './tc3';

export const tencentService = 'sms';
export const tencentAction = 'SendSms';
export const tencentVersion = '2021-01-11';
export const tencentContentType = 'application/json; charset=utf-8';

/**
 * One message: the number, and the template ID the kit chose for the usage type, the locale and the
 * number's side (`messageFor`).
 */
export type TencentMessage = Omit<CodeMessage, 'data'> & {
  /** Logto's call; only `payload.code` is read from it. */
  data?: { payload?: Record<string, unknown> };
};

/** The code is the template's only parameter; nothing else from the payload reaches Tencent. */
export const codeOf = (payload: Record<string, unknown>): string => {
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

/** Mainland China (+86) and international SMS are separate services with their own signs and templates. */
export type TencentRoute = { templateId: string; signName?: string };

export const routeMessage = (
  { phone, templateCode }: Pick<TencentMessage, 'phone' | 'templateCode'>,
  config: Pick<TencentConfig, 'signName' | 'overseasSignName'>
): TencentRoute => {
  const mainland = isMainlandChina(phone);
  if (mainland && !config.signName) {
    throw fieldError(
      ConnectorErrorCodes.InvalidConfig,
      ['signName'],
      'signName is required to send to mainland China (+86) numbers: set it to your approved signature content (签名内容).'
    );
  }
  const signName = mainland ? config.signName : config.overseasSignName;
  return { templateId: templateCode, ...(signName && { signName }) };
};

/** The JSON body: the recipient in E.164 with `+`, and the code as the only template parameter. */
export const buildTencentBody = (
  { phone, code }: { phone: PhoneNumber; code: string },
  route: TencentRoute,
  config: Pick<TencentConfig, 'sdkAppId'>
): string =>
  JSON.stringify({
    PhoneNumberSet: [toE164(requireMainlandMobile(phone))],
    SmsSdkAppId: config.sdkAppId,
    ...(route.signName && { SignName: route.signName }),
    TemplateId: route.templateId,
    TemplateParamSet: [code],
  });

/**
 * `POST {endpoint}/`, signed with TC3-HMAC-SHA256 over `content-type;host` and the path `/` (what
 * Tencent's hosts serve; a path in `endpoint` belongs to a proxy or sandbox). The Host header is not
 * set here: fetch derives it from the URL, and that value (`new URL(endpoint).host`, with the port
 * only when it is not the default) is the one signed. `timestamp` is Unix seconds.
 */
export const buildTencentRequest = (message: TencentMessage, config: TencentConfig, timestamp: number): HttpRequest => {
  const code = codeOf(message.data?.payload ?? {});
  const route = routeMessage(message, config);
  const body = buildTencentBody({ phone: message.phone, code }, route, config);
  const endpoint = config.endpoint ?? defaultEndpoint;
  const { host } = new URL(endpoint);

  return {
    method: 'POST',
    url: `${endpoint.replace(/\/+$/, '')}/`,
    headers: {
      'Content-Type': tencentContentType,
      'X-TC-Action': tencentAction,
      'X-TC-Version': tencentVersion,
      'X-TC-Timestamp': String(timestamp),
      'X-TC-Region': config.region,
      Authorization: signTc3({
        secretId: config.accessKeyId,
        secretKey: config.accessKeySecret,
        service: tencentService,
        host,
        contentType: tencentContentType,
        timestamp,
        payload: body,
      }),
    },
    body,
  };
};

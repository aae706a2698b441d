import { ConnectorErrorCodes } from '@logto/connector-kit';
import {
  fieldError,
  isMainlandChina,
  requireMainlandMobile,
  toE164,
  type HttpRequest,
  type PhoneNumber,
  valueForDestination,
} from '@sms-suite/sms-kit';

import { defaultEndpoint, type TencentConfig, type TencentTemplate } from './config';
import { signTc3 } from './tc3';

export const tencentService = 'sms';
export const tencentAction = 'SendSms';
export const tencentVersion = '2021-01-11';
export const tencentContentType = 'application/json; charset=utf-8';

export type TencentMessage = {
  phone: PhoneNumber;
  /** The verification code: the template's only variable, `{1}`. */
  code: string;
  template: TencentTemplate;
};

/** Mainland China (+86) and international SMS are separate services with their own signs and templates. */
export type TencentRoute = { international: boolean; templateId: string; signName?: string };

export const routeMessage = (
  phone: PhoneNumber,
  template: TencentTemplate,
  config: Pick<TencentConfig, 'signName' | 'overseasSignName'>
): TencentRoute => {
  const international = !isMainlandChina(phone);
  const templateId = valueForDestination(template.templateCode, phone, { usageType: template.usageType, noun: 'ID' });
  if (!international && !config.signName) {
    throw fieldError(
      ConnectorErrorCodes.InvalidConfig,
      ['signName'],
      'signName is required to send to mainland China (+86) numbers: set it to your approved signature content (签名内容).'
    );
  }
  const signName = international ? config.overseasSignName : config.signName;
  return { international, templateId, ...(signName && { signName }) };
};

/** The JSON body: the recipient in E.164 with `+`, and the code as the only template parameter. */
export const buildTencentBody = (
  { phone, code }: Pick<TencentMessage, 'phone' | 'code'>,
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
  const route = routeMessage(message.phone, message.template, config);
  const body = buildTencentBody(message, route, config);
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

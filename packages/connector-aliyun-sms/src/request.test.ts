import { ConnectorErrorCodes, TemplateType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  messageFor,
  parseConfig,
  parsePhone,
  providerConfigGuard,
  type ChinaOverseas,
  type CodeMessage,
  type PhoneNumber,
} from '@sms-suite/sms-kit';
import { thrownConnectorError } from '@sms-suite/sms-kit/testing';
import { ZodError } from 'zod';

import { aliyun, type AliyunConfig } from './provider';
import { aliyunPhoneNumber, aliyunTemplateParam, buildAliyunRequest, type AliyunMessage } from './request';
import { parseForm, referenceSignature, referenceStringToSign, rpcVectors, testConfig } from '../test/support';

const config: AliyunConfig = parseConfig(providerConfigGuard(aliyun), testConfig);
const context = { nonce: '3c8f5d8a-7a3f-4c55-9d4e-8e9c1b2a7f10', now: new Date('2024-05-06T07:08:09.123Z') };
const split = { china: 'SMS_CHINA', overseas: 'SMS_OVERSEAS' };

/** A message whose template code is already chosen: the mainland side of `split`, unless told otherwise. */
const message = (to: string, overrides: Partial<AliyunMessage> = {}): AliyunMessage => ({
  data: { payload: { code: '123456' } },
  phone: parsePhone(to, 'CN'),
  templateCode: split.china,
  usageType: 'SignIn',
  ...overrides,
});

/** The message the kit builds for a SignIn send to `to` with one "SignIn" template: its code for the number's side. */
const chosen = (to: string, templateCode: ChinaOverseas<string> = split): AliyunMessage =>
  messageFor(
    aliyun,
    { templates: [{ usageType: 'SignIn', templateCode }] },
    { data: { to, type: TemplateType.SignIn, payload: { code: '123456' } }, phone: parsePhone(to, 'CN') }
  ) as CodeMessage;

describe('reference signer used by the tests', () => {
  it.each(Object.entries(rpcVectors))('reproduces the documented %s vector step by step', (_name, vector) => {
    const { httpMethod, params, accessKeySecret } = vector.inputs;
    expect(referenceStringToSign(httpMethod, params)).toBe(vector.expected.stringToSign);
    expect(referenceSignature(httpMethod, params, accessKeySecret)).toBe(vector.expected.signature);
  });
});

describe('buildAliyunRequest', () => {
  it('POSTs every SendSms parameter, signed, as a form body', () => {
    const request = buildAliyunRequest(message('8613800138000'), config, context);

    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://dysmsapi.aliyuncs.com/');
    expect(request.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    });

    const form = parseForm(request.body ?? '');
    const { Signature: signature, ...signed } = form;
    expect(signed).toEqual({
      AccessKeyId: 'LTAI5tFakeKeyId0123456',
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: '13800138000',
      SignName: '阿里云短信测试',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: context.nonce,
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_CHINA',
      TemplateParam: '{"code":"123456"}',
      Timestamp: '2024-05-06T07:08:09Z',
      Version: '2017-05-25',
    });
    expect(signature).toBe(referenceSignature('POST', signed, testConfig.accessKeySecret));
    // Signed for POST: the same parameters signed for GET would be refused.
    expect(signature).not.toBe(referenceSignature('GET', signed, testConfig.accessKeySecret));
  });

  it('encodes the body the way it was signed: RFC 3986, UTF-8, %20 never +', () => {
    const request = buildAliyunRequest(message('8613800138000'), { ...config, signName: 'Acme Inc+' }, context);
    const body = request.body ?? '';
    expect(body).toContain('SignName=Acme%20Inc%2B');
    expect(body).toContain('TemplateParam=%7B%22code%22%3A%22123456%22%7D');
    expect(body).toContain('Timestamp=2024-05-06T07%3A08%3A09Z');
    expect(body).toMatch(/&Signature=[\w%]+$/);
    expect(body).not.toMatch(/[+ ]/);

    const chinese = buildAliyunRequest(message('8613800138000'), config, context).body ?? '';
    expect(chinese).toContain('SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95');
  });

  it('gives each nonce and each second its own signature', () => {
    const first = parseForm(buildAliyunRequest(message('8613800138000'), config, context).body ?? '');
    const otherNonce = parseForm(
      buildAliyunRequest(message('8613800138000'), config, { ...context, nonce: 'another-nonce' }).body ?? ''
    );
    const otherSecond = parseForm(
      buildAliyunRequest(message('8613800138000'), config, { ...context, now: new Date('2024-05-06T07:08:10Z') })
        .body ?? ''
    );
    expect(new Set([first.Signature, otherNonce.Signature, otherSecond.Signature]).size).toBe(3);
    expect(otherSecond.Timestamp).toBe('2024-05-06T07:08:10Z');
  });

  it('signs with the secret it is given', () => {
    const form = parseForm(
      buildAliyunRequest(message('8613800138000'), { ...config, accessKeySecret: 'other' }, context).body ?? ''
    );
    const { Signature: signature, ...signed } = form;
    expect(signature).toBe(referenceSignature('POST', signed, 'other'));
    expect(Object.values(form).join('\n')).not.toContain('other');
  });

  it.each([
    [undefined, 'https://dysmsapi.aliyuncs.com/'],
    ['https://dysmsapi.ap-southeast-1.aliyuncs.com', 'https://dysmsapi.ap-southeast-1.aliyuncs.com/'],
    ['https://dysmsapi.ap-southeast-1.aliyuncs.com///', 'https://dysmsapi.ap-southeast-1.aliyuncs.com/'],
    ['http://127.0.0.1:4010/aliyun/', 'http://127.0.0.1:4010/aliyun/'],
  ])('sends to endpoint %s as %s', (endpoint, url) => {
    expect(buildAliyunRequest(message('8613800138000'), { ...config, endpoint }, context).url).toBe(url);
  });
});

describe('PhoneNumbers and template choice', () => {
  it.each<[string, string, string, string]>([
    ['mainland with 86', '8613800138000', '13800138000', 'SMS_CHINA'],
    ['mainland with +86 and spaces', '+86 138 0013 8000', '13800138000', 'SMS_CHINA'],
    ['mainland with 0086', '008613800138000', '13800138000', 'SMS_CHINA'],
    ['mainland without 86 (default region CN)', '13800138000', '13800138000', 'SMS_CHINA'],
    ['mainland 19x without 86', '19912345678', '19912345678', 'SMS_CHINA'],
    ['United States in Logto form', '16502530000', '16502530000', 'SMS_OVERSEAS'],
    ['United States with +1', '+1 (650) 253-0000', '16502530000', 'SMS_OVERSEAS'],
    ['Canada', '14165550123', '14165550123', 'SMS_OVERSEAS'],
    ['Hong Kong', '85291234567', '85291234567', 'SMS_OVERSEAS'],
    ['Macau', '85366123456', '85366123456', 'SMS_OVERSEAS'],
    ['Taiwan', '886912345678', '886912345678', 'SMS_OVERSEAS'],
    ['Japan', '818012345678', '818012345678', 'SMS_OVERSEAS'],
  ])('%s: %s → PhoneNumbers %s, %s', (_case, to, phoneNumbers, templateCode) => {
    const form = parseForm(buildAliyunRequest(chosen(to), config, context).body ?? '');
    expect(form.PhoneNumbers).toBe(phoneNumbers);
    expect(form.TemplateCode).toBe(templateCode);
  });

  it('uses a plain template code for every number', () => {
    for (const to of ['8613800138000', '16502530000', '85291234567']) {
      const form = parseForm(buildAliyunRequest(chosen(to, 'SMS_BOTH'), config, context).body ?? '');
      expect(form.TemplateCode).toBe('SMS_BOTH');
    }
  });

  it.each<[string, string, { china?: string; overseas?: string }, RegExp]>([
    [
      'an international number',
      '16502530000',
      { china: 'SMS_CHINA' },
      /International numbers are not served: the "SignIn" template has no "overseas" code \(only "china"\)\.$/,
    ],
    [
      'a mainland number',
      '8613800138000',
      { overseas: 'SMS_OVERSEAS' },
      /Mainland-China numbers are not served: the "SignIn" template has no "china" code \(only "overseas"\)\.$/,
    ],
  ])('refuses %s when its side of the template is missing', (_case, to, templateCode, text) => {
    const error = thrownConnectorError(() => buildAliyunRequest(chosen(to, templateCode), config, context));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    const response = logtoResponseFor(error);
    expect(response.status).toBe(400);
    expect(response.toast).toMatch(
      /^The request is with wrong input parameter\(s\)\.\nError in key path "to": \(custom\) /
    );
    expect(response.toast).toMatch(text);
  });

  it.each<[string, PhoneNumber]>([
    ['a Beijing landline', { country: 'CN', callingCode: '86', nationalNumber: '1012345678' }],
    ['a 10-digit number', { country: 'CN', callingCode: '86', nationalNumber: '1650253000' }],
    ['an 11-digit number outside 13–19', { country: 'CN', callingCode: '86', nationalNumber: '12345678901' }],
  ])('refuses %s: mainland SMS reaches 11-digit mobiles only', (_case, phone) => {
    const error = thrownConnectorError(() => aliyunPhoneNumber(phone));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(logtoResponseFor(error).toast).toContain(
      `Error in key path "to": (custom) +86${phone.nationalNumber} is not a mainland-China mobile number`
    );
  });
});

describe('TemplateParam', () => {
  it.each<[string, Record<string, unknown>]>([
    ['the code alone', { code: '123456' }],
    ['locale', { code: '123456', locale: 'zh-CN' }],
    ['uiLocales', { code: '123456', locale: 'fr', uiLocales: 'fr-CA fr en' }],
    ['a link and unknown future keys', { code: '123456', link: 'https://x.test', expiresIn: 600, user: { id: 'u1' } }],
  ])('is exactly {"code":"…"} with %s in the payload', (_case, payload) => {
    expect(aliyunTemplateParam(payload)).toBe('{"code":"123456"}');
    const form = parseForm(
      buildAliyunRequest(message('16502530000', { data: { payload } }), config, context).body ?? ''
    );
    expect(form.TemplateParam).toBe('{"code":"123456"}');
    expect(JSON.parse(form.TemplateParam ?? '')).toEqual({ code: '123456' });
  });

  it("accepts the console test's 000000 and a numeric code", () => {
    expect(aliyunTemplateParam({ code: '000000' })).toBe('{"code":"000000"}');
    expect(aliyunTemplateParam({ code: 123456 })).toBe('{"code":"123456"}');
  });

  it.each<[string, Record<string, unknown>]>([
    ['no code', { locale: 'en' }],
    ['an empty code', { code: '' }],
    ['an object as code', { code: { value: '1' } }],
  ])('refuses a payload with %s, naming payload.code', (_case, payload) => {
    const error = thrownConnectorError(() => aliyunTemplateParam(payload));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.data).toBeInstanceOf(ZodError);
    expect(logtoResponseFor(error).toast).toContain('Error in key path "payload.code"');
  });
});

import { TemplateType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  messageFor,
  parsePhone,
  providerConfigGuard,
  toE164,
  type ChinaOverseas,
  type CodeMessage,
  type PhoneNumber,
} from '@sms-suite/sms-kit';
import { thrownConnectorError } from '@sms-suite/sms-kit/testing';

import { tencent, type TencentConfig } from './provider';
import { buildTencentRequest, routeMessage } from './request';
import { signTc3 } from './tc3';
import { fullConfig, officialConfig, recomputeTc3Authorization, secretId, secretKey } from '../test/support';

const tencentConfigGuard = providerConfigGuard(tencent);
const full: TencentConfig = tencentConfigGuard.parse(fullConfig);
const official: TencentConfig = tencentConfigGuard.parse(officialConfig);

type Template = { usageType: string; templateCode: ChinaOverseas<string> };

const chinaOverseas: Template = {
  usageType: 'Generic',
  templateCode: { china: '1000004', overseas: '2000004' },
};
const single: Template = { usageType: 'Generic', templateCode: '1000004' };

const timestamp = 1_551_113_065; // 2019-02-25T16:44:25Z (already 2019-02-26 in UTC+8)

const mainland = parsePhone('8613800138000');
const us = parsePhone('16502530000');
const uk = parsePhone('447700900123');

/** The message the kit builds for a Generic send with this one template: its ID for the number's side (`messageFor`). */
const messageOf = (template: Template, phone: PhoneNumber, code = '123456') =>
  messageFor(
    tencent,
    { templates: [template] },
    { data: { to: toE164(phone), type: TemplateType.Generic, payload: { code } }, phone }
  ) as CodeMessage;

const build = (config: TencentConfig, template: Template, phone = mainland, code = '123456') =>
  buildTencentRequest(messageOf(template, phone, code), config, timestamp);

const wire = (request: ReturnType<typeof build>) => ({
  method: request.method,
  path: new URL(request.url).pathname,
  headers: {
    ...Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    host: new URL(request.url).host,
  },
  body: request.body ?? '',
});

describe('buildTencentRequest', () => {
  it('signs a mainland send: URL, method, every header and every body field', () => {
    const request = build(full, chinaOverseas);
    const body =
      '{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"腾讯云","TemplateId":"1000004","TemplateParamSet":["123456"]}';

    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://sms.tencentcloudapi.com/');
    expect(request.body).toBe(body); // raw UTF-8, no \u escapes: the hash is over these bytes
    expect(request.headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'X-TC-Action': 'SendSms',
      'X-TC-Version': '2021-01-11',
      'X-TC-Timestamp': '1551113065',
      'X-TC-Region': 'ap-guangzhou',
      Authorization: signTc3({
        secretId,
        secretKey,
        service: 'sms',
        host: 'sms.tencentcloudapi.com',
        contentType: 'application/json; charset=utf-8',
        timestamp,
        payload: body,
      }),
    });
    expect(request.headers.Authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDtestsecretid0123456789abcdefEXAMPLE\/2019-02-25\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=[\da-f]{64}$/
    );
    expect(request.headers.Authorization).toBe(recomputeTc3Authorization(wire(request)));
  });

  it('never sets a Host header of its own (fetch derives it from the URL, which is what is signed)', () => {
    expect(Object.keys(build(full, chinaOverseas).headers).map((name) => name.toLowerCase())).not.toContain('host');
  });

  it.each([
    ['the default endpoint', undefined, 'https://sms.tencentcloudapi.com/', 'sms.tencentcloudapi.com'],
    [
      'a regional endpoint with a trailing slash',
      'https://sms.ap-guangzhou.tencentcloudapi.com/',
      'https://sms.ap-guangzhou.tencentcloudapi.com/',
      'sms.ap-guangzhou.tencentcloudapi.com',
    ],
    [
      'the international site',
      'https://sms.intl.tencentcloudapi.com',
      'https://sms.intl.tencentcloudapi.com/',
      'sms.intl.tencentcloudapi.com',
    ],
    [
      'an explicit default port',
      'https://sms.tencentcloudapi.com:443',
      'https://sms.tencentcloudapi.com:443/',
      'sms.tencentcloudapi.com',
    ],
    ['the local sandbox', 'http://127.0.0.1:8787', 'http://127.0.0.1:8787/', '127.0.0.1:8787'],
    ['a sandbox path prefix', 'http://127.0.0.1:8787/tencent/', 'http://127.0.0.1:8787/tencent/', '127.0.0.1:8787'],
  ])('posts to {endpoint}/ and signs its host: %s', (_name, endpoint, url, host) => {
    const config = tencentConfigGuard.parse({ ...fullConfig, ...(endpoint && { endpoint }) });
    const request = build(config, chinaOverseas);
    expect(request.url).toBe(url);
    expect(new URL(request.url).host).toBe(host);
    // The path signed is always "/", whatever prefix a proxy or sandbox strips.
    expect(request.headers.Authorization).toBe(recomputeTc3Authorization({ ...wire(request), path: '/' }));
    expect(request.headers.Authorization).toBe(
      signTc3({
        secretId,
        secretKey,
        service: 'sms',
        host,
        contentType: 'application/json; charset=utf-8',
        timestamp,
        payload: request.body ?? '',
      })
    );
  });

  it('sends the region as X-TC-Region and the timestamp as X-TC-Timestamp', () => {
    const request = buildTencentRequest(
      { data: { payload: { code: '1' } }, phone: mainland, templateCode: '1000004', usageType: 'Generic' },
      { ...official, region: 'ap-nanjing' },
      1_700_000_000
    );
    expect(request.headers['X-TC-Region']).toBe('ap-nanjing');
    expect(request.headers['X-TC-Timestamp']).toBe('1700000000');
    expect(request.headers.Authorization).toContain('/2023-11-14/sms/tc3_request');
  });

  it.each([
    ['US', us, '+16502530000'],
    ['UK', uk, '+447700900123'],
  ])(
    'sends an international (%s) number in E.164 with +, the overseas template and overseasSignName',
    (_name, phone, e164) => {
      expect(JSON.parse(build(full, chinaOverseas, phone).body ?? '')).toEqual({
        PhoneNumberSet: [e164],
        SmsSdkAppId: '1400006666',
        SignName: 'Acme',
        TemplateId: '2000004',
        TemplateParamSet: ['123456'],
      });
    }
  );

  it('sends international numbers without SignName when overseasSignName is not set', () => {
    const body = JSON.parse(build(official, single, us).body ?? '') as Record<string, unknown>;
    expect(body).toEqual({
      PhoneNumberSet: ['+16502530000'],
      SmsSdkAppId: '1400006666',
      TemplateId: '1000004',
      TemplateParamSet: ['123456'],
    });
    expect(Object.keys(body)).not.toContain('SignName');
  });

  it('uses a single templateCode and signName for mainland numbers', () => {
    expect(JSON.parse(build(official, single, mainland, '000000').body ?? '')).toEqual({
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: '1400006666',
      SignName: 'Acme',
      TemplateId: '1000004',
      TemplateParamSet: ['000000'],
    });
  });

  it('routes Hong Kong (+852) as international, unlike mainland China (+86)', () => {
    expect(routeMessage(messageOf(chinaOverseas, parsePhone('85251234567')), full)).toEqual({
      templateId: '2000004',
      signName: 'Acme',
    });
    expect(routeMessage(messageOf(chinaOverseas, mainland), full)).toEqual({
      templateId: '1000004',
      signName: '腾讯云',
    });
  });

  it.each([
    [
      'an international number',
      us,
      { china: '1000004' },
      'International numbers are not served: the "Generic" template has no "overseas" ID (only "china").',
    ],
    [
      'a mainland number',
      mainland,
      { overseas: '2000004' },
      'Mainland-China numbers are not served: the "Generic" template has no "china" ID (only "overseas").',
    ],
  ])(
    'refuses %s when the template has no ID for its side (invalid_request_parameters naming to)',
    (_name, phone, templateCode, message) => {
      let thrown: unknown;
      try {
        build(full, { usageType: 'Generic', templateCode }, phone);
      } catch (error: unknown) {
        thrown = error;
      }
      expect(logtoResponseFor(thrown)).toEqual({
        status: 400,
        code: 'connector.invalid_request_parameters',
        toast: `The request is with wrong input parameter(s).\nError in key path "to": (custom) ${message}`,
      });
    }
  );

  it('puts exactly the code in TemplateParamSet, and no other field in the body', () => {
    const body = JSON.parse(build(full, chinaOverseas, mainland, '987654').body ?? '') as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['PhoneNumberSet', 'SmsSdkAppId', 'SignName', 'TemplateId', 'TemplateParamSet']);
    expect(body.TemplateParamSet).toEqual(['987654']);
  });

  it('refuses a mainland send without signName (invalid_config naming signName), before signing anything', () => {
    const { signName: _omitted, ...withoutSign } = full;
    expect(logtoResponseFor(thrownConnectorError(() => build(withoutSign, chinaOverseas)))).toEqual({
      status: 400,
      code: 'connector.invalid_config',
      toast:
        'The connector\'s config is invalid.\nError in key path "signName": (custom) signName is required to send to mainland China (+86) numbers: set it to your approved signature content (签名内容).',
    });
    // International numbers need no mainland sign.
    expect(build(withoutSign, chinaOverseas, us).body).toContain('"+16502530000"');
  });
});

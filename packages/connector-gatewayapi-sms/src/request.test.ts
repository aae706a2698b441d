import { parsePhone } from '@sms-suite/sms-kit';

import { defaultEndpoint, euEndpoint, type GatewayApiConfig } from './provider';
import { buildGatewayApiRequest } from './request';

const config: GatewayApiConfig = {
  apiToken: 'tok-1234567890',
  sender: 'ExampleCo',
};

const build = (text: string, to = '4520123456', overrides: Partial<GatewayApiConfig> = {}) =>
  buildGatewayApiRequest({ phone: parsePhone(to), text }, { ...config, ...overrides });

describe('buildGatewayApiRequest', () => {
  it('POSTs JSON to the default endpoint with Basic auth "<token>:" (empty password)', () => {
    const request = build('Your code is 123456');

    expect(request).toEqual({
      method: 'POST',
      url: defaultEndpoint,
      headers: {
        authorization: `Basic ${Buffer.from('tok-1234567890:').toString('base64')}`,
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json',
      },
      body: JSON.stringify({
        sender: 'ExampleCo',
        message: 'Your code is 123456',
        recipients: [{ msisdn: 4520123456 }],
      }),
    });
    expect(request.headers.authorization).toBe('Basic dG9rLTEyMzQ1Njc4OTA6');
  });

  it('uses the configured endpoint as the full URL (EU platform, local sandbox)', () => {
    expect(build('x', '4520123456', { endpoint: euEndpoint }).url).toBe('https://gatewayapi.eu/rest/mtsms');
    expect(build('x', '4520123456', { endpoint: 'http://127.0.0.1:4010/gw/rest/mtsms?x=1' }).url).toBe(
      'http://127.0.0.1:4010/gw/rest/mtsms?x=1'
    );
  });

  it.each([
    ['4520123456', 4520123456],
    ['16502530000', 16502530000],
    ['+44 7911 123456', 447911123456],
    ['008613800138000', 8613800138000],
  ])('sends %s as the MSISDN %i (digits with country code, no + or 00)', (to, msisdn) => {
    expect(JSON.parse(build('x', to).body ?? '')).toMatchObject({ recipients: [{ msisdn }] });
  });

  it.each([
    ['Chinese', '您的验证码是 123456'],
    ['Russian', 'Ваш код: 123456'],
    ['an emoji', 'Your code is 123456 🔐'],
    ['a curly quote', 'It’s 123456'],
  ])('sets encoding UCS2 for %s text and sends the text unchanged', (_name, text) => {
    expect(JSON.parse(build(text).body ?? '')).toEqual({
      sender: 'ExampleCo',
      message: text,
      recipients: [{ msisdn: 4520123456 }],
      encoding: 'UCS2',
    });
  });

  it.each([
    ['plain ASCII', 'Your code is 123456'],
    ['extension-table characters', 'Code [123456] costs €0 {ok} ~ ^ | \\'],
    ['Danish letters of the GSM alphabet', 'Din kode er 123456. Hilsen Ærø Østergård'],
  ])('leaves encoding out (GSM 03.38) for %s', (_name, text) => {
    const body = JSON.parse(build(text).body ?? '') as Record<string, unknown>;
    expect(body).not.toHaveProperty('encoding');
    expect(body.message).toBe(text);
  });

  it('sends the Chinese text as UTF-8 JSON, not escaped or garbled', () => {
    const { body } = build('验证码 123456');
    expect(body).toBe(
      '{"sender":"ExampleCo","message":"验证码 123456","recipients":[{"msisdn":4520123456}],"encoding":"UCS2"}'
    );
  });

  it.each([
    ['ExampleCo', 'ExampleCo'],
    ['<ExampleCo>', '<ExampleCo>'],
    ['4520123456', '4520123456'],
    ['+4520123456', '4520123456'],
    ['+Example', '+Example'],
  ])('sends the sender %j as %j (a numeric sender as digits)', (sender, expected) => {
    expect(JSON.parse(build('x', '4520123456', { sender }).body ?? '')).toMatchObject({ sender: expected });
  });
});

import { parsePhone } from '@sms-suite/sms-kit';

import { type VonageConfig } from './provider';
import { buildVonageRequest } from './request';

const config: VonageConfig = {
  apiKey: 'a1b2c3d4',
  apiSecret: 'S3cret&S3cret=1234',
  brandName: 'ExampleCo',
};

const build = (text: string, to = '447911123456', overrides: Partial<VonageConfig> = {}) =>
  buildVonageRequest({ phone: parsePhone(to), text }, { ...config, ...overrides });

const formOf = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body ?? ''));

describe('buildVonageRequest', () => {
  it('POSTs the documented form to https://rest.nexmo.com/sms/json', () => {
    const request = build('Your code is 123456');

    expect(request).toEqual({
      method: 'POST',
      url: 'https://rest.nexmo.com/sms/json',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        accept: 'application/json',
      },
      body: 'api_key=a1b2c3d4&api_secret=S3cret%26S3cret%3D1234&from=ExampleCo&to=447911123456&text=Your+code+is+123456',
    });
    expect(formOf(request.body)).toEqual({
      api_key: 'a1b2c3d4',
      api_secret: 'S3cret&S3cret=1234',
      from: 'ExampleCo',
      to: '447911123456',
      text: 'Your code is 123456',
    });
  });

  it.each([
    [undefined, 'https://rest.nexmo.com/sms/json'],
    ['https://rest.nexmo.com/', 'https://rest.nexmo.com/sms/json'],
    ['http://127.0.0.1:4010/vonage', 'http://127.0.0.1:4010/vonage/sms/json'],
    ['http://127.0.0.1:4010/vonage//', 'http://127.0.0.1:4010/vonage/sms/json'],
  ])('appends /sms/json to the endpoint %s', (endpoint, url) => {
    expect(build('x', '447911123456', { endpoint }).url).toBe(url);
  });

  it.each([
    ['447911123456', '447911123456'],
    ['+44 7911 123456', '447911123456'],
    ['16502530000', '16502530000'],
    ['008613800138000', '8613800138000'],
  ])('sends %s as to=%s (E.164 digits, no + or 00)', (to, expected) => {
    expect(formOf(build('x', to).body).to).toBe(expected);
  });

  it.each([
    ['Chinese', '您的验证码是 123456'],
    ['Russian', 'Ваш код: 123456'],
    ['an emoji', 'Your code is 123456 🔐'],
    ['a curly quote', 'It’s 123456'],
  ])('sets type=unicode for %s text and sends the text unchanged', (_name, text) => {
    expect(formOf(build(text).body)).toEqual({
      api_key: 'a1b2c3d4',
      api_secret: 'S3cret&S3cret=1234',
      from: 'ExampleCo',
      to: '447911123456',
      text,
      type: 'unicode',
    });
  });

  it('encodes a Chinese text as UTF-8 in the form', () => {
    expect(build('验证码 1').body).toBe(
      'api_key=a1b2c3d4&api_secret=S3cret%26S3cret%3D1234&from=ExampleCo&to=447911123456&text=%E9%AA%8C%E8%AF%81%E7%A0%81+1&type=unicode'
    );
  });

  it.each([
    ['plain ASCII', 'Your code is 123456'],
    ['extension-table characters', 'Code [123456] {ok} €'],
    ['accented letters of the GSM alphabet', 'Votre code: 123456. Ñ ü é ø à Ä'],
  ])('leaves type out (text) for %s', (_name, text) => {
    const form = formOf(build(text).body);
    expect(form).not.toHaveProperty('type');
    expect(form.text).toBe(text);
  });

  it.each([
    ['ExampleCo', 'ExampleCo'],
    ['<ExampleCo>', '<ExampleCo>'],
    ['12025550123', '12025550123'],
    ['+12025550123', '12025550123'],
    ['+Example', '+Example'],
  ])('sends the brand name %j as from=%j (a number as E.164 digits)', (brandName, from) => {
    expect(formOf(build('x', '447911123456', { brandName }).body).from).toBe(from);
  });
});

import { parsePhone } from '@sms-suite/sms-kit';

import type { SmsAeroConfig } from './provider';
import { buildSmsAeroRequest } from './request';

const config: SmsAeroConfig = {
  email: 'admin@example.com',
  apiKey: 'k3y-0f-the-smsaero-account',
  senderName: 'SMS Aero',
};

const decodeBasic = (header: string | undefined) => {
  expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
  return Buffer.from(String(header).slice('Basic '.length), 'base64').toString('utf8');
};

describe('buildSmsAeroRequest', () => {
  it('posts JSON { number, sign, text } to the default endpoint with Basic email:apiKey', () => {
    const request = buildSmsAeroRequest({ phone: parsePhone('79031234567'), text: 'Your code is 123456' }, config);
    expect(request).toEqual({
      method: 'POST',
      url: 'https://gate.smsaero.ru/v2/sms/send',
      headers: {
        authorization: `Basic ${Buffer.from('admin@example.com:k3y-0f-the-smsaero-account').toString('base64')}`,
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json',
      },
      body: '{"number":"79031234567","sign":"SMS Aero","text":"Your code is 123456"}',
    });
    expect(decodeBasic(request.headers.authorization)).toBe('admin@example.com:k3y-0f-the-smsaero-account');
  });

  it.each([
    ['https://gate.smsaero.org/v2', 'https://gate.smsaero.org/v2/sms/send'],
    ['https://gate.smsaero.net/v2///', 'https://gate.smsaero.net/v2/sms/send'],
    ['http://127.0.0.1:4010/smsaero/v2/', 'http://127.0.0.1:4010/smsaero/v2/sms/send'],
  ])('appends /sms/send to the endpoint %s, trailing slashes stripped', (endpoint, url) => {
    expect(buildSmsAeroRequest({ phone: parsePhone('79031234567'), text: 'x' }, { ...config, endpoint }).url).toBe(url);
  });

  it.each([
    ['79031234567', undefined, '79031234567'],
    ['+7 (903) 123-45-67', undefined, '79031234567'],
    ['0079031234567', undefined, '79031234567'],
    ['8613800138000', undefined, '8613800138000'],
    ['16502530000', undefined, '16502530000'],
    ['+44 7700 900123', undefined, '447700900123'],
    ['9031234567', 'RU', '79031234567'],
  ])('sends %j (region %s) as the international digits %j, no +', (to, region, number) => {
    const request = buildSmsAeroRequest({ phone: parsePhone(to, region), text: 'x' }, config);
    expect(JSON.parse(String(request.body))).toEqual({ number, sign: 'SMS Aero', text: 'x' });
  });

  it('sends the sender name and the text exactly, Cyrillic, Chinese and emoji included', () => {
    const text = 'Код: 123456 · 验证码 123456 🔐 "quoted" \\ {{not-a-template}}';
    const request = buildSmsAeroRequest(
      { phone: parsePhone('79031234567'), text },
      { ...config, senderName: 'Acme Ltd' }
    );
    expect(JSON.parse(String(request.body))).toEqual({ number: '79031234567', sign: 'Acme Ltd', text });
  });

  it('encodes a non-ASCII login as UTF-8 in the Basic credential', () => {
    const request = buildSmsAeroRequest(
      { phone: parsePhone('79031234567'), text: 'x' },
      { ...config, email: 'админ@пример.рф', apiKey: 'ключ:с:двоеточием' }
    );
    expect(decodeBasic(request.headers.authorization)).toBe('админ@пример.рф:ключ:с:двоеточием');
  });
});

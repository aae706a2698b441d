import { readFileSync } from 'node:fs';

import { parseConfig, parsePhone, providerConfigGuard } from '@sms-suite/sms-kit';
import { Webhook } from 'standardwebhooks';

import { httpSms, type HttpSmsConfig } from './provider';
import { buildHttpSmsBody, buildHttpSmsRequest, type HttpSmsMessage } from './request';

const httpSmsConfigGuard = providerConfigGuard(httpSms);

const endpoint = 'https://sms-gateway.example.com/send?tenant=acme';
const signingSecret = 'whsec_c2lnbmluZy1zZWNyZXQtb2YtdGhlLWdhdGV3YXk=';
const config = (extra: Record<string, unknown> = {}): HttpSmsConfig =>
  parseConfig(httpSmsConfigGuard, { endpoint, ...extra });

const signIn: HttpSmsMessage = {
  data: {
    to: '16502530000',
    type: 'SignIn',
    payload: { code: '123456', locale: 'fr-CA', uiLocales: 'fr-CA fr en' },
    ip: '203.0.113.7',
  },
  phone: parsePhone('16502530000'),
};

describe('buildHttpSmsBody', () => {
  it("keeps Logto's fields first, byte for byte, and appends phoneNumber", () => {
    expect(buildHttpSmsBody(signIn)).toBe(
      '{"to":"16502530000","type":"SignIn","payload":{"code":"123456","locale":"fr-CA","uiLocales":"fr-CA fr en"},"ip":"203.0.113.7","phoneNumber":"+16502530000"}'
    );
  });

  it('appends the rendered message after phoneNumber', () => {
    expect(buildHttpSmsBody({ ...signIn, text: 'Votre code : 123456' })).toBe(
      '{"to":"16502530000","type":"SignIn","payload":{"code":"123456","locale":"fr-CA","uiLocales":"fr-CA fr en"},"ip":"203.0.113.7","phoneNumber":"+16502530000","message":"Votre code : 123456"}'
    );
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('omits ip when it is %s, as the official connector does', (_, ip) => {
    expect(buildHttpSmsBody({ ...signIn, data: { ...signIn.data, ip } })).toBe(
      '{"to":"16502530000","type":"SignIn","payload":{"code":"123456","locale":"fr-CA","uiLocales":"fr-CA fr en"},"phoneNumber":"+16502530000"}'
    );
  });

  it('forwards the payload as Logto passed it (every key, in order, unescaped UTF-8)', () => {
    const body = buildHttpSmsBody({
      data: {
        to: '8613800138000',
        type: 'Generic',
        payload: { code: '000000', note: '验证码 "x"\n', nested: { a: 1 } },
      },
      phone: parsePhone('8613800138000'),
      text: '您的验证码是 000000',
    });
    expect(body).toBe(
      '{"to":"8613800138000","type":"Generic","payload":{"code":"000000","note":"验证码 \\"x\\"\\n","nested":{"a":1}},"phoneNumber":"+8613800138000","message":"您的验证码是 000000"}'
    );
  });

  it('keeps `to` as Logto sent it while phoneNumber is normalized', () => {
    const body = JSON.parse(
      buildHttpSmsBody({
        data: { to: '+44 7700 900123', type: 'Generic', payload: { code: '1' } },
        phone: parsePhone('+44 7700 900123'),
      })
    ) as Record<string, unknown>;
    expect(body).toEqual({
      to: '+44 7700 900123',
      type: 'Generic',
      payload: { code: '1' },
      phoneNumber: '+447700900123',
    });
  });
});

describe('buildHttpSmsRequest', () => {
  it('POSTs JSON to the endpoint as configured, query string included', () => {
    expect(buildHttpSmsRequest(signIn, config())).toEqual({
      method: 'POST',
      url: endpoint,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: buildHttpSmsBody(signIn),
    });
  });

  it('sends authorization unchanged and extra headers with lower-cased names', () => {
    const request = buildHttpSmsRequest(
      signIn,
      config({ authorization: 'Bearer t0ken', headers: { 'X-Api-Key': 'k3y', 'X-Api-Version': 2 } })
    );
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer t0ken',
      'x-api-key': 'k3y',
      'x-api-version': '2',
    });
  });

  it('lets headers override Content-Type and Accept, and carry Authorization', () => {
    const request = buildHttpSmsRequest(
      signIn,
      config({
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          Accept: '*/*',
          Authorization: 'Basic dXNlcjpwYXNz',
        },
      })
    );
    expect(request.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      accept: '*/*',
      authorization: 'Basic dXNlcjpwYXNz',
    });
  });

  it('does not send an empty authorization', () => {
    expect(buildHttpSmsRequest(signIn, config({ authorization: '' })).headers).not.toHaveProperty('authorization');
  });

  it('adds no webhook headers without a signing secret', () => {
    expect(buildHttpSmsRequest(signIn, config({ authorization: 'Bearer x' })).headers).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer x',
    });
  });

  it('signs the exact body per Standard Webhooks (signature equal to the reference library)', () => {
    const request = buildHttpSmsRequest(signIn, config({ signingSecret }), {
      id: 'msg_2hZ0bWr7',
      timestamp: 1_700_000_000,
    });
    const body = buildHttpSmsBody(signIn);
    expect(request.body).toBe(body);
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      'webhook-id': 'msg_2hZ0bWr7',
      'webhook-timestamp': '1700000000',
      'webhook-signature': new Webhook(signingSecret).sign('msg_2hZ0bWr7', new Date(1_700_000_000_000), body),
    });
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('produces a request the reference library verifies, and only for that body and secret', () => {
    const request = buildHttpSmsRequest({ ...signIn, text: 'Code 123456' }, config({ signingSecret }));
    const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = request.headers;
    const received = {
      'webhook-id': id ?? '',
      'webhook-timestamp': timestamp ?? '',
      'webhook-signature': signature ?? '',
    };

    expect(id).toMatch(/^msg_[\w-]+$/);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(new Webhook(signingSecret).verify(request.body ?? '', received)).toEqual(JSON.parse(request.body ?? ''));
    expect(() => new Webhook(signingSecret).verify((request.body ?? '').replace('123456', '654321'), received)).toThrow(
      'No matching signature found'
    );
    expect(() =>
      new Webhook('whsec_b3RoZXItc2VjcmV0LW9mLWFub3RoZXItZ2F0ZXdheQ==').verify(request.body ?? '', received)
    ).toThrow('No matching signature found');
  });

  it('gives every request its own webhook-id', () => {
    const first = buildHttpSmsRequest(signIn, config({ signingSecret }));
    const second = buildHttpSmsRequest(signIn, config({ signingSecret }));
    expect(first.headers['webhook-id']).not.toBe(second.headers['webhook-id']);
  });
});

describe('the request documented in README.md', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```http\n([\s\S]*?)\n```/g)].map((match) => match[1]);

  it('is what the connector sends, signature included (a test vector for gateway authors)', () => {
    const request = buildHttpSmsRequest(
      { ...signIn, text: 'Votre code de connexion : 123456' },
      parseConfig(httpSmsConfigGuard, {
        endpoint: 'https://sms-gateway.example.com/send',
        authorization: 'Bearer <your-token>',
        headers: { 'X-Api-Key': '<key>' },
        signingSecret,
      }),
      { id: 'msg_6c0f4d4e-5d2b-4b1e-9a57-0d1d8a3f52c1', timestamp: 1_767_225_600 }
    );
    const rendered = [
      `${request.method} ${request.url}`,
      ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
      '',
      request.body,
    ].join('\n');

    expect(blocks).toEqual([rendered, rendered]); // English and 简体中文
    expect(readme).toContain(`\`${signingSecret}\``);
  });
});

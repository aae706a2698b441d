import { TemplateType, type CreateConnector, type SmsConnector } from '@logto/connector-kit';
import { notImplemented } from '@sms-suite/sms-kit/testing';

import createConnector from './index';
import { startLocalGateway, type LocalGateway } from '../test/support';

/*
 * Byte compatibility with Logto's official HTTP SMS connector (@logto/connector-http-sms 0.2.1, installed
 * for the benchmarks): both connectors post the same message to one local server, and the bytes are
 * compared. Receivers written for the official connector must keep working unchanged.
 */
const officialPath = '../../../bench/node_modules/@logto/connector-http-sms/lib/index.js';

type Data = Parameters<SmsConnector['sendMessage']>[0];

const messages: Array<[label: string, data: Data, phoneNumber: string]> = [
  [
    'a sign-in with locale, uiLocales and ip',
    {
      to: '16502530000',
      type: TemplateType.SignIn,
      payload: { code: '123456', locale: 'fr-CA', uiLocales: 'fr-CA fr en' },
      ip: '203.0.113.7',
    },
    '+16502530000',
  ],
  [
    'the console test (Generic, 000000, no ip)',
    { to: '8613800138000', type: TemplateType.Generic, payload: { code: '000000' } },
    '+8613800138000',
  ],
  [
    'an empty ip and unusual payload values',
    {
      to: '447700900123',
      type: TemplateType.MfaVerification,
      payload: { code: '0042', locale: 'zh-CN', note: '验证码 "quoted" \\ \n', skipped: undefined },
      ip: '',
    },
    '+447700900123',
  ],
];

describe("byte compatibility with Logto's official connector", () => {
  let gateway: LocalGateway;
  let official: SmsConnector;

  beforeAll(async () => {
    gateway = await startLocalGateway((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"messageId":"m-1"}');
    });
    const module = (await import(officialPath)) as { default: CreateConnector<SmsConnector> };
    official = await module.default({ getConfig: notImplemented });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('loads the official connector it compares against', () => {
    expect(official.metadata.id).toBe('http-sms');
  });

  it.each(messages)(
    '%s: the same body with phoneNumber appended, the same Authorization',
    async (_, data, phoneNumber) => {
      const config = { endpoint: gateway.endpoint, authorization: 'Bearer <your-token>' };
      const ours = await createConnector({ getConfig: notImplemented });
      gateway.received.length = 0;

      await official.sendMessage(data, config);
      await expect(ours.sendMessage(data, config)).resolves.toEqual({ messageId: 'm-1' });

      const [theirs, mine] = gateway.received;
      expect(theirs?.method).toBe('POST');
      expect(mine?.method).toBe('POST');
      expect(mine?.url).toBe(theirs?.url);
      expect(mine?.body).toBe(`${theirs?.body.slice(0, -1)},"phoneNumber":"${phoneNumber}"}`);
      expect(mine?.headers.authorization).toBe(theirs?.headers.authorization);
      expect(mine?.headers['content-type']).toBe(theirs?.headers['content-type']);
    }
  );

  it('appends message after phoneNumber when templates are configured', async () => {
    const [, data, phoneNumber] = messages[0]!;
    const config = { endpoint: gateway.endpoint };
    const ours = await createConnector({ getConfig: notImplemented });
    gateway.received.length = 0;

    await official.sendMessage(data, config);
    await ours.sendMessage(data, {
      ...config,
      templates: [
        { usageType: 'Generic', content: 'Code: {{code}}' },
        { usageType: 'SignIn', locale: 'fr', content: 'Votre code de connexion : {{code}}' },
      ],
    });

    const [theirs, mine] = gateway.received;
    expect(mine?.body).toBe(
      `${theirs?.body.slice(0, -1)},"phoneNumber":"${phoneNumber}","message":"Votre code de connexion : 123456"}`
    );
  });
});

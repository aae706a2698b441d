import { ConnectorErrorCodes, ConnectorType, TemplateType } from '@logto/connector-kit';
import nock from 'nock';
import { z, ZodError } from 'zod';

import { connectorMetadata, defineSmsConnector } from './connector';
import { fail, fieldError, succeed } from './errors';
import type { HttpReply } from './http';
import { toE164 } from './phone';
import { defineProvider } from './provider';
import { notImplemented, rejectionOf as rejection } from '../test/connector-support';

const about = {
  id: 'sms-suite-example',
  target: 'example',
  name: { en: 'Example', 'zh-CN': '示例' },
  description: { en: 'Example', 'zh-CN': '示例' },
};

const prepared: string[] = [];
const fields = { token: z.string().min(4) };

const readReply = (reply: HttpReply) =>
  reply.status === 200
    ? succeed({ messageId: String((reply.json as { id: string }).id) })
    : fail({ kind: 'general', description: reply.text });

const example = defineProvider({
  name: 'Example',
  fields,
  templates: { kind: 'optionalText' },
  secretKeys: ['token'],
  formItems: [],
  defaultRegion: 'GB',
  buildRequest: ({ data, phone }, config) => {
    prepared.push(toE164(phone));
    if (data.payload.code === 'boom') {
      throw new TypeError('cannot read');
    }
    return {
      method: 'POST',
      url: 'https://sms.example.com/send',
      headers: { authorization: `Bearer ${config.token}` },
      body: JSON.stringify({ to: toE164(phone), code: data.payload.code }),
    };
  },
  readReply,
});
const metadata = connectorMetadata(example, about);
const createConnector = defineSmsConnector(example, metadata);

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  prepared.length = 0;
});
afterAll(() => {
  nock.enableNetConnect();
  // nock's hooks on node:http(s) outlive this file in the jest worker; real-socket tests run after it.
  nock.restore();
});

describe('defineSmsConnector', () => {
  it('creates an SMS connector without calling getConfig', async () => {
    let calls = 0;
    const connector = await createConnector({
      getConfig: async () => {
        calls += 1;
        return {};
      },
    });
    expect(connector).toMatchObject({ type: ConnectorType.Sms, metadata });
    expect(connector.configGuard.safeParse({ token: 'abcd', timeout: 10, defaultRegion: 'fr' }).data).toEqual({
      token: 'abcd',
      timeout: 10,
      defaultRegion: 'FR',
    });
    expect(calls).toBe(0);
  });

  it('prefers the config passed by the console over getConfig', async () => {
    nock('https://sms.example.com', { reqheaders: { authorization: 'Bearer console-token' } })
      .post('/send', { to: '+447911123456', code: '000000' })
      .reply(200, { id: 'm1' });
    const connector = await createConnector({ getConfig: notImplemented });
    await expect(
      connector.sendMessage(
        { to: '07911 123456', type: TemplateType.Generic, payload: { code: '000000' } },
        { token: 'console-token' }
      )
    ).resolves.toEqual({ messageId: 'm1' });
  });

  it('reads the stored config with its own id in real flows, and applies its defaultRegion', async () => {
    nock('https://sms.example.com').post('/send', { to: '+16502530000', code: '1' }).reply(200, { id: 'm2' });
    const ids: string[] = [];
    const connector = await createConnector({
      getConfig: async (id) => {
        ids.push(id);
        return { token: 'stored-token', defaultRegion: 'US' };
      },
    });
    await expect(
      connector.sendMessage({ to: '6502530000', type: TemplateType.SignIn, payload: { code: '1' } })
    ).resolves.toEqual({
      messageId: 'm2',
    });
    expect(ids).toEqual(['sms-suite-example']);
  });

  it('rejects an invalid config and an invalid number before any HTTP call', async () => {
    const connector = await createConnector({ getConfig: notImplemented });
    const badConfig = await rejection(
      connector.sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: {} }, { token: 'x' })
    );
    expect(badConfig.code).toBe(ConnectorErrorCodes.InvalidConfig);
    const badNumber = await rejection(
      connector.sendMessage({ to: '12', type: TemplateType.Generic, payload: {} }, { token: 'abcd' })
    );
    expect(badNumber.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(prepared).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });

  it('turns a bug in buildRequest into a readable, redacted general error', async () => {
    const connector = await createConnector({ getConfig: notImplemented });
    const error = await rejection(
      connector.sendMessage(
        { to: '16502530000', type: TemplateType.Generic, payload: { code: 'boom' } },
        { token: 'abcd' }
      )
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription: 'Example connector failed unexpectedly (TypeError: cannot read).',
      provider: 'Example',
    });
  });

  it('redacts secrets and the Authorization value from a failure', async () => {
    nock('https://sms.example.com').post('/send').reply(500, 'echo Bearer s3cret-token s3cret-token');
    const connector = await createConnector({ getConfig: notImplemented });
    const error = await rejection(
      connector.sendMessage(
        { to: '16502530000', type: TemplateType.Generic, payload: { code: '1' } },
        { token: 's3cret-token' }
      )
    );
    // An answered 500 may hide a message that went out: delivery unknown.
    expect(error.data).toEqual({
      errorDescription: 'echo [redacted] [redacted]',
      provider: 'Example',
      delivery: 'unknown',
    });
  });

  it('redacts every wire form of a secret and a request signature a provider quotes, in the description and in a ZodError', async () => {
    const secret = 'my s3cret(1)';
    const signedProvider = defineProvider({
      ...example,
      name: 'Signed',
      buildRequest: ({ phone }, config) => ({
        method: 'POST',
        url: 'https://sms.example.com/send',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          to: toE164(phone),
          secret: config.token,
          Signature: 'c2lnbmF0dXJl+/=',
        }).toString(),
        secrets: ['c2lnbmF0dXJl+/='],
      }),
      readReply: (reply) =>
        reply.status === 401
          ? fail({ kind: 'config', field: 'token', description: `rejected ${reply.text}` })
          : fail({ kind: 'general', description: `echo ${reply.text}` }),
    });
    const signed = defineSmsConnector(signedProvider, metadata);
    const connector = await signed({ getConfig: notImplemented });
    const send = async () =>
      rejection(
        connector.sendMessage(
          { to: '+16502530000', type: TemplateType.Generic, payload: { code: '1' } },
          { token: secret }
        )
      );

    nock('https://sms.example.com')
      .post('/send')
      .reply(
        500,
        (_uri, body) =>
          `${String(body)} Signature c2lnbmF0dXJl%2B%2F%3D does not match; ${Buffer.from(secret).toString('base64')}`
      );
    const general = await send();
    expect(general.data).toEqual({
      errorDescription:
        'echo to=%2B16502530000&secret=[redacted]&Signature=[redacted] Signature [redacted] does not match; [redacted]',
      provider: 'Signed',
      delivery: 'unknown',
    });
    expect(general.message).not.toMatch(/s3cret|c2lnbmF0dXJl/);

    nock('https://sms.example.com')
      .post('/send')
      .reply(401, (_uri, body) => String(body));
    const config = await send();
    expect(config.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(JSON.stringify(config.data)).not.toMatch(/s3cret|c2lnbmF0dXJl/);
    expect(JSON.stringify(config.data)).toContain('rejected to=%2B16502530000&secret=[redacted]&Signature=[redacted]');
  });

  it('redacts a ConnectorError a connector built itself, ZodError messages included', async () => {
    const careless = defineSmsConnector(
      defineProvider({
        ...example,
        name: 'Careless',
        buildRequest: (_message, config) => {
          throw fieldError(ConnectorErrorCodes.InvalidRequestParameters, ['to'], `cannot send with ${config.token}`, {
            echo: [config.token],
          });
        },
      }),
      metadata
    );
    const connector = await careless({ getConfig: notImplemented });
    const error = await rejection(
      connector.sendMessage(
        { to: '+16502530000', type: TemplateType.Generic, payload: { code: '1' } },
        { token: 'leaky-token' }
      )
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.data).toBeInstanceOf(ZodError);
    expect((error.data as ZodError).issues).toEqual([
      { code: 'custom', path: ['to'], message: 'cannot send with [redacted]', params: { echo: ['[redacted]'] } },
    ]);
    expect(error.message).not.toContain('leaky-token');
  });
});

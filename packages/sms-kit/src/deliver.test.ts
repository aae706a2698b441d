import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import nock from 'nock';

import { deliver } from './deliver';
import { fail, succeed } from './errors';

const basic = `Basic ${Buffer.from('user:pa55word-value').toString('base64')}`;
const request = {
  method: 'POST' as const,
  url: 'https://sms.example.com/send',
  headers: { authorization: basic },
  body: 'x',
};

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('deliver', () => {
  it('maps the reply to the result', async () => {
    nock('https://sms.example.com').post('/send', 'x').reply(200, { id: 'm1' });
    await expect(
      deliver(request, { provider: 'Example' }, (reply) => succeed({ messageId: (reply.json as { id: string }).id }))
    ).resolves.toEqual({ messageId: 'm1' });
  });

  it('redacts the Authorization value and the secrets a provider echoes back', async () => {
    nock('https://sms.example.com').post('/send').reply(400, 'bad');
    let caught: unknown;
    try {
      await deliver(request, { provider: 'Example', secrets: ['pa55word-value'] }, () =>
        fail({ kind: 'general', description: `echo: ${basic} / pa55word-value / ${basic.slice(6)}` })
      );
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConnectorError);
    expect((caught as ConnectorError).code).toBe(ConnectorErrorCodes.General);
    expect((caught as ConnectorError).data).toEqual({
      errorDescription: 'echo: [redacted] / [redacted] / [redacted]',
      provider: 'Example',
    });
  });
});

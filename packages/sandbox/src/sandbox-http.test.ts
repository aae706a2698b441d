import { sandboxCredentials } from './credentials';
import { magicNumbers } from './magic';
import { getInbox, httpSmsBody, httpSmsSend, useHarness, wrongSecrets } from './test-support';
import { webhookHeadersFor } from './verify/standard-webhooks';

const harness = useHarness();

const contractError = (code: string) => ({ error: { code, message: expect.any(String) } });

describe("HTTP SMS receiver (the HTTP connector's response contract)", () => {
  it('accepts an authorized, signed message with text: 200 { messageId }, inbox entry with the text', async () => {
    const body = httpSmsBody('+16502530000', { message: 'Votre code est 123456', ip: '203.0.113.7' });
    const reply = await httpSmsSend(harness.sandbox, { body });

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ messageId: expect.stringMatching(/^sandbox-[0-9a-f-]{36}$/) });
    const { messageId } = reply.json as { messageId: string };
    const inbox = await getInbox(harness.sandbox);
    expect(inbox).toEqual([
      {
        id: messageId,
        provider: 'http',
        receivedAt: expect.any(String),
        to: '16502530000',
        text: 'Votre code est 123456',
        raw: body,
      },
    ]);
    expect(harness.messages).toEqual(inbox);
    expect(harness.logs).toEqual([`http       200 ${messageId} accepted for +16502530000`]);
  });

  it('without "message", the inbox shows the usage type and payload the gateway must render', async () => {
    await httpSmsSend(harness.sandbox, { body: httpSmsBody('+8613800138000') });
    expect((await getInbox(harness.sandbox))[0]).toMatchObject({
      to: '8613800138000',
      templateCode: 'Generic',
      templateParams: { code: '123456', locale: 'fr-CA' },
    });
  });

  it.each([
    ['no Authorization header', 'unauthorized', { authorization: null }],
    ['a wrong Authorization header', 'unauthorized', { authorization: wrongSecrets[1] }],
    ['no signature headers', 'missing_signature', { signingSecret: null }],
    [
      'a signature with another secret',
      'invalid_signature',
      { signingSecret: 'whsec_c2FuZGJveC1vdGhlci1zZWNyZXQtMTIzNDU2' },
    ],
    [
      'a timestamp 6 minutes old',
      'timestamp_out_of_range',
      { delivery: { timestamp: Math.floor(Date.now() / 1000) - 360 } },
    ],
    [
      'a timestamp 6 minutes ahead',
      'timestamp_out_of_range',
      { delivery: { timestamp: Math.floor(Date.now() / 1000) + 360 } },
    ],
  ])('answers 401 for %s (%s)', async (_case, code, options) => {
    const reply = await httpSmsSend(harness.sandbox, { body: httpSmsBody('+16502530000'), ...options });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual(contractError(code));
    expect(await getInbox(harness.sandbox)).toEqual([]);
    expect(harness.logs).toEqual([expect.stringMatching(new RegExp(`^http {7}401 ${code} \\(`))]);
  });

  it('answers 401 for a body changed after signing', async () => {
    const signed = JSON.stringify(httpSmsBody('+16502530000'));
    const sent = JSON.stringify(httpSmsBody('+16502530001'));
    const response = await fetch(harness.sandbox.endpointFor('http'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: sandboxCredentials.http.authorization!,
        ...webhookHeadersFor(sandboxCredentials.http.signingSecret!, signed),
      },
      body: sent,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(contractError('invalid_signature'));
  });

  it('answers 401 for a replayed delivery (same webhook-id)', async () => {
    const delivery = { id: 'msg_replayed_once', timestamp: Math.floor(Date.now() / 1000) };
    expect((await httpSmsSend(harness.sandbox, { body: httpSmsBody('+16502530000'), delivery })).status).toBe(200);
    const replay = await httpSmsSend(harness.sandbox, { body: httpSmsBody('+16502530000'), delivery });
    expect(replay.status).toBe(401);
    expect(replay.json).toEqual(contractError('replayed'));
    expect(await getInbox(harness.sandbox)).toHaveLength(1);
  });

  it.each([
    ['a body that is not JSON', 'not json'],
    ['no "to"', JSON.stringify({ type: 'Generic', payload: {} })],
    ['no payload', JSON.stringify({ to: '16502530000', type: 'Generic' })],
    ['a numeric message', JSON.stringify({ to: '16502530000', type: 'Generic', payload: {}, message: 1 })],
  ])('answers 400 invalid_request for %s', async (_case, rawBody) => {
    const reply = await httpSmsSend(harness.sandbox, { body: {}, rawBody });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(contractError('invalid_request'));
  });

  const expected: Record<string, [number, string]> = {
    'rate-limited': [429, 'rate_limited'],
    'invalid-number': [400, 'invalid_recipient'],
    unapproved: [400, 'invalid_config'],
    'insufficient-balance': [422, 'quota_exceeded'],
    'server-error': [500, 'internal_error'],
  };
  it.each(magicNumbers.filter(({ outcome }) => expected[outcome]).map((magic) => [magic.number, magic.outcome]))(
    'magic number %s (%s) answers per the contract',
    async (number, outcome) => {
      const [status, code] = expected[outcome]!;
      const reply = await httpSmsSend(harness.sandbox, { body: httpSmsBody(number) });
      expect(reply.status).toBe(status);
      expect(reply.json).toEqual(contractError(code));
      expect(reply.headers.get('retry-after')).toBe(outcome === 'rate-limited' ? '30' : null);
      expect(await getInbox(harness.sandbox)).toEqual([]);
    }
  );

  it('matches a magic number on "to" when "phoneNumber" is absent (the official connector\'s body)', async () => {
    const reply = await httpSmsSend(harness.sandbox, {
      body: { to: '16505550102', type: 'Generic', payload: { code: '123456' } },
    });
    expect(reply).toMatchObject({ status: 400, json: contractError('invalid_recipient') });
  });

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'non-json').map(({ number }) => [number]))(
    'magic number %s answers 200 with HTML (the contract counts it as sent, without a message id)',
    async (number) => {
      const reply = await httpSmsSend(harness.sandbox, { body: httpSmsBody(number) });
      expect(reply.status).toBe(200);
      expect(reply.json).toBeUndefined();
      expect(await getInbox(harness.sandbox)).toEqual([]);
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'no-reply').map(({ number }) => [number]))(
    'magic number %s never answers',
    async (number) => {
      const body = JSON.stringify(httpSmsBody(number));
      await expect(
        fetch(harness.sandbox.endpointFor('http'), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: sandboxCredentials.http.authorization!,
            ...webhookHeadersFor(sandboxCredentials.http.signingSecret!, body),
          },
          body,
          signal: AbortSignal.timeout(100),
        })
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    }
  );
});

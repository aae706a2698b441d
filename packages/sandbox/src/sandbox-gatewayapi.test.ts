import { sandboxCredentials } from './credentials';
import { magicNumbers } from './magic';
import { basic, gatewayApiSend, getInbox, useHarness, wrongSecrets } from './test-support';

const { apiToken } = sandboxCredentials.gatewayapi as { apiToken: string };

const harness = useHarness();

const message = (msisdn: number | string, extra: Record<string, unknown> = {}) => ({
  sender: 'ExampleCo',
  message: 'Your code is 123456',
  recipients: [{ msisdn }],
  ...extra,
});
const uuid = expect.stringMatching(/^[0-9a-f-]{36}$/);

describe('GatewayAPI /rest/mtsms', () => {
  it('accepts a send: ids and usage, inbox entry with text and sender', async () => {
    const reply = await gatewayApiSend(harness.sandbox, { body: message(4512345678) });

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      ids: [expect.any(Number)],
      usage: { countries: { DK: 1 }, currency: 'EUR', total_cost: 0.045 },
    });
    const [id] = (reply.json as { ids: number[] }).ids;
    const inbox = await getInbox(harness.sandbox);
    expect(inbox).toEqual([
      {
        id: String(id),
        provider: 'gatewayapi',
        receivedAt: expect.any(String),
        to: '4512345678',
        text: 'Your code is 123456',
        sender: 'ExampleCo',
        raw: message(4512345678),
      },
    ]);
    expect(harness.messages).toEqual(inbox);
    expect(harness.logs).toEqual([`gatewayapi 200 ids ${id} for 4512345678`]);
  });

  it('accepts a list of messages, string MSISDNs, the token as query parameter or Token header', async () => {
    const list = [message('16502530000'), message('8613800138000', { message: '验证码 123456', encoding: 'UCS2' })];
    const viaQuery = await gatewayApiSend(harness.sandbox, {
      body: list,
      authorization: null,
      query: `?token=${apiToken}`,
    });
    expect(viaQuery.json).toMatchObject({
      ids: [expect.any(Number), expect.any(Number)],
      usage: { countries: { US: 1, CN: 1 } },
    });
    const viaToken = await gatewayApiSend(harness.sandbox, {
      body: message('16502530000'),
      authorization: `Token ${apiToken}`,
    });
    expect(viaToken.status).toBe(200);
    expect((await getInbox(harness.sandbox)).map(({ to, warnings }) => [to, warnings])).toEqual([
      ['16502530000', undefined],
      ['8613800138000', undefined],
      ['16502530000', undefined],
    ]);
  });

  it('warns in the inbox when non-GSM text is sent without UCS2 (the handset would show "?")', async () => {
    await gatewayApiSend(harness.sandbox, { body: message(8613800138000, { message: '验证码 123456' }) });
    expect((await getInbox(harness.sandbox))[0]?.warnings).toEqual([
      'sent without "encoding": "UCS2": GatewayAPI encodes GSM 03.38 and 验 证 码 cannot be carried (the handset shows "?")',
    ]);
  });

  it.each([
    ['no Authorization', null],
    ['a wrong token', basic(wrongSecrets[0]!, '')],
    ['the token as password', basic('', apiToken)],
  ])('answers 401 / 0x0210 for %s', async (_case, authorization) => {
    const reply = await gatewayApiSend(harness.sandbox, { body: message(4512345678), authorization });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ code: '0x0210', incident_uuid: uuid, message: 'Invalid username or API token' });
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  it.each([
    ['no message', { recipients: [{ msisdn: 4512345678 }] }, 400],
    ['no recipients', { message: 'x', recipients: [] }, 400],
    ['an MSISDN with +', message('+4512345678'), 400],
    ['a duplicate recipient', { message: 'x', recipients: [{ msisdn: 4512345678 }, { msisdn: '4512345678' }] }, 400],
    ['a sender of 12 letters', message(4512345678, { sender: 'ExampleCoLtd' }), 400],
    ['an unknown encoding', message(4512345678, { encoding: 'UTF16' }), 400],
  ])('answers an error for %s', async (_case, body, status) => {
    const reply = await gatewayApiSend(harness.sandbox, { body });
    expect(reply.status).toBe(status);
    expect(reply.json).toMatchObject({ incident_uuid: uuid, message: expect.any(String) });
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  const expected: Record<string, [number, string | undefined]> = {
    'rate-limited': [429, undefined],
    'invalid-number': [400, '0x0214'],
    unapproved: [403, '0x021D'],
    'insufficient-balance': [403, '0x0216'],
    'server-error': [500, undefined],
  };
  it.each(
    magicNumbers
      .filter(({ outcome }) => expected[outcome])
      .map((magic) => [Number(magic.number.slice(1)), magic.outcome])
  )('magic number %s (%s) answers the GatewayAPI error', async (msisdn, outcome) => {
    const [status, code] = expected[outcome]!;
    const reply = await gatewayApiSend(harness.sandbox, { body: message(msisdn) });
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual({
      ...(code && { code }),
      incident_uuid: uuid,
      message: expect.any(String),
      ...(outcome === 'invalid-number' && { variables: [String(msisdn)] }),
    });
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'non-json').map(({ number }) => [number.slice(1)]))(
    'magic number %s answers 200 with HTML',
    async (msisdn) => {
      const reply = await gatewayApiSend(harness.sandbox, { body: message(msisdn) });
      expect(reply.status).toBe(200);
      expect(reply.json).toBeUndefined();
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'no-reply').map(({ number }) => [number.slice(1)]))(
    'magic number %s never answers',
    async (msisdn) => {
      await expect(
        fetch(harness.sandbox.endpointFor('gatewayapi'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basic(apiToken, '') },
          body: JSON.stringify(message(msisdn)),
          signal: AbortSignal.timeout(100),
        })
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    }
  );
});

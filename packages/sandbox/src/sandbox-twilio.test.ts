import { sandboxCredentials } from './credentials';
import { magicNumbers } from './magic';
import { basic, getInbox, messagingServiceSid, twilioSend, useHarness, wrongSecrets } from './test-support';

const { accountSID, authToken } = sandboxCredentials.twilio as { accountSID: string; authToken: string };

const harness = useHarness();

const twilioError = (code: number, status: number) => ({
  code,
  message: expect.any(String),
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

describe('Twilio Messages.json', () => {
  it('accepts a send through a Messaging Service: 201 message resource, inbox entry, log line', async () => {
    const reply = await twilioSend(harness.sandbox, { to: '+16502530000' });

    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('twilio-request-id')).toMatch(/^RQ[0-9a-f]{32}$/);
    const sid = (reply.json as { sid: string }).sid;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(reply.json).toEqual({
      account_sid: accountSID,
      api_version: '2010-04-01',
      body: 'Your verification code is 123456',
      date_created: expect.stringMatching(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
      date_sent: null,
      date_updated: expect.any(String),
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: null,
      messaging_service_sid: messagingServiceSid,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid,
      status: 'accepted',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSID}/Messages/${sid}/Media.json` },
      to: '+16502530000',
      uri: `/2010-04-01/Accounts/${accountSID}/Messages/${sid}.json`,
    });

    const entry = {
      id: sid,
      provider: 'twilio',
      receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      to: '+16502530000',
      text: 'Your verification code is 123456',
      sender: messagingServiceSid,
      raw: {
        To: '+16502530000',
        MessagingServiceSid: messagingServiceSid,
        Body: 'Your verification code is 123456',
        RiskCheck: 'enable',
      },
    };
    expect(await getInbox(harness.sandbox)).toEqual([entry]);
    expect(harness.messages).toEqual([entry]);
    expect(harness.sandbox.inbox).toEqual([entry]);
    expect(harness.logs).toEqual([`twilio     201 ${sid} accepted for +16502530000`]);
  });

  it('accepts a From sender: status queued, from echoed, segments counted (UCS-2 for Chinese)', async () => {
    const body = '您的验证码是 123456。'.repeat(6);
    const reply = await twilioSend(harness.sandbox, { to: '+447700900123', sender: { From: 'AcmeInc' }, body });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      from: 'AcmeInc',
      messaging_service_sid: null,
      status: 'queued',
      num_segments: '2',
    });
    expect((await getInbox(harness.sandbox))[0]).toMatchObject({ sender: 'AcmeInc', text: body });
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong Auth Token', basic(accountSID, wrongSecrets[0]!)],
    ['a wrong Account SID', basic('ACwrong', authToken)],
    ['a Bearer token', `Bearer ${authToken}`],
  ])('answers 401 / 20003 for %s', async (_case, authorization) => {
    const reply = await twilioSend(harness.sandbox, { to: '+16502530000', authorization });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ ...twilioError(20003, 401), message: 'Authenticate' });
    expect(await getInbox(harness.sandbox)).toEqual([]);
    expect(harness.logs[0]).toMatch(/^twilio {5}401 20003 Authenticate \(/);
  });

  it('answers 404 / 20404 when the path holds another account than the credentials', async () => {
    const reply = await twilioSend(harness.sandbox, { to: '+16502530000', accountSid: 'ACother' });
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual(twilioError(20404, 404));
  });

  it.each([
    ['no To', { To: '' }, 400, 21604],
    ['a To without +', { To: '16502530000' }, 400, 21211],
    ['no sender', { MessagingServiceSid: '' }, 400, 21603],
    ['an invalid From', { MessagingServiceSid: '', From: 'Not a valid sender!' }, 400, 21212],
    ['an empty Body', { Body: ' ' }, 400, 21602],
    ['a Body over 1600 characters', { Body: 'x'.repeat(1601) }, 400, 21617],
  ])('refuses %s with Twilio %i / %i', async (_case, extra, status, code) => {
    const reply = await twilioSend(harness.sandbox, { to: '+16502530000', extra });
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual(twilioError(code, status));
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  it('reads form parameters only: a JSON body arrives as no parameters (21604)', async () => {
    const response = await fetch(
      `${harness.sandbox.endpointFor('twilio')}/2010-04-01/Accounts/${accountSID}/Messages.json`,
      {
        method: 'POST',
        headers: { authorization: basic(accountSID, authToken), 'content-type': 'application/json' },
        body: JSON.stringify({ To: '+16502530000', Body: 'x', MessagingServiceSid: messagingServiceSid }),
      }
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 21604 });
  });

  it('answers 405 / 20004 for GET and 404 / 20404 for another resource', async () => {
    const get = await fetch(`${harness.sandbox.endpointFor('twilio')}/2010-04-01/Accounts/${accountSID}/Messages.json`);
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual(twilioError(20004, 405));
    const other = await fetch(`${harness.sandbox.endpointFor('twilio')}/2010-04-01/Accounts/${accountSID}/Calls.json`, {
      method: 'POST',
    });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual(twilioError(20404, 404));
  });

  const expected: Record<string, [number, number]> = {
    'rate-limited': [429, 20429],
    'invalid-number': [400, 21211],
    unapproved: [400, 21606],
    'insufficient-balance': [401, 20005],
    'server-error': [500, 20500],
  };
  it.each(magicNumbers.filter(({ outcome }) => expected[outcome]).map((magic) => [magic.number, magic.outcome, magic]))(
    'magic number %s (%s) answers the real Twilio error',
    async (_number, outcome, magic) => {
      const [status, code] = expected[outcome]!;
      const reply = await twilioSend(harness.sandbox, { to: magic.number });
      expect(reply.status).toBe(status);
      expect(reply.json).toEqual(twilioError(code, status));
      expect(await getInbox(harness.sandbox)).toEqual([]);
      expect(harness.logs).toEqual([
        expect.stringContaining(`magic number ${magic.number} (${outcome}): ${status} ${code}`),
      ]);
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'non-json').map(({ number }) => [number]))(
    'magic number %s answers HTTP 200 with an HTML page',
    async (number) => {
      const reply = await twilioSend(harness.sandbox, { to: number });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(reply.json).toBeUndefined();
      expect(reply.text).toContain('<html>');
      expect(await getInbox(harness.sandbox)).toEqual([]);
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'no-reply').map(({ number }) => [number]))(
    'magic number %s never answers: the client gives up',
    async (number) => {
      await expect(
        fetch(`${harness.sandbox.endpointFor('twilio')}/2010-04-01/Accounts/${accountSID}/Messages.json`, {
          method: 'POST',
          headers: { authorization: basic(accountSID, authToken), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ To: number, MessagingServiceSid: messagingServiceSid, Body: 'x' }).toString(),
          signal: AbortSignal.timeout(100),
        })
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(await getInbox(harness.sandbox)).toEqual([]);
    }
  );

  it('checks credentials before magic numbers', async () => {
    const reply = await twilioSend(harness.sandbox, { to: magicNumbers[0]!.number, authorization: null });
    expect(reply.status).toBe(401);
  });
});

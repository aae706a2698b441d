import { sandboxCredentials } from './credentials';
import { magicNumbers } from './magic';
import { basic, getInbox, smsAeroSend, useHarness, wrongSecrets } from './test-support';

const { email, apiKey } = sandboxCredentials.smsaero as { email: string; apiKey: string };

const harness = useHarness();

const body = (number: string) => ({ number, sign: 'SMS Aero', text: 'Ваш код 123456' });

describe('SMSAero sms/send', () => {
  it('accepts a send: success true, data.id, inbox entry with the text and sign', async () => {
    const reply = await smsAeroSend(harness.sandbox, { body: body('79031234567') });

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      success: true,
      data: {
        id: expect.any(Number),
        from: 'SMS Aero',
        number: '79031234567',
        text: 'Ваш код 123456',
        status: 0,
        extendStatus: 'queue',
        channel: 'FREE SIGN',
        cost: 5.49,
        dateCreate: expect.any(Number),
        dateSend: expect.any(Number),
      },
      message: null,
    });
    const { id } = (reply.json as { data: { id: number } }).data;
    const inbox = await getInbox(harness.sandbox);
    expect(inbox).toEqual([
      {
        id: String(id),
        provider: 'smsaero',
        receivedAt: expect.any(String),
        to: '79031234567',
        text: 'Ваш код 123456',
        sender: 'SMS Aero',
        raw: body('79031234567'),
      },
    ]);
    expect(harness.messages).toEqual(inbox);
    expect(harness.logs).toEqual([`smsaero    200 ${id} for 79031234567`]);
  });

  it('accepts an integer number and gives each send a new id', async () => {
    const first = await smsAeroSend(harness.sandbox, { body: { ...body('x'), number: 79031234567 } });
    const second = await smsAeroSend(harness.sandbox, { body: body('79031234567') });
    const idOf = (reply: typeof first) => (reply.json as { data: { id: number } }).data.id;
    expect(idOf(second)).toBe(idOf(first) + 1);
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong apiKey', basic(email, wrongSecrets[0]!)],
    ['a wrong email', basic('other@example.com', apiKey)],
  ])('answers 401 for %s', async (_case, authorization) => {
    const reply = await smsAeroSend(harness.sandbox, { body: body('79031234567'), authorization });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      success: false,
      data: null,
      message: 'Your request was made with invalid credentials.',
    });
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  it.each([
    ['no number', { sign: 'SMS Aero', text: 'x' }, { number: ['Number cannot be blank.'] }],
    ['a number with +', { ...body('+79031234567') }, { number: ['Invalid phone number.'] }],
    [
      'no sign and no text',
      { number: '79031234567' },
      { sign: ['Sign cannot be blank.'], text: ['Text cannot be blank.'] },
    ],
  ])('answers 400 Validation error for %s', async (_case, request, data) => {
    const reply = await smsAeroSend(harness.sandbox, { body: request });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ success: false, data, message: 'Validation error.' });
  });

  const expected: Record<string, [number, unknown]> = {
    'rate-limited': [429, { success: false, data: null, message: 'Too Many Requests' }],
    'invalid-number': [
      400,
      { success: false, data: { number: ['Invalid phone number.'] }, message: 'Validation error.' },
    ],
    unapproved: [400, { success: false, data: { sign: ['Sign is not approved.'] }, message: 'Validation error.' }],
    'insufficient-balance': [400, { success: false, data: null, message: 'no credits' }],
    'server-error': [500, { success: false, data: null, message: 'Internal Server Error' }],
  };
  it.each(
    magicNumbers.filter(({ outcome }) => expected[outcome]).map((magic) => [magic.number.slice(1), magic.outcome])
  )('magic number %s (%s) answers the SMSAero failure', async (number, outcome) => {
    const [status, json] = expected[outcome]!;
    const reply = await smsAeroSend(harness.sandbox, { body: body(number) });
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual(json);
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'non-json').map(({ number }) => [number.slice(1)]))(
    'magic number %s answers 200 with HTML',
    async (number) => {
      const reply = await smsAeroSend(harness.sandbox, { body: body(number) });
      expect(reply.status).toBe(200);
      expect(reply.json).toBeUndefined();
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'no-reply').map(({ number }) => [number.slice(1)]))(
    'magic number %s never answers',
    async (number) => {
      await expect(
        fetch(`${harness.sandbox.endpointFor('smsaero')}/sms/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basic(email, apiKey) },
          body: JSON.stringify(body(number)),
          signal: AbortSignal.timeout(100),
        })
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    }
  );
});

import { sandboxCredentials } from './credentials';
import { magicNumbers } from './magic';
import { basic, getInbox, useHarness, vonageFields, vonageSend, wrongSecrets } from './test-support';

const { apiKey, apiSecret } = sandboxCredentials.vonage as { apiKey: string; apiSecret: string };

const harness = useHarness();

const failure = (status: string, errorText: string) => ({
  'message-count': '1',
  messages: [{ status, 'error-text': errorText }],
});

describe('Vonage sms/json', () => {
  it('accepts a form send: status "0", message-id; the inbox has the text, api_key and api_secret removed from raw', async () => {
    const reply = await vonageSend(harness.sandbox, vonageFields('447700900123'));

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      'message-count': '1',
      messages: [
        {
          to: '447700900123',
          'message-id': expect.stringMatching(/^[0-9A-F]{16}$/),
          status: '0',
          'remaining-balance': '15.50260000',
          'message-price': '0.03330000',
          network: '00101',
        },
      ],
    });
    const id = (reply.json as { messages: Array<{ 'message-id': string }> }).messages[0]!['message-id'];
    const inbox = await getInbox(harness.sandbox);
    expect(inbox).toEqual([
      {
        id,
        provider: 'vonage',
        receivedAt: expect.any(String),
        to: '447700900123',
        text: 'Your verification code is 123456',
        sender: 'AcmeInc',
        // The Vonage connector keeps apiKey out of its errors too, so the sandbox does the same.
        raw: { ...vonageFields('447700900123'), api_key: '[redacted]', api_secret: '[redacted]' },
      },
    ]);
    expect(harness.messages).toEqual(inbox);
    expect(harness.logs).toEqual([`vonage     200 ${id} for 447700900123`]);
  });

  it('accepts JSON with Basic auth (what the Vonage SDK sends) and splits a long unicode text into parts', async () => {
    const text = '您的验证码是 123456。'.repeat(7);
    const reply = await vonageSend(
      harness.sandbox,
      { from: 'AcmeInc', to: '8613800138000', text, type: 'unicode', 'client-ref': 'ref-1' },
      { json: true, authorization: basic(apiKey, apiSecret) }
    );
    expect(reply.json).toMatchObject({
      'message-count': '2',
      messages: [
        { status: '0', 'client-ref': 'ref-1' },
        { status: '0', 'client-ref': 'ref-1' },
      ],
    });
    const [entry] = await getInbox(harness.sandbox);
    expect(entry).toMatchObject({ to: '8613800138000', text });
    expect(entry?.warnings).toBeUndefined();
  });

  it('warns in the inbox when non-GSM text is sent as type text', async () => {
    await vonageSend(harness.sandbox, vonageFields('79031234567', { text: 'Ваш код 123456' }));
    expect((await getInbox(harness.sandbox))[0]?.warnings).toEqual([
      'sent as type "text": В а ш к о д cannot be carried by GSM-7 (the handset shows "?"); use type "unicode"',
    ]);
  });

  it('never shows the api_secret a request carried, even inside the text', async () => {
    await vonageSend(harness.sandbox, vonageFields('447700900123', { text: `leaked ${apiSecret} here` }));
    const [entry] = await getInbox(harness.sandbox);
    expect(entry?.text).toBe('leaked [redacted] here');
    expect(entry?.raw).toMatchObject({ api_secret: '[redacted]', text: 'leaked [redacted] here' });
  });

  it.each([
    ['no api_key', '2', 'Missing api_key', { api_key: '' }],
    ['no api_secret', '2', 'Missing api_secret', { api_secret: '' }],
    ['a wrong api_secret', '4', 'Bad Credentials', { api_secret: wrongSecrets[0]! }],
    ['a wrong api_key', '4', 'Bad Credentials', { api_key: 'otherkey' }],
    ['a signed request', '14', 'Invalid Signature', { api_secret: '', sig: 'abc' }],
    ['no from', '2', 'Missing from param', { from: '' }],
    ['no to', '2', 'Missing to param', { to: '' }],
    ['no text', '2', 'Missing text param', { text: '' }],
    ['a to with +', '3', 'Invalid to address', { to: '+447700900123' }],
    ['a from of 12 letters', '15', 'Illegal Sender Address - rejected', { from: 'AcmeIncLtdCo' }],
  ])('answers HTTP 200 with status for %s (%s %s)', async (_case, status, errorText, change) => {
    const fields = Object.fromEntries(
      Object.entries({ ...vonageFields('447700900123'), ...change }).filter(([, value]) => value !== '')
    );
    const reply = await vonageSend(harness.sandbox, fields);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(failure(status, errorText));
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  const expected: Record<string, [number, string, string]> = {
    'rate-limited': [200, '1', 'Throttled'],
    'invalid-number': [200, '3', 'Invalid to address'],
    unapproved: [200, '15', 'Illegal Sender Address - rejected'],
    'insufficient-balance': [200, '9', 'Quota Exceeded - rejected'],
    'server-error': [500, '5', 'Internal Error'],
  };
  it.each(
    magicNumbers.filter(({ outcome }) => expected[outcome]).map((magic) => [magic.number.slice(1), magic.outcome])
  )('magic number %s (%s) answers the Vonage status', async (to, outcome) => {
    const [httpStatus, status, errorText] = expected[outcome]!;
    const reply = await vonageSend(harness.sandbox, vonageFields(to));
    expect(reply.status).toBe(httpStatus);
    expect(reply.json).toEqual(failure(status, errorText));
    expect(await getInbox(harness.sandbox)).toEqual([]);
  });

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'non-json').map(({ number }) => [number.slice(1)]))(
    'magic number %s answers 200 with HTML',
    async (to) => {
      const reply = await vonageSend(harness.sandbox, vonageFields(to));
      expect(reply.status).toBe(200);
      expect(reply.json).toBeUndefined();
    }
  );

  it.each(magicNumbers.filter(({ outcome }) => outcome === 'no-reply').map(({ number }) => [number.slice(1)]))(
    'magic number %s never answers',
    async (to) => {
      await expect(
        fetch(`${harness.sandbox.endpointFor('vonage')}/sms/json`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(vonageFields(to)).toString(),
          signal: AbortSignal.timeout(100),
        })
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    }
  );
});

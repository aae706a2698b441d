import type { FailureKind } from '@sms-suite/sms-kit';
import { httpReply } from '@sms-suite/sms-kit/testing';

import { readSmsAeroReply, smsAeroLegacyResults, smsAeroStatusRules, smsAeroTextRules } from './reply';

const json = (value: unknown) => JSON.stringify(value);

const refusal = (message: string | null, data: unknown = null) => json({ success: false, data, message });

const accepted = json({
  success: true,
  data: {
    id: 12345,
    from: 'SMS Aero',
    number: '79031234567',
    text: 'Your code is 123456',
    status: 0,
    extendStatus: 'queue',
    channel: 'FREE SIGN',
    cost: 5.49,
    dateCreate: 1719119523,
    dateSend: 1719119523,
  },
  message: null,
});

describe('readSmsAeroReply: success', () => {
  it('resolves with the message id of a documented success body', () => {
    expect(readSmsAeroReply(httpReply(200, accepted))).toEqual({ ok: true, result: { messageId: '12345' } });
  });

  it.each([
    [json({ success: true, data: { id: 'a1b2' }, message: null }), 'a1b2'],
    [json({ success: true, data: { id: 0 } }), '0'],
    [json({ success: true, data: { id: 987654321 } }), '987654321'],
  ])('reads the id of %s as the string %j', (text, messageId) => {
    expect(readSmsAeroReply(httpReply(200, text))).toEqual({ ok: true, result: { messageId } });
  });
});

type Row = [
  name: string,
  status: number,
  body: string,
  kind: FailureKind,
  field: string | undefined,
  description: string,
];

const rows: Row[] = [
  // Status rules: the status decides, the provider text is kept.
  [
    '401 with the provider message',
    401,
    refusal('Your request was made with invalid credentials.'),
    'config',
    'apiKey',
    'SMSAero answered HTTP 401: Your request was made with invalid credentials. Check "email" and "apiKey" (Settings → API and SMPP in your SMSAero account).',
  ],
  [
    '401 without a JSON body',
    401,
    'Unauthorized',
    'config',
    'apiKey',
    'SMSAero answered HTTP 401: Unauthorized. Check "email" and "apiKey"',
  ],
  [
    '402',
    402,
    refusal('Payment required'),
    'usageLimit',
    undefined,
    'SMSAero answered HTTP 402: Payment required. Top up the balance',
  ],
  [
    '403',
    403,
    refusal('Forbidden'),
    'config',
    'apiKey',
    'SMSAero answered HTTP 403: Forbidden. SMSAero refused these credentials',
  ],
  [
    '429 with a message',
    429,
    refusal('Too Many Requests'),
    'rateLimit',
    undefined,
    'SMSAero answered HTTP 429: Too Many Requests. SMSAero is throttling',
  ],
  ['429 with an empty body', 429, '', 'rateLimit', undefined, 'SMSAero answered HTTP 429: (empty body).'],
  ['401 even when the text names the number', 401, refusal('Invalid number'), 'config', 'apiKey', 'Invalid number'],
  // Validation errors: what they name decides.
  [
    'a bare validation error',
    400,
    refusal('Validation error.'),
    'general',
    undefined,
    'SMSAero answered HTTP 400: Validation error.',
  ],
  [
    'a validation error on the number field',
    400,
    refusal('Validation error.', { number: ['Incorrect number.'] }),
    'recipient',
    undefined,
    'SMSAero answered HTTP 400: Validation error. — number: Incorrect number.',
  ],
  ['a message naming the phone', 400, refusal('Invalid phone number'), 'recipient', undefined, 'Invalid phone number'],
  [
    'a Russian message naming the number',
    400,
    refusal('Неверный номер телефона'),
    'recipient',
    undefined,
    'Неверный номер телефона',
  ],
  [
    'a validation error on the sign field',
    400,
    refusal('Validation error.', { sign: ['Sign is not approved.', 'Use an approved sign.'] }),
    'config',
    'senderName',
    'Validation error. — sign: Sign is not approved., Use an approved sign. Use a sender name approved in your SMSAero account.',
  ],
  [
    'a Russian message naming the sender',
    400,
    refusal('Подпись не найдена'),
    'config',
    'senderName',
    'Подпись не найдена',
  ],
  [
    'insufficient balance',
    400,
    refusal('Insufficient balance'),
    'usageLimit',
    undefined,
    'Insufficient balance. Top up the balance',
  ],
  ['no credits in message', 400, refusal('No credits'), 'usageLimit', undefined, 'No credits. Top up'],
  [
    'недостаточно средств',
    400,
    refusal('Недостаточно средств на балансе'),
    'usageLimit',
    undefined,
    'Недостаточно средств на балансе',
  ],
  [
    'a rate-limit text on a 400',
    400,
    refusal('Rate limit reached, slow down'),
    'rateLimit',
    undefined,
    'Rate limit reached',
  ],
  [
    'an unknown refusal',
    400,
    refusal('Text contains forbidden words'),
    'general',
    undefined,
    'SMSAero answered HTTP 400: Text contains forbidden words',
  ],
  [
    'a refusal without message or data',
    400,
    refusal(null),
    'general',
    undefined,
    'SMSAero answered HTTP 400: {"success":false,"data":null,"message":null}',
  ],
  [
    'a 404 page',
    404,
    '<html><body>Not Found</body></html>',
    'general',
    undefined,
    'SMSAero answered HTTP 404: <html><body>Not Found</body></html>',
  ],
  // Server errors are never blamed on the number.
  [
    '500 naming the number',
    500,
    refusal('Invalid number'),
    'general',
    undefined,
    'SMSAero answered HTTP 500: Invalid number',
  ],
  [
    '502 HTML',
    502,
    '<html>\n  Bad   Gateway\n</html>',
    'general',
    undefined,
    'SMSAero answered HTTP 502: <html> Bad Gateway </html>',
  ],
  // Legacy `result` bodies, whatever the status.
  [
    'legacy no credits (200)',
    200,
    json({ result: 'no credits' }),
    'usageLimit',
    undefined,
    'SMSAero answered "no credits". Top up the balance',
  ],
  [
    'legacy no credits (400)',
    400,
    json({ result: 'no credits' }),
    'usageLimit',
    undefined,
    'SMSAero answered "no credits".',
  ],
  [
    'legacy reject',
    200,
    json({ result: 'reject', reason: 'Sender name is blocked by the operator' }),
    'general',
    undefined,
    'SMSAero answered "reject": Sender name is blocked by the operator',
  ],
  [
    'legacy reject without a reason',
    200,
    json({ result: 'reject' }),
    'general',
    undefined,
    'SMSAero answered "reject"',
  ],
  // A 2xx is a success only with `success: true` and an id.
  [
    '200 with success: false and a number message',
    200,
    refusal('Number is in the blacklist'),
    'recipient',
    undefined,
    'SMSAero refused the message (HTTP 200): Number is in the blacklist',
  ],
  [
    '200 with success: false',
    200,
    refusal('Service is paused'),
    'general',
    undefined,
    'SMSAero refused the message (HTTP 200): Service is paused',
  ],
  [
    '200 with success: true and no data',
    200,
    json({ success: true, data: null }),
    'invalidResponse',
    undefined,
    'SMSAero reported success without a message id (HTTP 200)',
  ],
  [
    '200 with success: true and no id',
    200,
    json({ success: true, data: {} }),
    'invalidResponse',
    undefined,
    'without a message id',
  ],
  [
    '200 with an empty id',
    200,
    json({ success: true, data: { id: ' ' } }),
    'invalidResponse',
    undefined,
    'without a message id',
  ],
  [
    '200 with success: "true"',
    200,
    json({ success: 'true', data: { id: 1 } }),
    'invalidResponse',
    undefined,
    'SMSAero answered HTTP 200 without "success": true',
  ],
  [
    '200 with an unrelated JSON body',
    200,
    json({ ok: 1 }),
    'invalidResponse',
    undefined,
    'without "success": true: {"ok":1}',
  ],
  [
    '200 with an unknown legacy result',
    200,
    json({ result: 'accepted' }),
    'invalidResponse',
    undefined,
    'without "success": true',
  ],
  ['200 with a JSON array', 200, json([1, 2]), 'invalidResponse', undefined, 'without "success": true: [1,2]'],
  [
    '200 with HTML',
    200,
    '<html>OK</html>',
    'invalidResponse',
    undefined,
    'SMSAero answered HTTP 200 without "success": true: <html>OK</html>',
  ],
  ['200 with an empty body', 200, '', 'invalidResponse', undefined, '(empty body)'],
  ['201 with success: true but no id', 201, json({ success: true }), 'invalidResponse', undefined, 'HTTP 201'],
];

describe('readSmsAeroReply: failures', () => {
  it.each(rows)('%s → %s', (_name, status, body, kind, field, description) => {
    const outcome = readSmsAeroReply(httpReply(status, body));
    if (outcome.ok) {
      throw new Error(`expected a failure, got ${JSON.stringify(outcome.result)}`);
    }
    expect(outcome.failure.kind).toBe(kind);
    expect(outcome.failure.field).toBe(field);
    expect(outcome.failure.httpStatus).toBe(status);
    expect(outcome.failure.description).toContain(description);
  });

  it('keeps the legacy result as the provider code', () => {
    const outcome = readSmsAeroReply(httpReply(200, json({ result: 'no credits' })));
    expect(outcome).toEqual({
      ok: false,
      failure: {
        kind: 'usageLimit',
        field: undefined,
        description: 'SMSAero answered "no credits". Top up the balance of your SMSAero account.',
        providerCode: 'no credits',
        httpStatus: 200,
      },
    });
  });

  it('cuts a long reply body to an excerpt', () => {
    const outcome = readSmsAeroReply(httpReply(503, 'x'.repeat(5000)));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.failure.description.length).toBeLessThan(400);
  });
});

describe('rule tables', () => {
  it.each(Object.entries(smsAeroStatusRules))(
    'HTTP %s maps as its status rule says, whatever the text',
    (status, rule) => {
      const outcome = readSmsAeroReply(
        httpReply(Number(status), refusal('Validation error.', { text: ['Too long.'] }))
      );
      expect(outcome).toMatchObject({ ok: false, failure: { kind: rule.kind, field: rule.field } });
    }
  );

  const samples: Record<string, string> = {
    usageLimit: 'not enough money on the account',
    config: 'Sender is not allowed',
    recipient: 'numbers: must be digits',
    rateLimit: 'too many requests from this account',
  };
  it.each(smsAeroTextRules.map((rule) => [rule.kind, rule] as const))(
    'the %s text rule applies to HTTP 400 and to a 2xx refusal',
    (kind, rule) => {
      const sample = samples[kind] ?? '';
      expect(rule.pattern.test(sample)).toBe(true);
      for (const status of [400, 200]) {
        expect(readSmsAeroReply(httpReply(status, refusal(sample)))).toMatchObject({
          ok: false,
          failure: { kind: rule.kind, field: rule.field },
        });
      }
    }
  );

  it.each(Object.entries(smsAeroLegacyResults))('legacy result %j maps as its rule says', (result, rule) => {
    expect(readSmsAeroReply(httpReply(200, json({ result, reason: 'why' })))).toMatchObject({
      ok: false,
      failure: { kind: rule.kind, providerCode: result },
    });
  });
});

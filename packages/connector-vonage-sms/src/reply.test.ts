import type { HttpReply } from '@sms-suite/sms-kit';
import { failureOf, httpReply } from '@sms-suite/sms-kit/testing';

import { readVonageReply, vonageStatusCodes } from './reply';

const accepted = (id: string) => ({
  to: '447911123456',
  'message-id': id,
  status: '0',
  'remaining-balance': '15.53590000',
  'message-price': '0.03330000',
  network: '23410',
});

const rejected = (status: string, errorText: string) => ({ to: '447911123456', status, 'error-text': errorText });

const vonageFailure = (reply: HttpReply) => failureOf(readVonageReply(reply));

describe('readVonageReply: success', () => {
  it('resolves a one-part message with its message-id', () => {
    expect(readVonageReply(httpReply(200, { 'message-count': '1', messages: [accepted('0C000000217B7F02')] }))).toEqual(
      {
        ok: true,
        result: { messageId: '0C000000217B7F02' },
      }
    );
  });

  it('resolves a multi-part message with the id of the first part when every part is accepted', () => {
    expect(
      readVonageReply(
        httpReply(200, { 'message-count': '2', messages: [accepted('0C00000001'), accepted('0C00000002')] })
      )
    ).toEqual({ ok: true, result: { messageId: '0C00000001' } });
  });
});

describe('readVonageReply: statuses', () => {
  it.each([
    ['1', 'Throttled', 'rateLimit', undefined],
    ['2', 'Missing from param', 'general', undefined],
    ['3', 'Invalid to param', 'recipient', undefined],
    ['4', 'Bad Credentials', 'config', 'apiSecret'],
    ['5', 'Internal Error', 'general', undefined],
    ['6', 'Unroutable message - rejected', 'recipient', undefined],
    ['7', 'Number barred', 'recipient', undefined],
    ['8', 'Partner account barred', 'config', 'apiKey'],
    ['9', 'Partner quota exceeded', 'usageLimit', undefined],
    ['10', 'Too many existing binds', 'general', undefined],
    ['11', 'Account not enabled for HTTP', 'config', 'apiKey'],
    ['12', 'Message too long', 'config', 'templates'],
    ['14', 'Invalid Signature', 'config', 'apiSecret'],
    ['15', 'Illegal Sender Address - rejected', 'config', 'brandName'],
    ['22', 'Invalid network code', 'recipient', undefined],
    ['23', 'Invalid callback url', 'general', undefined],
    ['29', 'Non White-listed Destination - rejected', 'config', 'apiKey'],
    ['32', 'Signature And API Secret Disallowed', 'config', 'apiSecret'],
    ['33', 'Number De-activated', 'recipient', undefined],
    ['99', 'Something new', 'general', undefined],
  ])('maps status %s (%s) to %s, field %s, keeping the error-text', (status, errorText, kind, field) => {
    const failure = vonageFailure(httpReply(200, { 'message-count': '1', messages: [rejected(status, errorText)] }));
    expect(failure).toMatchObject({ kind, providerCode: status, httpStatus: 200 });
    expect(failure.field).toBe(field);
    expect(failure.description.startsWith(`Vonage status ${status}: ${errorText}.`)).toBe(true);
  });

  it('covers every status of the table', () => {
    expect(
      Object.keys(vonageStatusCodes)
        .map(Number)
        .sort((a, b) => a - b)
    ).toEqual([1, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15, 22, 29, 32, 33]);
  });

  it('writes the whole description an admin reads', () => {
    expect(
      vonageFailure(httpReply(200, { messages: [rejected('29', 'Non White-listed Destination - rejected')] }))
        .description
    ).toBe(
      'Vonage status 29: Non White-listed Destination - rejected. A trial account can only send to its test numbers: add the number in the Vonage dashboard, or upgrade the account.'
    );
    expect(vonageFailure(httpReply(200, { messages: [rejected('4', 'Bad Credentials.')] })).description).toBe(
      'Vonage status 4: Bad Credentials. Check apiKey and apiSecret (Vonage API Dashboard).'
    );
    expect(vonageFailure(httpReply(200, { messages: [{ status: '5' }] })).description).toBe(
      'Vonage status 5: no error text.'
    );
  });

  it('accepts a numeric status like a string one', () => {
    expect(vonageFailure(httpReply(200, { messages: [{ status: 1, 'error-text': 'Throttled' }] }))).toMatchObject({
      kind: 'rateLimit',
      providerCode: '1',
    });
    expect(readVonageReply(httpReply(200, { messages: [{ status: 0, 'message-id': 'X1' }] }))).toEqual({
      ok: true,
      result: { messageId: 'X1' },
    });
  });
});

describe('readVonageReply: multi-part messages', () => {
  it('fails when a later part failed, naming the part and the parts already accepted', () => {
    const failure = vonageFailure(
      httpReply(200, {
        'message-count': '3',
        messages: [accepted('0C01'), accepted('0C02'), rejected('9', 'Partner quota exceeded')],
      })
    );
    // Two parts may reach the phone: the message is not certainly undelivered (no failover, the count stays).
    expect(failure).toMatchObject({ kind: 'usageLimit', providerCode: '9', delivery: 'unknown' });
    expect(failure.description).toBe(
      'Vonage status 9 (part 3 of 3): Partner quota exceeded. 2 of 3 parts were accepted, so the recipient may get an incomplete message. Top up the Vonage account.'
    );
  });

  it('reports the first failed part when several failed', () => {
    const failure = vonageFailure(
      httpReply(200, { messages: [rejected('1', 'Throttled'), rejected('9', 'Partner quota exceeded')] })
    );
    expect(failure).toMatchObject({ kind: 'rateLimit', providerCode: '1' });
    expect(failure.delivery).toBeUndefined();
    expect(failure.description).toBe('Vonage status 1 (part 1 of 2): Throttled.');
  });

  it('fails when the first part failed and a later one was accepted', () => {
    expect(
      vonageFailure(httpReply(200, { messages: [rejected('3', 'Invalid to param'), accepted('0C02')] }))
    ).toMatchObject({
      kind: 'recipient',
      providerCode: '3',
      delivery: 'unknown',
    });
  });
});

describe('readVonageReply: unreadable replies', () => {
  it.each([
    [
      'an HTML page',
      '<html><body>Maintenance</body></html>',
      'without any message status: <html><body>Maintenance</body></html>',
    ],
    ['an empty body', '', 'without any message status: (empty body)'],
    ['no messages', { 'message-count': '0' }, 'without any message status: {"message-count":"0"}'],
    ['an empty messages list', { messages: [] }, 'without any message status: {"messages":[]}'],
    ['messages not a list', { messages: 'x' }, 'without any message status: {"messages":"x"}'],
    [
      'a part without status',
      { messages: [{ 'message-id': 'X' }] },
      'with a message part that has no status: {"messages":[{"message-id":"X"}]}',
    ],
    [
      'a part that is not an object',
      { messages: [null] },
      'with a message part that has no status: {"messages":[null]}',
    ],
    [
      'status 0 without message-id',
      { messages: [{ status: '0' }] },
      'with status 0 but no message-id: {"messages":[{"status":"0"}]}',
    ],
    [
      'status 0 with an empty message-id',
      { messages: [{ status: '0', 'message-id': '' }] },
      'with status 0 but no message-id: {"messages":[{"status":"0","message-id":""}]}',
    ],
  ])('reports HTTP 200 with %s as invalid_response', (_name, body, description) => {
    expect(vonageFailure(httpReply(200, body))).toEqual({
      kind: 'invalidResponse',
      description: `Vonage answered HTTP 200 ${description}`,
      httpStatus: 200,
    });
  });
});

describe('readVonageReply: HTTP errors', () => {
  it.each([
    [
      401,
      '{"type":"https://developer.nexmo.com/api-errors#unauthorized","title":"Unauthorized"}',
      'config',
      'apiSecret',
    ],
    [403, 'Forbidden', 'config', 'apiSecret'],
    [429, 'Too Many Requests', 'rateLimit', undefined],
    [500, '<html>Internal Server Error</html>', 'general', undefined],
    [503, '', 'general', undefined],
    [404, 'Not Found', 'general', undefined],
  ])('maps HTTP %i to %s', (status, body, kind, field) => {
    const failure = vonageFailure(httpReply(status, body));
    expect(failure).toMatchObject({ kind, httpStatus: status });
    expect(failure.field).toBe(field);
    expect(failure.description.startsWith(`Vonage answered HTTP ${status}: ${body || '(empty body)'}`)).toBe(true);
  });
});

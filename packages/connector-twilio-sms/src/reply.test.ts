import type { FailureKind } from '@sms-suite/sms-kit';
import { httpReply } from '@sms-suite/sms-kit/testing';

import { readTwilioReply, twilioErrorCodes } from './reply';

const twilioError = (code: number, status = 400) =>
  httpReply(status, {
    code,
    message: `message for ${code}`,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });

describe('readTwilioReply', () => {
  it('resolves a 201 with the message sid', () => {
    expect(readTwilioReply(httpReply(201, { sid: 'SM123', status: 'queued' }))).toEqual({
      ok: true,
      result: { messageId: 'SM123' },
    });
    expect(readTwilioReply(httpReply(201, { sid: 'SM124', status: 'accepted' }))).toEqual({
      ok: true,
      result: { messageId: 'SM124' },
    });
  });

  it.each<[number, FailureKind, string | undefined, { fraudBlock?: true }]>([
    [21211, 'recipient', undefined, {}],
    [21614, 'recipient', undefined, {}],
    [21612, 'recipient', undefined, {}],
    [21408, 'recipient', undefined, {}],
    [21610, 'recipient', undefined, {}],
    [21608, 'recipient', undefined, {}],
    [20003, 'config', 'authToken', {}],
    [21606, 'config', 'fromMessagingServiceSID', {}],
    [21212, 'config', 'fromMessagingServiceSID', {}],
    [21603, 'config', 'fromMessagingServiceSID', {}],
    [20429, 'rateLimit', undefined, {}],
    [30450, 'recipient', undefined, { fraudBlock: true }],
    [60410, 'recipient', undefined, { fraudBlock: true }],
    [30001, 'general', undefined, {}],
    [21617, 'general', undefined, {}],
  ])('maps error %i to %s (field %s) %j', (code, kind, field, fraud) => {
    expect(readTwilioReply(twilioError(code), { usesMessagingService: true })).toEqual({
      ok: false,
      failure: {
        kind,
        ...fraud,
        field,
        description: `Twilio error ${code}: message for ${code} (https://www.twilio.com/docs/errors/${code})`,
        providerCode: code,
        httpStatus: 400,
        requestId: undefined,
      },
    });
  });

  it('names "from" for sender errors when the config uses From', () => {
    const outcome = readTwilioReply(twilioError(21212), { usesMessagingService: false });
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'config', field: 'from' } });
  });

  it('covers every code of the table in the test above', () => {
    expect(Object.keys(twilioErrorCodes).map(Number).sort()).toEqual(
      [20003, 20429, 21211, 21212, 21408, 21603, 21606, 21608, 21610, 21612, 21614, 30450, 60410].sort()
    );
  });

  it('maps any HTTP 429 to a rate limit, whatever the code', () => {
    expect(readTwilioReply(httpReply(429, 'Too Many Requests'))).toMatchObject({
      ok: false,
      failure: { kind: 'rateLimit', description: 'Twilio answered HTTP 429: Too Many Requests', httpStatus: 429 },
    });
  });

  it('keeps a non-JSON error body readable, with the request id', () => {
    expect(readTwilioReply(httpReply(502, '<html>Bad gateway</html>', { 'twilio-request-id': 'RQ42' }))).toEqual({
      ok: false,
      failure: {
        kind: 'general',
        field: undefined,
        description: 'Twilio answered HTTP 502: <html>Bad gateway</html>',
        providerCode: undefined,
        httpStatus: 502,
        requestId: 'RQ42',
      },
    });
  });

  it.each([
    [201, '', 'Twilio answered HTTP 201 without a message sid: (empty body)'],
    [201, '<xml/>', 'Twilio answered HTTP 201 without a message sid: <xml/>'],
    [200, '{"status":"queued"}', 'Twilio answered HTTP 200 without a message sid: {"status":"queued"}'],
  ])('treats HTTP %i %j as an invalid response', (status, body, description) => {
    expect(readTwilioReply(httpReply(status, body))).toMatchObject({
      ok: false,
      failure: { kind: 'invalidResponse', description },
    });
  });

  it('treats a create already marked failed as a failure', () => {
    expect(
      readTwilioReply(
        httpReply(201, { sid: 'SM9', status: 'failed', error_code: 21610, error_message: 'Unsubscribed recipient' })
      )
    ).toEqual({
      ok: false,
      failure: {
        kind: 'recipient',
        description: 'Twilio accepted message SM9 but marked it failed (error 21610): Unsubscribed recipient',
        providerCode: 21610,
        httpStatus: 201,
        requestId: undefined,
      },
    });
  });

  it('marks a create failed by SMS Pumping Protection (30450) as a fraud block on the recipient', () => {
    expect(
      readTwilioReply(
        httpReply(201, { sid: 'SM10', status: 'failed', error_code: 30450, error_message: 'Message delivery blocked' })
      )
    ).toEqual({
      ok: false,
      failure: {
        kind: 'recipient',
        fraudBlock: true,
        description: 'Twilio accepted message SM10 but marked it failed (error 30450): Message delivery blocked',
        providerCode: 30450,
        httpStatus: 201,
        requestId: undefined,
      },
    });
  });
});

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import type { AttemptFailure } from '@sms-suite/sms-kit';
import { ZodError } from 'zod';

import { attemptLine, routedFailureError, type FailedAttempt } from './report';

const attempt = (
  name: string,
  failure: Partial<AttemptFailure> & Pick<AttemptFailure, 'kind' | 'delivery' | 'code'>,
  phase: FailedAttempt['phase'] = 'send'
): FailedAttempt => ({
  name,
  use: 'twilio',
  title: 'Twilio',
  phase,
  elapsedMs: 12,
  failure: {
    fraudBlock: false,
    description: `${name} said no`,
    error: new ConnectorError(failure.code),
    ...failure,
  },
});

describe('attemptLine', () => {
  it.each<[FailedAttempt, string]>([
    [
      attempt('twilio', {
        kind: 'config',
        delivery: 'refused',
        code: ConnectorErrorCodes.InvalidConfig,
        providerCode: 20003,
        httpStatus: 401,
        field: 'authToken',
      }),
      'twilio: invalid_config (Twilio 20003, HTTP 401, authToken) — not sent',
    ],
    [
      attempt('twilio', {
        kind: 'rateLimit',
        delivery: 'refused',
        code: ConnectorErrorCodes.RateLimitExceeded,
        httpStatus: 429,
      }),
      'twilio: rate limited (HTTP 429) — not sent',
    ],
    [
      attempt('twilio', {
        kind: 'usageLimit',
        delivery: 'refused',
        code: ConnectorErrorCodes.General,
        providerCode: 20005,
      }),
      'twilio: usage limit reached (Twilio 20005) — not sent',
    ],
    [
      attempt('twilio', {
        kind: 'recipient',
        delivery: 'refused',
        code: ConnectorErrorCodes.InvalidRequestParameters,
        providerCode: 21211,
        httpStatus: 400,
      }),
      'twilio: number refused (Twilio 21211, HTTP 400) — not sent',
    ],
    [
      attempt('twilio', {
        kind: 'recipient',
        delivery: 'refused',
        code: ConnectorErrorCodes.InvalidRequestParameters,
        providerCode: 30450,
        httpStatus: 201,
        fraudBlock: true,
      }),
      'twilio: blocked as SMS pumping (Twilio 30450, HTTP 201) — not sent',
    ],
    [
      attempt('twilio', {
        kind: 'invalidResponse',
        delivery: 'unknown',
        code: ConnectorErrorCodes.InvalidResponse,
        httpStatus: 200,
      }),
      'twilio: unreadable reply (HTTP 200) — may have been delivered',
    ],
    [
      attempt('twilio', { kind: 'general', delivery: 'unknown', code: ConnectorErrorCodes.General, httpStatus: 500 }),
      'twilio: failed (HTTP 500) — may have been delivered',
    ],
    [
      attempt('twilio', { kind: 'general', delivery: 'notSent', code: ConnectorErrorCodes.General }),
      'twilio: not reached — not sent',
    ],
    [
      attempt('twilio', { kind: 'general', delivery: 'unknown', code: ConnectorErrorCodes.General }),
      'twilio: no complete reply after the request was sent — may have been delivered',
    ],
    [
      attempt('twilio', { kind: 'general', delivery: 'notSent', code: ConnectorErrorCodes.General }, 'build'),
      'twilio: not prepared — not sent',
    ],
    [
      attempt(
        'aliyun-cn',
        { kind: 'recipient', delivery: 'notSent', code: ConnectorErrorCodes.InvalidRequestParameters },
        'build'
      ),
      'aliyun-cn: not prepared — not sent',
    ],
  ])('%#: %s', (failed, line) => {
    expect(attemptLine(failed)).toBe(line);
  });
});

describe('routedFailureError', () => {
  const reports = [{ provider: 'a', use: 'twilio', outcome: 'refused' as const }];

  it('carries the last attempt’s code, with a config error pointed at providers.<name>.config.<key>', () => {
    const error = routedFailureError({
      route: 'the "*" route',
      attempts: [
        attempt('a', { kind: 'rateLimit', delivery: 'refused', code: ConnectorErrorCodes.RateLimitExceeded }),
        attempt('b', {
          kind: 'config',
          delivery: 'refused',
          code: ConnectorErrorCodes.InvalidConfig,
          field: 'templates.0.content',
        }),
      ],
      notTried: [],
      reports,
    });
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    const [issue] = (error.data as ZodError).issues;
    expect(issue?.path).toEqual(['providers', 'b', 'config', 'templates', '0', 'content']);
    expect(issue?.message).toBe(
      'No provider of the "*" route sent the message. a: rate limited — not sent; b: invalid_config (templates.0.content) — not sent. [a] a said no [b] b said no'
    );
    expect(issue).toMatchObject({ params: { provider: 'b', use: 'twilio', delivery: 'refused', attempts: reports } });
  });

  it('says why it stopped, and that the message may have been delivered', () => {
    const error = routedFailureError({
      route: 'the route for CN',
      attempts: [attempt('a', { kind: 'general', delivery: 'unknown', code: ConnectorErrorCodes.General })],
      notTried: [],
      stopReason: 'the message may have been delivered, and another provider could send a second code',
      reports,
    });
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription:
        'Stopped at a (no other provider was tried): the message may have been delivered, and another provider could send a second code. a: no complete reply after the request was sent — may have been delivered. [a] a said no',
      provider: 'a',
      use: 'twilio',
      delivery: 'unknown',
      attempts: reports,
    });
  });

  it('is a general, not-sent error when no provider could be tried in time', () => {
    const error = routedFailureError({
      route: 'the "*" route',
      attempts: [],
      notTried: [{ name: 'a', use: 'twilio', reason: 'less than 1000 ms of the 1000 ms deadline was left' }],
      reports,
    });
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toMatchObject({
      errorDescription:
        'No provider of the "*" route was tried (less than 1000 ms of the 1000 ms deadline was left). a: not tried (less than 1000 ms of the 1000 ms deadline was left).',
      delivery: 'notSent',
    });
  });
});

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import type { AttemptFailure, Delivery, FailureKind } from '@sms-suite/sms-kit';

import { failoverDecision, type AttemptPhase } from './failover';

const failure = (kind: FailureKind, delivery: Delivery, extra: Partial<AttemptFailure> = {}): AttemptFailure => ({
  kind,
  delivery,
  code: ConnectorErrorCodes.General,
  fraudBlock: false,
  description: 'd',
  error: new ConnectorError(ConnectorErrorCodes.General),
  ...extra,
});

/** The whole rule as data: what each classified failure means for the next provider. */
describe('failoverDecision', () => {
  it.each<[string, AttemptFailure, AttemptPhase, boolean]>([
    ['connection refused, DNS or TLS failure (not sent)', failure('general', 'notSent'), 'send', true],
    ['invalid credentials or an unapproved sender', failure('config', 'refused', { httpStatus: 401 }), 'send', true],
    ['a provider rate limit', failure('rateLimit', 'refused', { httpStatus: 429 }), 'send', true],
    ['an exhausted balance', failure('usageLimit', 'refused', { httpStatus: 200 }), 'send', true],
    ['HTTP 503', failure('general', 'refused', { httpStatus: 503 }), 'send', true],
    ['a timeout after the request was written', failure('general', 'unknown'), 'send', false],
    ['HTTP 500', failure('general', 'unknown', { httpStatus: 500 }), 'send', false],
    ['HTTP 502 from a proxy', failure('invalidResponse', 'unknown', { httpStatus: 502 }), 'send', false],
    ['an unreadable 2xx', failure('invalidResponse', 'unknown', { httpStatus: 200 }), 'send', false],
    ['a refused number', failure('recipient', 'refused', { httpStatus: 400 }), 'send', false],
    ['a fraud block', failure('recipient', 'refused', { fraudBlock: true, providerCode: 30450 }), 'send', false],
    ['a fraud block of another kind', failure('rateLimit', 'refused', { fraudBlock: true }), 'send', false],
    [
      'a partial multi-part send refused for quota',
      failure('usageLimit', 'unknown', { httpStatus: 200 }),
      'send',
      false,
    ],
    ['another 4xx', failure('general', 'refused', { httpStatus: 400 }), 'send', false],
    ['a 4xx we cannot read', failure('invalidResponse', 'refused', { httpStatus: 404 }), 'send', false],
    ['a config problem found while preparing', failure('config', 'notSent'), 'build', false],
    ['a landline refused while preparing', failure('recipient', 'notSent'), 'build', false],
    ['a bug while preparing', failure('general', 'notSent'), 'build', false],
  ])('%s → fail over: %s', (_name, classified, phase, failOver) => {
    const decision = failoverDecision(classified, phase);
    expect(decision.failOver).toBe(failOver);
    if (!decision.failOver) {
      expect(decision.reason.length).toBeGreaterThan(20);
    }
  });
});

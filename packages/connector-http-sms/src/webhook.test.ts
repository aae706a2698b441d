import { Webhook } from 'standardwebhooks';

import { isWebhookSecret, signWebhook, webhookHeaders } from './webhook';

// The example of the Standard Webhooks specification and its reference libraries.
const specExample = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1_614_265_330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the specification example', () => {
    expect(signWebhook(specExample.secret, specExample.id, specExample.timestamp, specExample.body)).toBe(
      specExample.signature
    );
  });

  it('produces headers that the reference library verifies', () => {
    const body = JSON.stringify({ to: '16502530000', payload: { code: '123456' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders(specExample.secret, body, { id: 'msg_1', timestamp });
    expect(headers).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(specExample.secret, 'msg_1', timestamp, body),
    });
    expect(new Webhook(specExample.secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('gives every delivery its own id', () => {
    expect(webhookHeaders(specExample.secret, '{}')['webhook-id']).not.toBe(
      webhookHeaders(specExample.secret, '{}')['webhook-id']
    );
  });

  it.each([
    [specExample.secret, true],
    ['whsec_c2hvcnQ=', false], // 5 bytes: too short to be a key
    ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', false], // no prefix
    ['whsec_not base64!', false],
  ])('accepts %s as a secret: %s', (secret, expected) => {
    expect(isWebhookSecret(secret)).toBe(expected);
  });
});

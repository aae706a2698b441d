import { attemptRows, attemptsOf, type SendOutcome } from './console-send';

describe("the router's attempts", () => {
  const attempts = [
    {
      provider: 'aliyun-cn',
      use: 'aliyun',
      outcome: 'refused',
      elapsedMs: 12,
      code: 'rate_limit_exceeded',
      providerCode: 'isv.BUSINESS_LIMIT_CONTROL',
      httpStatus: 200,
    },
    { provider: 'twilio', use: 'twilio', outcome: 'notSent', elapsedMs: 3, code: 'general' },
    { provider: 'tencent', use: 'tencent', outcome: 'unknown', elapsedMs: 1500, code: 'general' },
    { provider: 'vonage', use: 'vonage', outcome: 'notTried' },
    {
      provider: 'twilio-us',
      use: 'twilio',
      outcome: 'refused',
      elapsedMs: 40,
      code: 'invalid_request_parameters',
      providerCode: 30450,
      httpStatus: 201,
      fraudBlock: true,
    },
    { provider: 'backup', use: 'http', outcome: 'delivered', elapsedMs: 20, messageId: 'msg-1' },
  ];

  it('reads them from the result, from data, or from the first issue of a ZodError', () => {
    const success: SendOutcome = { ok: true, ms: 1, result: { provider: 'backup', messageId: 'msg-1', attempts } };
    expect(attemptsOf(success)).toEqual(attempts);

    const failure = (data: unknown) =>
      ({
        ok: false,
        ms: 1,
        error: { code: 'general', data },
        details: [],
        notes: [],
        hints: [],
      }) as unknown as SendOutcome;
    expect(attemptsOf(failure({ attempts }))).toEqual(attempts);
    expect(attemptsOf(failure({ issues: [{ code: 'custom', path: ['to'], params: { attempts } }] }))).toEqual(attempts);
    // A single connector's result and error carry none.
    expect(attemptsOf({ ok: true, ms: 1, result: { messageId: 'SM1' } })).toBeUndefined();
    expect(attemptsOf(failure({ provider: 'Twilio' }))).toBeUndefined();
  });

  it('puts each on a row: the provider and its use, what became of the message, and the facts', () => {
    expect(attemptRows(attempts)).toEqual([
      [
        '1. aliyun-cn (aliyun)',
        'refused',
        'connector.rate_limit_exceeded · provider code isv.BUSINESS_LIMIT_CONTROL · provider HTTP 200 · 12 ms',
      ],
      ['2. twilio (twilio)', 'not sent', 'connector.general · 3 ms'],
      ['3. tencent (tencent)', 'may have been delivered', 'connector.general · 1500 ms'],
      ['4. vonage (vonage)', 'not tried', ''],
      [
        '5. twilio-us (twilio)',
        'refused',
        "connector.invalid_request_parameters · provider code 30450 · provider HTTP 201 · blocked by the provider's SMS-pumping defence · 40 ms",
      ],
      ['6. backup (http)', 'delivered', 'message id msg-1 · 20 ms'],
    ]);
  });
});

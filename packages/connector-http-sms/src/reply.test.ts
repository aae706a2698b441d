import { ConnectorErrorCodes } from '@logto/connector-kit';
import { logtoResponseFor, toConnectorError, type ProviderFailure } from '@sms-suite/sms-kit';
import { failureOf, httpReply } from '@sms-suite/sms-kit/testing';

import type { HttpSmsConfig } from './provider';
import { describeRetryAfter, gatewayErrorCodes, gatewayErrorOf, readHttpSmsReply } from './reply';

const endpoint = 'https://sms-gateway.example.com/send';
const config: Pick<HttpSmsConfig, 'endpoint' | 'authorization' | 'headers' | 'signingSecret'> = {
  endpoint,
  authorization: 'Bearer t0ken',
};

const contractError = (code: string, message: string) => JSON.stringify({ error: { code, message } });

describe('readHttpSmsReply: success', () => {
  it.each([
    [200, '{"messageId":"msg-8d1f"}', { messageId: 'msg-8d1f' }],
    [201, '{"messageId":"msg-8d1f","status":"queued"}', { messageId: 'msg-8d1f' }],
    [202, '{"messageId":4711}', { messageId: '4711' }],
    [200, '{"messageId":""}', {}],
    [200, '{"messageId":null}', {}],
    [200, '{"status":"queued"}', {}],
    [200, '["queued"]', {}],
    [200, 'OK', {}],
    [200, '', {}],
    [204, '', {}],
    [299, '{"messageId":"m"}', { messageId: 'm' }],
  ])('HTTP %i with %j is sent, resolving %j', (status, text, expected) => {
    expect(readHttpSmsReply(httpReply(status, text), config)).toEqual({ ok: true, result: expected });
  });

  it('is sent even when a 2xx body carries an error object (2xx is the acknowledgement)', () => {
    expect(readHttpSmsReply(httpReply(200, contractError('invalid_recipient', 'x')), config)).toEqual({
      ok: true,
      result: {},
    });
  });

  it('is sent when the body was cut at the size limit', () => {
    expect(
      readHttpSmsReply({ ...httpReply(200, `{"messageId":"m","padding":"${'x'.repeat(100)}`), truncated: true }, config)
    ).toEqual({
      ok: true,
      result: {},
    });
  });
});

describe('readHttpSmsReply: the response contract', () => {
  type Row = [
    label: string,
    status: number,
    body: string,
    headers: Record<string, string>,
    expected: Partial<ProviderFailure> & { kind: ProviderFailure['kind'] },
    logto: { code: string; status: number },
  ];

  const rows: Row[] = [
    [
      '429 with Retry-After in seconds',
      429,
      contractError('rate_limited', 'Too many messages to this number'),
      { 'retry-after': '30' },
      {
        kind: 'rateLimit',
        description:
          'The SMS gateway at sms-gateway.example.com is rate limiting (HTTP 429, Retry-After: 30 s): Too many messages to this number',
        providerCode: 'rate_limited',
      },
      { code: 'connector.rate_limit_exceeded', status: 429 },
    ],
    [
      '429 with Retry-After as a date',
      429,
      'slow down',
      { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' },
      {
        kind: 'rateLimit',
        description:
          'The SMS gateway at sms-gateway.example.com is rate limiting (HTTP 429, Retry-After: Wed, 21 Oct 2026 07:28:00 GMT): slow down',
      },
      { code: 'connector.rate_limit_exceeded', status: 429 },
    ],
    [
      '429 without Retry-After or body',
      429,
      '',
      {},
      {
        kind: 'rateLimit',
        description: 'The SMS gateway at sms-gateway.example.com is rate limiting (HTTP 429): (empty body)',
      },
      { code: 'connector.rate_limit_exceeded', status: 429 },
    ],
    [
      '401',
      401,
      contractError('unauthorized', 'Unknown API token'),
      {},
      {
        kind: 'config',
        field: 'authorization',
        description:
          'The SMS gateway at sms-gateway.example.com refused the credentials (HTTP 401): Unknown API token. Check "authorization", "headers" and "signingSecret".',
        providerCode: 'unauthorized',
      },
      { code: 'connector.invalid_config', status: 400 },
    ],
    [
      '403 with a plain body',
      403,
      'Forbidden: IP 198.51.100.4 not allowed',
      {},
      {
        kind: 'config',
        field: 'authorization',
        description:
          'The SMS gateway at sms-gateway.example.com refused the credentials (HTTP 403): Forbidden: IP 198.51.100.4 not allowed. Check "authorization", "headers" and "signingSecret".',
      },
      { code: 'connector.invalid_config', status: 400 },
    ],
    [
      '400 invalid_recipient',
      400,
      contractError('invalid_recipient', 'Landline numbers cannot receive SMS'),
      {},
      {
        kind: 'recipient',
        description:
          'The SMS gateway at sms-gateway.example.com rejected the message (HTTP 400, invalid_recipient): Landline numbers cannot receive SMS',
        providerCode: 'invalid_recipient',
      },
      { code: 'connector.invalid_request_parameters', status: 400 },
    ],
    [
      '422 invalid_config',
      422,
      contractError('invalid_config', 'Sender ID ACME is not registered for DE'),
      {},
      {
        kind: 'config',
        field: 'endpoint',
        description:
          'The SMS gateway at sms-gateway.example.com rejected the message (HTTP 422, invalid_config): Sender ID ACME is not registered for DE',
        providerCode: 'invalid_config',
      },
      { code: 'connector.invalid_config', status: 400 },
    ],
    [
      '400 rate_limited',
      400,
      contractError('rate_limited', 'Max 3 codes per hour per number'),
      {},
      {
        kind: 'rateLimit',
        description:
          'The SMS gateway at sms-gateway.example.com rejected the message (HTTP 400, rate_limited): Max 3 codes per hour per number',
        providerCode: 'rate_limited',
      },
      { code: 'connector.rate_limit_exceeded', status: 429 },
    ],
    [
      '422 quota_exceeded',
      422,
      contractError('quota_exceeded', 'Prepaid balance exhausted'),
      {},
      {
        kind: 'usageLimit',
        description:
          'The SMS gateway at sms-gateway.example.com rejected the message (HTTP 422, quota_exceeded): Prepaid balance exhausted',
        providerCode: 'quota_exceeded',
      },
      { code: 'connector.usage_limit_exceeded', status: 429 },
    ],
    [
      '400 with a code of the gateway’s own',
      400,
      contractError('content_blocked', 'Message text matched a carrier filter'),
      {},
      {
        kind: 'general',
        description:
          'The SMS gateway at sms-gateway.example.com rejected the message (HTTP 400, content_blocked): Message text matched a carrier filter',
        providerCode: 'content_blocked',
      },
      { code: 'connector.general', status: 400 },
    ],
    [
      '422 with a code and no message',
      422,
      '{"error":{"code":"invalid_recipient"}}',
      {},
      {
        kind: 'recipient',
        description:
          'The SMS gateway at sms-gateway.example.com rejected the message (HTTP 422, invalid_recipient): {"error":{"code":"invalid_recipient"}}',
        providerCode: 'invalid_recipient',
      },
      { code: 'connector.invalid_request_parameters', status: 400 },
    ],
    [
      '400 without the error object',
      400,
      '{"errors":["to is invalid"]}',
      {},
      {
        kind: 'general',
        description: 'The SMS gateway at sms-gateway.example.com answered HTTP 400: {"errors":["to is invalid"]}',
      },
      { code: 'connector.general', status: 400 },
    ],
    [
      '404',
      404,
      'Cannot POST /send',
      {},
      {
        kind: 'general',
        description: 'The SMS gateway at sms-gateway.example.com answered HTTP 404: Cannot POST /send',
      },
      { code: 'connector.general', status: 400 },
    ],
    [
      '500 with the contract error object (only 400/422 are read)',
      500,
      contractError('invalid_recipient', 'boom'),
      {},
      {
        kind: 'general',
        description: `The SMS gateway at sms-gateway.example.com answered HTTP 500: ${contractError('invalid_recipient', 'boom')}`,
      },
      { code: 'connector.general', status: 400 },
    ],
    [
      '502 HTML page, on one line',
      502,
      '<html>\n  <body>Bad Gateway</body>\n</html>',
      { 'x-request-id': 'req-77' },
      {
        kind: 'general',
        description:
          'The SMS gateway at sms-gateway.example.com answered HTTP 502: <html> <body>Bad Gateway</body> </html>',
        requestId: 'req-77',
      },
      { code: 'connector.general', status: 400 },
    ],
    [
      '308 (a redirect the client did not follow)',
      308,
      '',
      { location: 'https://sms-gateway.example.com/v2/send' },
      {
        kind: 'config',
        field: 'endpoint',
        description:
          'The SMS gateway at sms-gateway.example.com answered HTTP 308 (redirect to https://sms-gateway.example.com/v2/send): set "endpoint" to the URL that accepts the POST itself.',
      },
      { code: 'connector.invalid_config', status: 400 },
    ],
    [
      '304 without Location',
      304,
      '',
      {},
      {
        kind: 'config',
        field: 'endpoint',
        description:
          'The SMS gateway at sms-gateway.example.com answered HTTP 304: set "endpoint" to the URL that accepts the POST itself.',
      },
      { code: 'connector.invalid_config', status: 400 },
    ],
  ];

  it.each(rows)('%s', (_, status, body, headers, expected, logto) => {
    const failure = failureOf(readHttpSmsReply(httpReply(status, body, headers), config));
    expect(failure).toEqual({
      field: undefined,
      providerCode: undefined,
      requestId: undefined,
      ...expected,
      httpStatus: status,
    });

    const error = toConnectorError('HTTP SMS gateway', failure);
    const response = logtoResponseFor(error);
    expect(response.code).toBe(logto.code);
    expect(response.status).toBe(logto.status);
    if (expected.kind === 'config' || expected.kind === 'recipient') {
      expect(response.toast).toContain(
        `Error in key path "${expected.field ?? 'to'}": (custom) ${expected.description}`
      );
    } else {
      // Logto's toast for 429s is a fixed phrase; the description travels in data.errorDescription.
      expect(error.data).toMatchObject({ errorDescription: expected.description, httpStatus: status });
      if (expected.kind === 'general') {
        expect(response.toast).toBe(`Error occurred in connector: ${expected.description}`);
      }
    }
  });

  it('keeps the first 300 characters of a long body', () => {
    const body = `${'a'.repeat(299)}bc${'d'.repeat(5000)}`;
    const failure = failureOf(readHttpSmsReply(httpReply(503, body), config));
    expect(failure.description).toBe(
      `The SMS gateway at sms-gateway.example.com answered HTTP 503: ${'a'.repeat(299)}b…`
    );
  });

  it('keeps the first 300 characters of a long gateway message', () => {
    const failure = failureOf(
      readHttpSmsReply(httpReply(400, contractError('invalid_recipient', 'm'.repeat(1000))), config)
    );
    expect(failure.description).toBe(
      `The SMS gateway at sms-gateway.example.com rejected the message (HTTP 400, invalid_recipient): ${'m'.repeat(300)}…`
    );
  });

  it('names the host and port of the endpoint', () => {
    const failure = failureOf(readHttpSmsReply(httpReply(500, 'x'), { endpoint: 'http://10.0.0.12:8080/sms' }));
    expect(failure.description).toBe('The SMS gateway at 10.0.0.12:8080 answered HTTP 500: x');
  });

  it.each([
    [{ authorization: 'Bearer a' }, 'authorization'],
    [{ headers: { 'X-Api-Key': 'k' }, signingSecret: 'whsec_x' }, 'headers'],
    [{ headers: {}, signingSecret: 'whsec_x' }, 'signingSecret'],
    [{}, 'authorization'],
  ])('blames the credential that is configured on 401/403: %j → %s', (credentials, field) => {
    expect(failureOf(readHttpSmsReply(httpReply(401, ''), { endpoint, ...credentials })).field).toBe(field);
  });

  it('covers every code of the contract', () => {
    expect(Object.keys(gatewayErrorCodes).sort()).toEqual(
      ['invalid_config', 'invalid_recipient', 'quota_exceeded', 'rate_limited'].sort()
    );
  });

  it('maps quota_exceeded to usage_limit_exceeded on a kit that has it', () => {
    const failure = failureOf(readHttpSmsReply(httpReply(422, contractError('quota_exceeded', 'x')), config));
    expect(toConnectorError('HTTP SMS gateway', failure).code).toBe(
      (ConnectorErrorCodes as unknown as Record<string, string>).UsageLimitExceeded
    );
  });
});

describe('gatewayErrorOf', () => {
  it.each([
    [{ error: { code: 'invalid_recipient', message: 'bad' } }, { code: 'invalid_recipient', message: 'bad' }],
    [{ error: { code: ' rate_limited ', message: 7 } }, { code: 'rate_limited', message: '7' }],
    [{ error: { message: 'only a message' } }, { code: undefined, message: 'only a message' }],
    [{ error: 'invalid_recipient' }, undefined],
    [{ error: ['invalid_recipient'] }, undefined],
    [{ error: {} }, undefined],
    [{ error: { code: '', message: '' } }, undefined],
    [{ code: 'invalid_recipient' }, undefined],
    [undefined, undefined],
    [null, undefined],
    ['text', undefined],
  ])('reads %j as %j', (json, expected) => {
    expect(gatewayErrorOf(json)).toEqual(expected);
  });
});

describe('describeRetryAfter', () => {
  it.each([
    ['120', '120 s'],
    [' 5 ', '5 s'],
    ['Wed, 21 Oct 2026 07:28:00 GMT', 'Wed, 21 Oct 2026 07:28:00 GMT'],
    ['', undefined],
    [null, undefined],
  ])('describes %j as %j', (value, expected) => {
    expect(describeRetryAfter(value)).toBe(expected);
  });
});

import type { HttpReply } from '@sms-suite/sms-kit';
import { failureOf, httpReply } from '@sms-suite/sms-kit/testing';

import { gatewayApiErrorCodes, readGatewayApiReply, substituteVariables } from './reply';

const gatewayApiFailure = (reply: HttpReply) => failureOf(readGatewayApiReply(reply));

const incident = 'd8127429-1a2b-4c3d-8e9f-0123456789ab';

describe('readGatewayApiReply: success', () => {
  it.each([
    [{ ids: [421332671], usage: { countries: { DK: 1 }, currency: 'DKK', total_cost: 0.12 } }, '421332671'],
    [{ ids: [421332671, 421332672] }, '421332671'],
    [{ ids: ['421332671'] }, '421332671'],
  ])('resolves %j with the first id', (body, messageId) => {
    expect(readGatewayApiReply(httpReply(200, body))).toEqual({ ok: true, result: { messageId } });
  });

  it.each([
    ['no ids', { usage: {} }],
    ['empty ids', { ids: [] }],
    ['ids not an array', { ids: 421332671 }],
    ['a null id', { ids: [null] }],
    ['an empty id', { ids: [''] }],
    ['an empty object', {}],
    ['a JSON array', []],
    ['an HTML page', '<html><body>Welcome</body></html>'],
    ['an empty body', ''],
  ])('reports HTTP 200 with %s as invalid_response', (_name, body) => {
    const failure = gatewayApiFailure(httpReply(200, body));
    expect(failure).toMatchObject({ kind: 'invalidResponse', httpStatus: 200 });
    expect(failure.description).toMatch(/^GatewayAPI answered HTTP 200 without a message id \("ids"\): /);
  });

  it('quotes the unexpected body in the description', () => {
    expect(gatewayApiFailure(httpReply(200, '<html>Welcome</html>')).description).toBe(
      'GatewayAPI answered HTTP 200 without a message id ("ids"): <html>Welcome</html>'
    );
    expect(gatewayApiFailure(httpReply(201, '')).description).toBe(
      'GatewayAPI answered HTTP 201 without a message id ("ids"): (empty body)'
    );
  });
});

describe('readGatewayApiReply: error codes', () => {
  it.each([
    ['0x0210', 401, 'config', 'apiToken'],
    ['0x0211', 401, 'config', 'apiToken'],
    ['0x0212', 403, 'config', 'apiToken'],
    ['0x0213', 403, 'config', 'apiToken'],
    ['0x021D', 403, 'config', 'apiToken'],
    ['0x0221', 401, 'config', 'apiToken'],
    ['0x0223', 401, 'config', 'apiToken'],
    ['0x0224', 401, 'config', 'apiToken'],
    ['0x0225', 401, 'config', 'apiToken'],
    ['0x0226', 401, 'config', 'apiToken'],
    ['0x0214', 400, 'recipient', undefined],
    ['0x0215', 400, 'recipient', undefined],
    ['0x0217', 400, 'recipient', undefined],
    ['0x0216', 400, 'usageLimit', undefined],
    ['0x0218', 400, 'general', undefined],
    ['0x0220', 400, 'general', undefined],
    ['0x0222', 400, 'general', undefined],
    ['0x0310', 400, 'general', undefined],
    ['0x0311', 400, 'general', undefined],
    ['0x9999', 500, 'general', undefined],
  ])('maps %s (HTTP %i) to %s, field %s, keeping code, text and incident', (code, status, kind, field) => {
    const failure = gatewayApiFailure(
      httpReply(status, { code, message: 'Something about %1', variables: ['this'], incident_uuid: incident })
    );
    expect(failure).toMatchObject({ kind, providerCode: code, httpStatus: status, requestId: incident });
    expect(failure.field).toBe(field);
    expect(failure.description).toMatch(
      new RegExp(`^GatewayAPI error ${code}: Something about this \\(incident ${incident}\\)`)
    );
  });

  it('covers every code of the table', () => {
    expect(Object.keys(gatewayApiErrorCodes).sort()).toEqual(
      [
        '0x0210',
        '0x0211',
        '0x0212',
        '0x0213',
        '0x021D',
        '0x0221',
        '0x0223',
        '0x0224',
        '0x0225',
        '0x0226',
        '0x0214',
        '0x0215',
        '0x0217',
        '0x0216',
      ].sort()
    );
  });

  it('reads lower-case hex codes like upper-case ones', () => {
    expect(gatewayApiFailure(httpReply(403, { code: '0x021d', message: 'SMS not enabled' }))).toMatchObject({
      kind: 'config',
      field: 'apiToken',
      providerCode: '0x021D',
    });
  });

  it('writes the whole description an admin reads', () => {
    expect(
      gatewayApiFailure(
        httpReply(403, {
          code: '0x0213',
          incident_uuid: incident,
          message: 'Unauthorized IP-address: %1',
          variables: ['1.2.3.4'],
        })
      ).description
    ).toBe(
      `GatewayAPI error 0x0213: Unauthorized IP-address: 1.2.3.4 (incident ${incident}) Allow the IP address of this Logto server for the API key.`
    );
    expect(gatewayApiFailure(httpReply(400, { code: '0x0216', message: 'Insufficient credit' })).description).toBe(
      'GatewayAPI error 0x0216: Insufficient credit Top up the GatewayAPI account.'
    );
  });
});

describe('readGatewayApiReply: HTTP statuses without a code', () => {
  it.each([
    [401, { message: 'Unauthorized' }, 'config', 'apiToken'],
    [429, { message: 'Too many requests' }, 'rateLimit', undefined],
    [429, '', 'rateLimit', undefined],
    [400, { message: 'Invalid arguments' }, 'general', undefined],
    [422, { message: 'Invalid JSON' }, 'general', undefined],
    [500, { message: 'Exception' }, 'general', undefined],
    [502, '<html><h1>502 Bad Gateway</h1></html>', 'general', undefined],
    [503, '', 'general', undefined],
  ])('maps HTTP %i %j to %s', (status, body, kind, field) => {
    const failure = gatewayApiFailure(httpReply(status, body));
    expect(failure).toMatchObject({ kind, httpStatus: status });
    expect(failure.field).toBe(field);
    expect(failure.providerCode).toBeUndefined();
    expect(failure.description).toMatch(new RegExp(`^GatewayAPI answered HTTP ${status}: `));
  });

  it('keeps a non-JSON body, or says it was empty', () => {
    expect(gatewayApiFailure(httpReply(502, '<html><h1>502 Bad Gateway</h1></html>')).description).toBe(
      'GatewayAPI answered HTTP 502: <html><h1>502 Bad Gateway</h1></html>'
    );
    expect(gatewayApiFailure(httpReply(503, '')).description).toBe('GatewayAPI answered HTTP 503: (empty body)');
  });

  it('tells the admin to check the token and platform on a bare 401', () => {
    expect(gatewayApiFailure(httpReply(401, { message: 'Unauthorized' })).description).toBe(
      'GatewayAPI answered HTTP 401: Unauthorized Check apiToken, and that it belongs to the platform of endpoint (gatewayapi.com or gatewayapi.eu).'
    );
  });

  it('maps HTTP 429 to a rate limit even with a code outside the table', () => {
    expect(gatewayApiFailure(httpReply(429, { code: '0x0999', message: 'Slow down' }))).toMatchObject({
      kind: 'rateLimit',
      providerCode: '0x0999',
    });
  });
});

describe('substituteVariables', () => {
  it.each([
    ['Unauthorized IP-address: %1', ['1.2.3.4'], 'Unauthorized IP-address: 1.2.3.4'],
    ['%1 and %2', ['a', 'b'], 'a and b'],
    ['%2 before %1', ['a', 'b'], 'b before a'],
    ['number %1', [42], 'number 42'],
    ['missing %1', [], 'missing %1'],
    ['missing %2', ['a'], 'missing %2'],
    ['no variables %1', undefined, 'no variables %1'],
    ['not a list %1', 'x', 'not a list %1'],
    ['100% sure', ['a'], '100% sure'],
  ])('%j with %j → %j', (message, variables, expected) => {
    expect(substituteVariables(message, variables)).toBe(expected);
  });
});

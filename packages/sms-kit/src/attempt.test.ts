import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ConnectorError, ConnectorErrorCodes, TemplateType } from '@logto/connector-kit';
import { z } from 'zod';

import { attemptFailureOf, deliveryOfReply, performAttempt, requestFor } from './attempt';
import { fail, fieldError, succeed, toConnectorError, type FailureKind } from './errors';
import type { HttpReply } from './http';
import { parsePhone, toE164 } from './phone';
import { defineProvider, providerConfigGuard, type FullConfig } from './provider';
import { createRedactor } from './redact';

/**
 * The classification every failed attempt carries, on real sockets: what the routing connector
 * decides failover from, and what the single connectors put in `data.delivery`.
 */

const readReply = (reply: HttpReply) => {
  const body = (reply.json ?? {}) as { id?: string; error?: string; fraud?: boolean };
  if (reply.status === 200 && body.id) {
    return succeed({ messageId: body.id });
  }
  if (reply.status === 200 && body.fraud) {
    return fail({ kind: 'recipient', fraudBlock: true, description: 'blocked as pumping', providerCode: 30450 });
  }
  if (reply.status === 200) {
    return fail({ kind: 'invalidResponse', description: `unreadable: ${reply.text}`, httpStatus: 200 });
  }
  const kind: FailureKind = reply.status === 429 ? 'rateLimit' : reply.status === 401 ? 'config' : 'general';
  return fail({
    kind,
    ...(kind === 'config' && { field: 'token' }),
    description: `Example answered HTTP ${reply.status}: ${reply.text}`,
    httpStatus: reply.status,
    providerCode: body.error,
  });
};

let endpoint = '';
const example = defineProvider({
  name: 'Example',
  fields: { token: z.string() },
  templates: { kind: 'text' },
  secretKeys: ['token'],
  formItems: [],
  buildRequest: ({ phone, text }, config) => ({
    method: 'POST',
    url: endpoint,
    headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: toE164(phone), text }),
  }),
  readReply,
});

const config = providerConfigGuard(example).parse({
  token: 'secret-token-1',
  templates: [{ usageType: 'Generic', content: 'Code {{code}}' }],
}) as FullConfig<never>;
const phone = parsePhone('+16502530000');
const data = { to: '+16502530000', type: TemplateType.SignIn, payload: { code: '123456' } };
const redact = createRedactor(['secret-token-1', 'Bearer secret-token-1']);

type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;
const servers: Server[] = [];

const serve = async (behaviour: Behaviour): Promise<string> => {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      behaviour(request, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
};

const attemptAgainst = async (behaviour: Behaviour | 'closed', timeout = 2000) => {
  if (behaviour === 'closed') {
    const url = await serve(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => {
      server.close(resolve);
    });
    endpoint = url;
  } else {
    endpoint = await serve(behaviour);
  }
  return performAttempt(example, config, requestFor(example, config, { data, phone }), phone, { timeout, redact });
};

const answer =
  (status: number, body: unknown): Behaviour =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      async (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        })
    )
  );
});

describe('deliveryOfReply', () => {
  it.each<[number, FailureKind, string]>([
    [400, 'recipient', 'refused'],
    [401, 'config', 'refused'],
    [429, 'rateLimit', 'refused'],
    [404, 'invalidResponse', 'refused'],
    [503, 'general', 'refused'],
    [500, 'general', 'unknown'],
    [502, 'invalidResponse', 'unknown'],
    [504, 'general', 'unknown'],
    [200, 'rateLimit', 'refused'],
    [200, 'invalidResponse', 'unknown'],
    [202, 'invalidResponse', 'unknown'],
  ])('HTTP %i with a %s failure: %s', (status, kind, delivery) => {
    expect(deliveryOfReply({ status }, { kind })).toBe(delivery);
  });
});

describe('attemptFailureOf', () => {
  it('reads a described error: code, status, provider code, delivery, fraud block', () => {
    const error = toConnectorError('Twilio', {
      kind: 'recipient',
      description: 'blocked',
      providerCode: 30450,
      httpStatus: 201,
      delivery: 'refused',
      fraudBlock: true,
    });
    expect(attemptFailureOf(error, 'unknown')).toEqual({
      delivery: 'refused',
      kind: 'recipient',
      code: ConnectorErrorCodes.InvalidRequestParameters,
      httpStatus: 201,
      providerCode: 30450,
      fraudBlock: true,
      description: 'blocked',
      error,
    });
  });

  it('reads the config key at fault of an invalid_config error', () => {
    const error = toConnectorError('Twilio', {
      kind: 'config',
      field: 'authToken',
      description: 'Twilio error 20003: Authenticate',
      providerCode: 20003,
      httpStatus: 401,
      delivery: 'refused',
    });
    expect(attemptFailureOf(error, 'unknown')).toMatchObject({
      delivery: 'refused',
      kind: 'config',
      code: ConnectorErrorCodes.InvalidConfig,
      field: 'authToken',
      providerCode: 20003,
      httpStatus: 401,
      fraudBlock: false,
    });
  });

  it('uses the fallback when the error does not say (an input error thrown while building the request)', () => {
    const error = fieldError(ConnectorErrorCodes.InvalidRequestParameters, ['to'], 'a landline');
    expect(attemptFailureOf(error, 'notSent')).toMatchObject({
      delivery: 'notSent',
      code: ConnectorErrorCodes.InvalidRequestParameters,
      description: 'a landline',
      fraudBlock: false,
    });
    expect(attemptFailureOf(new ConnectorError(ConnectorErrorCodes.General, 'plain'), 'notSent')).toMatchObject({
      delivery: 'notSent',
      description: 'plain',
    });
  });
});

describe('performAttempt, on real sockets', () => {
  it('resolves the provider result', async () => {
    const attempt = await attemptAgainst(answer(200, { id: 'm-1' }));
    expect(attempt).toEqual({ ok: true, result: { messageId: 'm-1' } });
  });

  it.each<[string, Behaviour | 'closed', object]>([
    ['a refused connection', 'closed', { delivery: 'notSent', code: ConnectorErrorCodes.General }],
    [
      'HTTP 429',
      answer(429, { error: 'slow' }),
      { delivery: 'refused', kind: 'rateLimit', code: 'rate_limit_exceeded', httpStatus: 429 },
    ],
    [
      'HTTP 401',
      answer(401, { error: 'auth' }),
      { delivery: 'refused', code: 'invalid_config', httpStatus: 401, field: 'token', providerCode: 'auth' },
    ],
    ['HTTP 503', answer(503, 'down'), { delivery: 'refused', code: 'general', httpStatus: 503 }],
    ['HTTP 500', answer(500, 'oops'), { delivery: 'unknown', code: 'general', httpStatus: 500 }],
    ['an unreadable 200', answer(200, '<html>'), { delivery: 'unknown', code: 'invalid_response', httpStatus: 200 }],
    [
      'a fraud block',
      answer(200, { fraud: true }),
      { delivery: 'refused', code: 'invalid_request_parameters', providerCode: 30450, fraudBlock: true },
    ],
    [
      'a reset after the request was written',
      (request) => {
        request.socket.destroy();
      },
      { delivery: 'unknown', code: 'general' },
    ],
  ])('classifies %s', async (_name, behaviour, expected) => {
    const attempt = await attemptAgainst(behaviour);
    expect(attempt.ok).toBe(false);
    const { failure } = attempt as Extract<typeof attempt, { ok: false }>;
    expect(failure).toMatchObject(expected);
    expect(failure.error).toBeInstanceOf(ConnectorError);
    expect(failure.error.code).toBe(failure.code);
    expect(JSON.stringify(failure.error.data)).toContain(`"delivery":"${failure.delivery}"`);
    expect(JSON.stringify(failure)).not.toContain('secret-token-1');
  });

  it('classifies a timeout after the request was written as unknown, by its deadline', async () => {
    const startedAt = Date.now();
    const attempt = await attemptAgainst(() => undefined, 300);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(attempt).toMatchObject({ ok: false, failure: { delivery: 'unknown', code: 'general' } });
  });

  it('turns a reply mapper that throws into a failure read from the status', async () => {
    endpoint = await serve(answer(200, { id: 'm-2' }));
    const throwing = { ...example, readReply: () => JSON.parse('{') as never };
    const attempt = await performAttempt(throwing, config, requestFor(throwing, config, { data, phone }), phone, {
      timeout: 2000,
      redact,
    });
    expect(attempt).toMatchObject({
      ok: false,
      failure: { delivery: 'unknown', code: 'invalid_response', httpStatus: 200 },
    });
  });
});

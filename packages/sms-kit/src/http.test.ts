import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import nock from 'nock';

import { logtoResponseFor } from './logto-response';
import { rejectionOf as rejection } from '../test/connector-support';
import { effectiveTimeout, excerpt, maximumReplyBytes, parseJsonSafely, send, type HttpRequest } from './http';

const request: HttpRequest = {
  method: 'POST',
  url: 'https://sms.example.com/v1/send',
  headers: { authorization: 'Bearer top-secret-token', 'content-type': 'application/json' },
  body: '{"to":"16502530000"}',
};

describe('send (nock)', () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
  });

  it('sends the request as given and returns status, text and parsed JSON', async () => {
    const scope = nock('https://sms.example.com', {
      reqheaders: { authorization: 'Bearer top-secret-token', 'content-type': 'application/json' },
    })
      .post('/v1/send', '{"to":"16502530000"}')
      .reply(201, { id: 'm1' }, { 'x-request-id': 'r1' });

    const reply = await send(request, { provider: 'Example' });

    expect(reply.status).toBe(201);
    expect(reply.text).toBe('{"id":"m1"}');
    expect(reply.json).toEqual({ id: 'm1' });
    expect(reply.truncated).toBe(false);
    expect(reply.headers.get('x-request-id')).toBe('r1');
    scope.done();
  });

  it.each([400, 401, 429, 500, 503])('returns HTTP %i instead of throwing: the reply mapper decides', async (status) => {
    nock('https://sms.example.com').post('/v1/send').reply(status, 'not json');
    const reply = await send(request, { provider: 'Example' });
    expect(reply.status).toBe(status);
    expect(reply.text).toBe('not json');
    expect(reply.json).toBeUndefined();
  });

  it('never retries a send, even on 5xx or 429', async () => {
    const scope = nock('https://sms.example.com').post('/v1/send').times(2).reply(503, 'down');
    await send(request, { provider: 'Example' });
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it('does not follow a redirect: the code and its credentials stay with the configured host', async () => {
    const elsewhere = nock('https://elsewhere.example.com').post('/steal').reply(200, 'got it');
    nock('https://sms.example.com')
      .post('/v1/send')
      .reply(307, 'moved', { location: 'https://elsewhere.example.com/steal' });

    const reply = await send(request, { provider: 'Example' });

    expect(reply.status).toBe(307);
    expect(reply.headers.get('location')).toBe('https://elsewhere.example.com/steal');
    expect(elsewhere.isDone()).toBe(false);
  });

  it('rejects a slow reply after the configured timeout as a readable general error', async () => {
    nock('https://sms.example.com').post('/v1/send').delay(2000).reply(200, '{}');
    const error = await rejection(send(request, { provider: 'Example', timeout: 50 }));

    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription:
        'Example did not answer within 50 ms (sms.example.com); the message was not retried. Check the endpoint, or raise "timeout" (at most 60000 ms).',
      provider: 'Example',
    });
    expect(logtoResponseFor(error).status).toBe(400);
  });

  it('reports a network failure naming the host, without secrets', async () => {
    nock('https://sms.example.com')
      .post('/v1/send')
      .replyWithError({ code: 'ECONNREFUSED', message: 'connect refused with Bearer top-secret-token' });
    const error = await rejection(
      send(request, { provider: 'Example', secrets: ['top-secret-token'] })
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
    const { errorDescription } = error.data as { errorDescription: string };
    expect(errorDescription).toMatch(/^Could not reach Example at sms\.example\.com after \d+ ms: /);
    expect(errorDescription).toContain('The message was not sent.');
    expect(JSON.stringify(error.data)).not.toContain('top-secret-token');
    expect(error.message).not.toContain('top-secret-token');
  });

  it('reports an invalid URL as a general error instead of a TypeError', async () => {
    const error = await rejection(send({ ...request, url: 'not a url' }, { provider: 'Example' }));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect((error.data as { errorDescription: string }).errorDescription).toContain('Could not reach Example at not a url');
  });
});

describe('send (local server)', () => {
  let server: Server;
  let base: string;
  const hanging = new Set<import('node:http').ServerResponse>();

  beforeAll(async () => {
    server = createServer((incoming, response) => {
      if (incoming.url === '/huge') {
        // 10 MB of JSON-looking text, streamed: the client must stop reading at its cap.
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(64 * 1024);
        let sent = 0;
        const pump = () => {
          while (sent < 10 * 1024 * 1024) {
            sent += chunk.length;
            if (!response.write(chunk)) {
              response.once('drain', pump);
              return;
            }
          }
          response.end();
        };
        pump();
        return;
      }
      if (incoming.url === '/headers-then-silence') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"partial":');
        hanging.add(response);
        return;
      }
      hanging.add(response);
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const response of hanging) {
      response.destroy();
    }
    server.closeAllConnections();
    await new Promise((resolve) => {
      server.close(resolve);
    });
  });

  it('caps a 10 MB reply at 1 MiB and marks it truncated', async () => {
    const reply = await send({ ...request, url: `${base}/huge` }, { provider: 'Example' });
    expect(reply.status).toBe(200);
    expect(reply.truncated).toBe(true);
    expect(Buffer.byteLength(reply.text)).toBe(maximumReplyBytes);
    expect(reply.json).toBeUndefined();
  });

  it('times out a server that never answers', async () => {
    const error = await rejection(send({ ...request, url: `${base}/never` }, { provider: 'Example', timeout: 100 }));
    expect((error.data as { errorDescription: string }).errorDescription).toContain('did not answer within 100 ms');
  });

  it('times out a reply whose body never ends: the timeout covers the whole exchange', async () => {
    const error = await rejection(
      send({ ...request, url: `${base}/headers-then-silence` }, { provider: 'Example', timeout: 100 })
    );
    expect((error.data as { errorDescription: string }).errorDescription).toContain('did not answer within 100 ms');
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => {
      closed.listen(0, '127.0.0.1', resolve);
    });
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => {
      closed.close(resolve);
    });
    const error = await rejection(send({ ...request, url: `http://127.0.0.1:${port}/` }, { provider: 'Example' }));
    expect((error.data as { errorDescription: string }).errorDescription).toMatch(
      new RegExp(`^Could not reach Example at 127\\.0\\.0\\.1:${port} after \\d+ ms: ECONNREFUSED\\.`)
    );
  });
});

describe('helpers', () => {
  it.each([
    [undefined, 10_000],
    [50, 50],
    [0, 1],
    [120_000, 60_000],
  ])('effectiveTimeout(%s) = %s', (input, expected) => {
    expect(effectiveTimeout(input)).toBe(expected);
  });

  it('parses JSON without throwing', () => {
    expect(parseJsonSafely('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonSafely('<html>')).toBeUndefined();
    expect(parseJsonSafely('')).toBeUndefined();
  });

  it('cuts excerpts to one line of at most 300 characters', () => {
    expect(excerpt(' a\n\n b ')).toBe('a b');
    expect(excerpt('y'.repeat(400))).toBe(`${'y'.repeat(300)}…`);
  });
});

import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import nock from 'nock';

import { logtoResponseFor } from './logto-response';
import { rejectionOf as rejection } from '../test/connector-support';
import { idleConnectionMs } from './exchange';
import {
  describeTransportError,
  effectiveTimeout,
  excerpt,
  maximumReplyBytes,
  parseJsonSafely,
  send,
  type HttpRequest,
} from './http';

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
    // Take nock's hooks off node:http(s): the real-socket tests below, and the files that run next in
    // this jest worker, must reach their servers unintercepted.
    nock.restore();
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

  it.each([400, 401, 429, 500, 503])(
    'returns HTTP %i instead of throwing: the reply mapper decides',
    async (status) => {
      nock('https://sms.example.com').post('/v1/send').reply(status, 'not json');
      const reply = await send(request, { provider: 'Example' });
      expect(reply.status).toBe(status);
      expect(reply.text).toBe('not json');
      expect(reply.json).toBeUndefined();
    }
  );

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

  it('rejects a reply that does not come within the timeout as a readable general error', async () => {
    // nock answers (and only then "connects") after the delay: to the kit the request never left.
    nock('https://sms.example.com').post('/v1/send').delay(2000).reply(200, '{}');
    const error = await rejection(send(request, { provider: 'Example', timeout: 50 }));

    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription:
        'Example could not be reached within 50 ms (sms.example.com: no connection or TLS handshake completed); the message was not sent. Check the endpoint and the network, or raise "timeout" (at most 60000 ms).',
      provider: 'Example',
      delivery: 'notSent',
    });
    expect(logtoResponseFor(error).status).toBe(400);
  });

  it('reports a network failure naming the host and the code in words, without secrets', async () => {
    nock('https://sms.example.com')
      .post('/v1/send')
      .replyWithError(
        Object.assign(new Error('connect refused with Bearer top-secret-token'), { code: 'ECONNREFUSED' })
      );
    const error = await rejection(send(request, { provider: 'Example', secrets: ['top-secret-token'] }));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    const { errorDescription, delivery } = error.data as { errorDescription: string; delivery: string };
    expect(errorDescription).toMatch(
      /^Could not reach Example at sms\.example\.com after \d+ ms: the connection was refused \(nothing listens on that host and port\) \(ECONNREFUSED\); the message was not sent\.$/
    );
    expect(delivery).toBe('notSent');
    expect(JSON.stringify(error.data)).not.toContain('top-secret-token');
    expect(error.message).not.toContain('top-secret-token');
  });

  it('reports an invalid URL as a general error instead of a TypeError', async () => {
    const error = await rejection(send({ ...request, url: 'not a url' }, { provider: 'Example' }));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription: `Example's endpoint is not a URL; the message was not sent. Check "endpoint".`,
      provider: 'Example',
      delivery: 'notSent',
    });
  });

  it('reports a request node:http refuses before any I/O (a header with a line break) as not sent, not a TypeError', async () => {
    const error = await rejection(
      send({ ...request, headers: { ...request.headers, 'x-note': 'a\nb' } }, { provider: 'Example' })
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toMatchObject({ provider: 'Example', delivery: 'notSent' });
    expect((error.data as { errorDescription: string }).errorDescription).toMatch(
      /^Could not reach Example at sms\.example\.com after \d+ ms: .*\(ERR_INVALID_CHAR\); the message was not sent\.$/
    );
    expect(JSON.stringify(error.data)).not.toContain('top-secret-token');
  });

  it('decodes a gzip reply a proxy compressed although nothing asked for it', async () => {
    nock('https://sms.example.com')
      .post('/v1/send')
      .reply(200, gzipSync('{"id":"m1"}'), { 'content-encoding': 'gzip', 'content-type': 'application/json' });
    const reply = await send(request, { provider: 'Example' });
    expect(reply.json).toEqual({ id: 'm1' });
  });

  it('sends no header of its own beyond host, content-length and connection', async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    nock('https://sms.example.com')
      .post('/v1/send')
      .reply(function () {
        seen = this.req.headers;
        return [200, '{}'];
      });
    await send(request, { provider: 'Example' });
    expect(Object.keys(seen).sort()).toEqual(['authorization', 'connection', 'content-length', 'content-type', 'host']);
    expect(seen['content-length']).toBe(String(Buffer.byteLength(request.body ?? '')));
  });

  it.each([
    ['ENOTFOUND', 'the host name was not found (check the endpoint spelling and DNS) (ENOTFOUND)'],
    ['CERT_HAS_EXPIRED', "the server's TLS certificate has expired (CERT_HAS_EXPIRED)"],
    ['HPE_INVALID_CONSTANT', 'the reply is not valid HTTP (HPE_INVALID_CONSTANT)'],
    ['ESOMETHING', 'boom (ESOMETHING)'],
  ])('describes %s in words', (code, words) => {
    expect(describeTransportError(Object.assign(new Error('boom'), { code }))).toBe(words);
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

  it('times out a server that never answers: the request was written, so it may have been delivered', async () => {
    const error = await rejection(send({ ...request, url: `${base}/never` }, { provider: 'Example', timeout: 100 }));
    expect(error.data).toEqual({
      errorDescription: `Example did not answer within 100 ms (127.0.0.1:${new URL(base).port}); the message may have been delivered, so it was not retried (a retry could send a second code). Check the provider's status, or raise "timeout" (at most 60000 ms).`,
      provider: 'Example',
      delivery: 'unknown',
    });
  });

  it('times out a reply whose body never ends: the timeout covers the whole exchange', async () => {
    const error = await rejection(
      send({ ...request, url: `${base}/headers-then-silence` }, { provider: 'Example', timeout: 100 })
    );
    expect((error.data as { errorDescription: string }).errorDescription).toContain('did not answer within 100 ms');
    expect((error.data as { delivery: string }).delivery).toBe('unknown');
  });

  it('reports a refused connection as not sent', async () => {
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
      new RegExp(
        `^Could not reach Example at 127\\.0\\.0\\.1:${port} after \\d+ ms: the connection was refused .*\\(ECONNREFUSED\\); the message was not sent\\.$`
      )
    );
    expect((error.data as { delivery: string }).delivery).toBe('notSent');
  });
});

/**
 * Raw TCP servers, real sockets and real time: what a black-holing or failing provider does to the
 * transport, and whether the send's connection is gone when the send has failed.
 */
describe('send (raw sockets)', () => {
  type Silent = { server: TcpServer; port: number; sockets: Socket[]; closedAt: number[]; received: Buffer[] };

  /** Accepts connections; `onData` decides what to do with what arrives (nothing, by default). */
  const startTcp = async (onData: (socket: Socket, chunk: Buffer) => void = () => undefined): Promise<Silent> => {
    const sockets: Socket[] = [];
    const closedAt: number[] = [];
    const received: Buffer[] = [];
    const server = createTcpServer((socket) => {
      sockets.push(socket);
      socket.on('data', (chunk) => {
        received.push(chunk);
        onData(socket, chunk);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => closedAt.push(Date.now()));
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    return { server, port: (server.address() as AddressInfo).port, sockets, closedAt, received };
  };

  const stop = async ({ server, sockets }: Silent) => {
    for (const socket of sockets) {
      socket.destroy();
    }
    await new Promise((resolve) => {
      server.close(resolve);
    });
  };

  const waitFor = async (condition: () => boolean, within: number) => {
    const until = Date.now() + within;
    while (!condition() && Date.now() < until) {
      await new Promise((resolve) => {
        setTimeout(resolve, 10);
      });
    }
    return condition();
  };

  it('gives up on a TLS handshake that never completes at the deadline, says not sent, and closes the socket', async () => {
    const silent = await startTcp();
    try {
      const startedAt = Date.now();
      const error = await rejection(
        send({ ...request, url: `https://127.0.0.1:${silent.port}/v1/send` }, { provider: 'Example', timeout: 300 })
      );
      const settledAt = Date.now();
      expect(settledAt - startedAt).toBeGreaterThanOrEqual(290);
      expect(error.data).toMatchObject({ delivery: 'notSent' });
      expect((error.data as { errorDescription: string }).errorDescription).toMatch(
        /^Example could not be reached within 300 ms \(127\.0\.0\.1:\d+: no connection or TLS handshake completed\); the message was not sent\./
      );
      expect(silent.sockets).toHaveLength(1);
      // The ClientHello arrived; no HTTP request can have.
      expect(Buffer.concat(silent.received).toString('latin1')).not.toContain('POST');
      expect(await waitFor(() => silent.closedAt.length === 1, 500)).toBe(true);
    } finally {
      await stop(silent);
    }
  });

  it('closes the connection of a send whose request was written and never answered', async () => {
    const silent = await startTcp();
    try {
      const error = await rejection(
        send({ ...request, url: `http://127.0.0.1:${silent.port}/v1/send` }, { provider: 'Example', timeout: 200 })
      );
      expect(error.data).toMatchObject({ delivery: 'unknown' });
      expect(Buffer.concat(silent.received).toString('utf8')).toContain('POST /v1/send HTTP/1.1');
      expect(silent.sockets).toHaveLength(1);
      expect(await waitFor(() => silent.closedAt.length === 1, 500)).toBe(true);
    } finally {
      await stop(silent);
    }
  });

  it('says "may have been delivered" when the connection drops after the request was written', async () => {
    const dropping = await startTcp((socket) => {
      socket.destroy();
    });
    try {
      const error = await rejection(
        send({ ...request, url: `http://127.0.0.1:${dropping.port}/v1/send` }, { provider: 'Example', timeout: 2000 })
      );
      expect(error.data).toMatchObject({ delivery: 'unknown' });
      expect((error.data as { errorDescription: string }).errorDescription).toMatch(
        /^The connection to Example at 127\.0\.0\.1:\d+ failed after the request was sent \(\d+ ms: .*\); the message may have been delivered, so it was not retried/
      );
      expect(dropping.sockets).toHaveLength(1);
    } finally {
      await stop(dropping);
    }
  });

  it('reuses a kept-alive connection for the next send, and closes it once idle, before a server would', async () => {
    const accepted: number[] = [];
    const server = createServer((_incoming, response) => {
      response.end('{"id":"m1"}');
    });
    const closedAt: number[] = [];
    server.on('connection', (socket) => {
      accepted.push(Date.now());
      socket.on('close', () => closedAt.push(Date.now()));
    });
    // Longer than ours, so a close can only come from the client's idle limit.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/send`;
      await send({ ...request, url }, { provider: 'Example' });
      const lastSendAt = Date.now();
      await send({ ...request, url }, { provider: 'Example' });
      expect(accepted).toHaveLength(1);
      expect(await waitFor(() => closedAt.length === 1, idleConnectionMs + 1500)).toBe(true);
      expect(closedAt[0]! - lastSendAt).toBeGreaterThanOrEqual(idleConnectionMs - 100);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => {
        server.close(resolve);
      });
    }
  }, 10_000);

  it('reports a reply that is not HTTP, after the request was written', async () => {
    const smtp = await startTcp((socket) => {
      socket.end('220 mail.example.com ESMTP ready\r\n');
    });
    try {
      const error = await rejection(
        send({ ...request, url: `http://127.0.0.1:${smtp.port}/v1/send` }, { provider: 'Example', timeout: 2000 })
      );
      expect((error.data as { errorDescription: string }).errorDescription).toMatch(
        /the reply is not valid HTTP \(HPE_/
      );
      expect(error.data).toMatchObject({ delivery: 'unknown' });
    } finally {
      await stop(smtp);
    }
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

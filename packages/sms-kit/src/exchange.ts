import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';

/**
 * One HTTP exchange on node:http(s), owned end to end: the kit's `send` needs three things no fetch
 * wrapper gives it reliably — to destroy the connection (a stalled TLS handshake included) the moment
 * its deadline passes, to know whether the request could have reached the provider, and no
 * dependency on how a given library version links an abort signal to the request.
 */

/** `connecting`: nothing has left this process yet. `written`: the provider may have the request. */
export type ExchangeStage = 'connecting' | 'written';

export type ReplyHeaders = { get: (name: string) => string | null };

export type RawReply = {
  status: number;
  headers: ReplyHeaders;
  text: string;
  truncated: boolean;
};

export type ExchangeRequest = {
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
};

export type Exchange = {
  /** Settles once: the reply, or the transport's own error. */
  reply: Promise<RawReply>;
  /** What could have reached the provider so far. */
  stage: () => ExchangeStage;
  /** Tears the connection down now; nothing of this exchange stays open. Safe to call twice. */
  destroy: () => void;
};

/**
 * An idle pooled connection is closed after this long. A server closes idle connections on its own
 * schedule (Node's default is 5 s, common in self-hosted HTTP gateways); reusing one it is closing
 * fails after the request was written, which the kit must then report as "may have been delivered".
 * Closing ours first avoids that race. On a busy instance sends still share connections.
 */
export const idleConnectionMs = 4_000;

// Keep-alive pools of our own: a send soon after another skips TCP and TLS set-up, and no other code
// in the Logto process can change their settings. Idle sockets are unref'd by Node, so they never hold
// a process open. `timeout` only closes idle pooled sockets here; a send in flight has its own deadline.
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: idleConnectionMs }),
  'https:': new https.Agent({ keepAlive: true, timeout: idleConnectionMs }),
};

const replyHeadersOf = (incoming: http.IncomingHttpHeaders): ReplyHeaders => ({
  get: (name) => {
    const value = incoming[name.toLowerCase()];
    if (value === undefined) {
      return null;
    }
    return Array.isArray(value) ? value.join(', ') : value;
  },
});

/** Providers answer plainly unless asked otherwise (we never send accept-encoding); a proxy may not. */
const decodedBody = (response: http.IncomingMessage): NodeJS.ReadableStream => {
  switch (response.headers['content-encoding']?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip': {
      return response.pipe(zlib.createGunzip());
    }
    case 'deflate': {
      return response.pipe(zlib.createInflate());
    }
    case 'br': {
      return response.pipe(zlib.createBrotliDecompress());
    }
    default: {
      return response;
    }
  }
};

export const startExchange = (url: URL, request: ExchangeRequest, maxReplyBytes: number): Exchange => {
  let stage: ExchangeStage = 'connecting';
  let settled = false;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const secure = url.protocol !== 'http:';
  const client = secure ? https : http;
  const agent = secure ? agents['https:'] : agents['http:'];

  const outgoing = client.request(url, {
    method: request.method,
    agent,
    headers: body ? { ...request.headers, 'content-length': String(body.length) } : request.headers,
  });

  const reply = new Promise<RawReply>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    };

    outgoing.on('socket', (socket: Socket) => {
      // A pooled keep-alive socket is already connected (and past TLS): the request goes out at once.
      if (outgoing.reusedSocket) {
        stage = 'written';
        return;
      }
      // Decided by the URL, not the socket's class: an interceptor (nock) may wrap a TLS socket in a
      // plain one that emits `connect` at TCP connect and forwards `secureConnect` after the handshake.
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        stage = 'written';
      });
    });
    outgoing.on('error', fail);
    outgoing.on('response', (response) => {
      // Headers back means the request arrived, whatever happens to the body.
      stage = 'written';
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () => {
        if (settled) {
          return;
        }
        settled = true;
        resolve({
          status: response.statusCode ?? 0,
          headers: replyHeadersOf(response.headers),
          text: Buffer.concat(chunks).toString('utf8'),
          truncated,
        });
      };
      const stream = decodedBody(response);
      stream.on('data', (chunk: Buffer) => {
        if (truncated) {
          return;
        }
        size += chunk.length;
        if (size > maxReplyBytes) {
          // No provider answers a send with this much; keep memory bounded and stop reading.
          truncated = true;
          chunks.push(chunk.subarray(0, chunk.length - (size - maxReplyBytes)));
          finish();
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', finish);
      stream.on('error', fail);
      response.on('error', fail);
      response.on('aborted', () => {
        fail(Object.assign(new Error('the connection closed before the reply was complete'), { code: 'ECONNRESET' }));
      });
    });
  });

  outgoing.end(body);

  return {
    reply,
    stage: () => stage,
    destroy: () => {
      settled = true;
      // Destroying the request destroys its socket: it is never returned to the pool.
      outgoing.destroy();
      outgoing.socket?.destroy();
    },
  };
};

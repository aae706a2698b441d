import net from 'node:net';
import tls from 'node:tls';

/** The longest `doctor` waits for Redis: connect, AUTH and PING together. */
export const redisPingDeadlineMs = 1000;

export type RedisPing = { ok: true; ms: number } | { ok: false; reason: string };

/** `redis.internal:6379` (`over TLS` for rediss://): where a URL points, never with its user or password. */
export const redisTarget = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}${parsed.protocol === 'rediss:' ? ' over TLS' : ''}`;
};

const bulk = (value: string) => `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
const command = (...parts: string[]) => `*${parts.length}\r\n${parts.map(bulk).join('')}`;

const decoded = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * Connects to the Redis of a `redis://` or `rediss://` URL, authenticates as the URL says (what
 * node-redis does on connect) and sends PING, all within `deadlineMs`. Resolves with the round trip
 * or the reason in words; the reason never carries the password.
 */
export const pingRedis = (url: string, deadlineMs = redisPingDeadlineMs): Promise<RedisPing> => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, reason: 'it is not a URL (expected redis://[[user]:password@]host[:port])' });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return Promise.resolve({ ok: false, reason: `it is a ${parsed.protocol}// URL, not redis:// or rediss://` });
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || 6379);
  const password = decoded(parsed.password);
  const username = decoded(parsed.username);
  const started = Date.now();

  return new Promise((resolve) => {
    let settled = false;
    let received = '';
    const expected = password ? 2 : 1;
    const socket =
      parsed.protocol === 'rediss:'
        ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host })
        : net.connect({ host, port });
    const finish = (result: RedisPing) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(result);
      }
    };
    const timer = setTimeout(() => {
      finish({ ok: false, reason: `no answer within ${deadlineMs} ms` });
    }, deadlineMs);
    socket.once(parsed.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      const auth = password ? (username ? command('AUTH', username, password) : command('AUTH', password)) : '';
      socket.write(`${auth}${command('PING')}`);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const replies = received.split('\r\n').filter(Boolean);
      const error = replies.find((reply) => reply.startsWith('-'));
      if (error) {
        const text = error
          .slice(1)
          .split(password || '\u0000')
          .join('[redacted]');
        finish({ ok: false, reason: `Redis answered "${text}"` });
      } else if (replies.length >= expected) {
        const last = replies[expected - 1];
        finish(
          last === '+PONG'
            ? { ok: true, ms: Date.now() - started }
            : { ok: false, reason: `it answered ${JSON.stringify(last)} to PING: is it a Redis server?` }
        );
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, reason: error.message });
    });
    socket.on('close', () => {
      finish({ ok: false, reason: 'the connection was closed before Redis answered PING' });
    });
  });
};

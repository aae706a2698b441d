import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A provider stand-in on 127.0.0.1 that fails in one chosen way and counts every request it saw:
 * what failover tests assert on. Real sockets and real time, so a timeout or a reset is what a real
 * client meets.
 */
export type DoubleBehaviour =
  /** Answer this, after `delayMs` (a slow provider). */
  | { reply: { status: number; body: unknown; headers?: Record<string, string>; delayMs?: number } }
  /** Answer `status` with the request's Authorization header and body quoted back, as some gateways do. */
  | { echo: number }
  /** Read the request, never answer. */
  | { hang: true }
  /** Read the request, then destroy the connection without a reply. */
  | { reset: true };

export type ProviderDouble = {
  /** `http://127.0.0.1:PORT`; give providers a path under it as their endpoint. */
  url: string;
  /** Every request seen, with its path and body. */
  requests: Array<{ path: string; body: string }>;
  close: () => Promise<void>;
};

export const startProviderDouble = async (behaviour: DoubleBehaviour): Promise<ProviderDouble> => {
  const requests: ProviderDouble['requests'] = [];
  const held = new Set<ServerResponse>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ path: request.url ?? '/', body: Buffer.concat(chunks).toString('utf8') });
      if ('hang' in behaviour) {
        held.add(response);
        return;
      }
      if ('reset' in behaviour) {
        request.socket.destroy();
        return;
      }
      if ('echo' in behaviour) {
        response.writeHead(behaviour.echo, { 'content-type': 'text/plain' });
        response.end(`${request.headers.authorization ?? ''} ${Buffer.concat(chunks).toString('utf8')}`);
        return;
      }
      const { status, body, headers = {}, delayMs = 0 } = behaviour.reply;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      held.add(response);
      setTimeout(() => {
        held.delete(response);
        if (response.destroyed) {
          return;
        }
        response.writeHead(status, {
          'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
          ...headers,
        });
        response.end(text);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () =>
      new Promise<void>((resolve) => {
        for (const response of held) {
          response.destroy();
        }
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
};

/** A port on 127.0.0.1 where nothing listens: a connection there is refused at once. */
export const closedPortUrl = async (): Promise<string> => {
  const probe = createServer();
  await new Promise<void>((resolve) => {
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => {
    probe.close(resolve);
  });
  return `http://127.0.0.1:${port}`;
};

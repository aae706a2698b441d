import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Test support only (never imported by the connector): a real HTTP server on 127.0.0.1. */
export type ReceivedRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

export type LocalGateway = {
  endpoint: string;
  host: string;
  received: ReceivedRequest[];
  close: () => Promise<void>;
};

export type Handler = (request: ReceivedRequest, response: ServerResponse) => void;

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

export const startLocalGateway = async (handler: Handler, path = '/send'): Promise<LocalGateway> => {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      received.push(entry);
      handler(entry, response);
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}${path}`,
    host: `127.0.0.1:${port}`,
    received,
    close: async () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
};

// The local provider: one HTTPS server on 127.0.0.1 in its own process (its CPU is not the
// client's), answering every provider's documented success body, chosen by the Host header.
// It counts requests per provider (answered = matched the provider's route, refused = did not) and,
// on request, captures the next request of a provider byte for byte (for the bare-fetch floor).
import { readFileSync } from 'node:fs';
import https from 'node:https';

import { hostToProvider, providers } from './providers.mjs';

const [keyPath, certPath, portArgument] = process.argv.slice(2);

const counts = Object.fromEntries(
  Object.keys(providers).map((key) => [key, { answered: 0, refused: 0, connections: 0 }])
);
const protocols = new Set();
const captures = new Map(); // provider → resolve(request)

const replies = Object.fromEntries(
  Object.entries(providers).map(([key, { reply }]) => [
    key,
    {
      status: reply.status,
      headers: { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) },
      body: Buffer.from(reply.body),
    },
  ])
);
const refusal = Buffer.from(JSON.stringify({ error: 'the benchmark responder does not know this request' }));

const server = https.createServer(
  { key: readFileSync(keyPath), cert: readFileSync(certPath), keepAliveTimeout: 60_000 },
  (request, response) => {
    const host = String(request.headers.host ?? '')
      .replace(/:\d+$/, '')
      .toLowerCase();
    const key = hostToProvider.get(host);
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const route = key && providers[key].route;
      if (!route || request.method !== route.method || !route.path.test(request.url ?? '')) {
        if (key) counts[key].refused += 1;
        response.writeHead(404, { 'content-type': 'application/json', 'content-length': refusal.length });
        response.end(refusal);
        return;
      }
      counts[key].answered += 1;
      protocols.add(`${request.socket.getProtocol?.() ?? 'TLS'}, HTTP/${request.httpVersion}`);
      const capture = captures.get(key);
      if (capture) {
        captures.delete(key);
        capture({
          method: request.method,
          url: `https://${host}${request.url}`,
          rawHeaders: request.rawHeaders,
          body: Buffer.concat(chunks).toString('base64'),
        });
      }
      const reply = replies[key];
      response.writeHead(reply.status, reply.headers);
      response.end(reply.body);
    });
  }
);
server.on('secureConnection', (socket) => {
  const key = hostToProvider.get(String(socket.servername ?? '').toLowerCase());
  if (key) counts[key].connections += 1;
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

process.on('message', (message) => {
  if (message.cmd === 'counts') {
    process.send({ id: message.id, counts, protocols: [...protocols] });
  } else if (message.cmd === 'capture') {
    captures.set(message.provider, (request) => process.send({ id: message.id, request }));
    process.send({ id: `${message.id}:armed` });
  } else if (message.cmd === 'exit') {
    server.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

server.on('error', (error) => {
  process.send({ ready: false, error: `${error.code ?? ''} ${error.message}` });
  process.exit(1);
});
server.listen(Number(portArgument), '127.0.0.1', () => {
  process.send({ ready: true, port: server.address().port });
});

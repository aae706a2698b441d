// Run by bounded-send.test.ts as
//   node --expose-gc bounded-send-child.mjs <instance's packages/core/connectors> <packages/cli/examples>
// A process of its own: the loader caches what it loads per process, `gc` needs --expose-gc, and a
// send that never settles must not be able to hold jest open. Prints one JSON line per send, then
// one `done` line, and exits by itself within the longest timeout + 5 s (+ 1 s to watch sockets close).
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { buildRawConnector, loadConnectorFactories } from '@logto/cli/lib/connector/index.js';
import { getConnectorPackagesFromDirectory } from '@logto/cli/lib/utils.js';

const [connectorsDirectory, examplesDirectory] = process.argv.slice(2);

/** The kit's timeout when the config has none; a row with `timeout: 'default'` omits the key. */
const kitDefaultTimeout = 10_000;
const timeouts = ['default', 15_000];
const schemes = ['https', 'http'];
/** Ports fetch refuses to use; a transport of our own must simply find nothing listening there. */
const fetchForbiddenPorts = [1, 25, 6000];
/** How long past its own timeout a send may stay pending before this script gives up on it. */
const safetyMargin = 5_000;
/** How long after a send settles its connection may take to close, as the server sees it. */
const closeGrace = 1_000;
const gcEvery = 250;

if (!connectorsDirectory || !examplesDirectory) {
  throw new Error('usage: node --expose-gc bounded-send-child.mjs <connectors directory> <examples directory>');
}
if (typeof globalThis.gc !== 'function') {
  throw new Error('run with --expose-gc: the bug this proves only shows when garbage collection runs during the wait');
}

const print = (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** The ConnectorError class of the connector-kit the loader imports: what Logto core's error handler checks. */
const loaderConnectorError = async () => {
  const fromHere = createRequire(import.meta.url);
  const kit = createRequire(fromHere.resolve('@logto/cli/package.json')).resolve('@logto/connector-kit');
  const { ConnectorError } = await import(pathToFileURL(kit).href);
  return ConnectorError;
};

/** Loads every installed connector as Logto does at start-up; the loader's own lines go to stderr. */
const loadConnectors = async () => {
  const skipped = [];
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const toStderr = (...args) => {
    const line = args.map(String).join(' ');
    if (line.includes('skip')) {
      skipped.push(line);
    }
    process.stderr.write(`${line}\n`);
  };
  Object.assign(console, { log: toStderr, info: toStderr, warn: toStderr, error: toStderr });
  try {
    const discovered = await getConnectorPackagesFromDirectory(connectorsDirectory);
    const factories = await loadConnectorFactories(discovered, false);
    const connectors = await Promise.all(factories.map(async (factory) => connectorOf(factory)));
    return { connectors, skipped };
  } finally {
    Object.assign(console, original);
  }
};

/** `@sms-suite-connector-twilio-sms` → `twilio`: the name of its example config. */
const shortNameOf = (installedDirectory) => installedDirectory.replace(/^.*connector-/, '').replace(/-sms$/, '');

const connectorOf = async (factory) => {
  const name = shortNameOf(path.basename(factory.path));
  const example = JSON.parse(readFileSync(path.join(examplesDirectory, `${name}.json`), 'utf8'));
  // The console-test path (getConfig throws, config as the second argument): no "database" involved.
  const { rawConnector } = await buildRawConnector(factory);
  return {
    name,
    // Every provider name the kit uses starts with the first word of the display name ("Tencent Cloud SMS" → "Tencent").
    providerWord: factory.metadata.name.en.split(' ')[0],
    example,
    sendMessage: rawConnector.sendMessage,
  };
};

/**
 * Aliyun's and Tencent's examples have mainland-China templates first; a mainland mobile keeps their
 * sends on the common path. The others take a North American number.
 */
const recipientFor = (name) => (name === 'aliyun' || name === 'tencent' ? '+8613800138000' : '+14155550100');

/**
 * The example's endpoint moved to 127.0.0.1:port, its path kept: GatewayAPI's endpoint is the full
 * send URL, the others' a base URL (Tencent's has no path at all). http:// is accepted for loopback.
 */
const endpointAt = (exampleEndpoint, scheme, port) =>
  `${scheme}://127.0.0.1:${port}${new URL(exampleEndpoint).pathname.replace(/\/+$/, '')}`;

/** A provider that accepts TCP and never writes a byte: a TLS handshake stalls, a written request waits forever. */
const startSilentServer = async () => {
  const open = new Set();
  const seen = { connections: 0, bytesReceived: 0, closedAt: [] };
  const server = net.createServer((socket) => {
    seen.connections += 1;
    open.add(socket);
    socket.on('data', (chunk) => {
      seen.bytesReceived += chunk.length;
    });
    // The client resetting a connection it gave up on is the expected end, not a failure.
    socket.on('error', () => {});
    socket.on('close', () => {
      seen.closedAt.push(performance.now());
      open.delete(socket);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: server.address().port,
    seen,
    openSockets: () => open.size,
    stop: () => {
      for (const socket of open) {
        socket.destroy();
      }
      server.close();
    },
  };
};

/** What a connect to 127.0.0.1:port finds: only a `refused` port can stand for "nothing listens". */
const probePort = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (state) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => done('no answer to a connect within 1 s'), 1000);
    socket.once('connect', () => done('something listens there'));
    socket.once('error', (error) => done(error.code === 'ECONNREFUSED' ? 'refused' : `connect failed: ${error.code}`));
  });

/**
 * The send's promise, or `unsettled` once `cap` ms have passed. The settle time is taken in the
 * promise's own callback, not after the race, so a busy event loop cannot pad it.
 */
const settleWithin = (promise, cap) =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ state: 'unsettled', at: performance.now() }), cap);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ state: 'resolved', value, at: performance.now() });
      },
      (error) => {
        clearTimeout(timer);
        resolve({ state: 'rejected', error, at: performance.now() });
      }
    );
  });

/** Waits until every connection the server accepted has closed, or `deadline` (a performance.now() time) passes. */
const waitForClose = async (server, deadline) => {
  while (server.openSockets() > 0 && performance.now() < deadline) {
    await sleep(20);
  }
};

const stringified = (data) => {
  try {
    return JSON.stringify(data);
  } catch {
    return String(data);
  }
};

const errorFacts = (outcome, ConnectorError) => {
  if (outcome.state !== 'rejected') {
    return { errorName: null, isLoaderConnectorError: false, code: null, data: null };
  }
  const { error } = outcome;
  return {
    errorName: error?.name ?? typeof error,
    isLoaderConnectorError: error instanceof ConnectorError,
    code: error?.code ?? null,
    data: stringified(error?.data),
  };
};

const configFor = (connector, endpoint, timeout) => ({
  ...connector.example,
  endpoint,
  ...(timeout === 'default' ? {} : { timeout }),
});

const messageFor = (connector) => ({ to: recipientFor(connector.name), type: 'Generic', payload: { code: '123456' } });

/** One send to its own silent server; the row says how it ended and what the server saw. */
const silentSend = async (connector, scheme, timeout, ConnectorError) => {
  const server = await startSilentServer();
  const deadline = timeout === 'default' ? kitDefaultTimeout : timeout;
  const config = configFor(connector, endpointAt(connector.example.endpoint, scheme, server.port), timeout);
  const startedAt = performance.now();
  const outcome = await settleWithin(connector.sendMessage(messageFor(connector), config), deadline + safetyMargin);
  const settled = outcome.state !== 'unsettled';
  if (settled) {
    await waitForClose(server, outcome.at + closeGrace);
  }
  const row = {
    kind: 'send',
    case: 'silent server',
    connector: connector.name,
    providerWord: connector.providerWord,
    scheme,
    timeout,
    deadline,
    port: server.port,
    settled,
    outcome: outcome.state,
    elapsed: Math.round(outcome.at - startedAt),
    ...errorFacts(outcome, ConnectorError),
    connections: server.seen.connections,
    bytesReceived: server.seen.bytesReceived,
    // Negative: closed before the send settled (the kit tore the connection down first).
    closeDelays: server.seen.closedAt.map((at) => Math.round(at - outcome.at)),
    closedWithinGrace:
      settled && server.openSockets() === 0 && server.seen.closedAt.every((at) => at - outcome.at <= closeGrace),
  };
  server.stop();
  return row;
};

/** One send to a port fetch forbids and nothing listens on: it must be refused at once. */
const forbiddenPortSend = async (connector, port, portState, ConnectorError) => {
  const base = {
    kind: 'send',
    case: 'forbidden port',
    connector: connector.name,
    providerWord: connector.providerWord,
  };
  const common = { ...base, scheme: 'http', timeout: 'default', deadline: kitDefaultTimeout, port };
  if (portState !== 'refused') {
    return { ...common, skipped: `127.0.0.1:${port}: ${portState}` };
  }
  const config = configFor(connector, endpointAt(connector.example.endpoint, 'http', port), 'default');
  const startedAt = performance.now();
  const outcome = await settleWithin(
    connector.sendMessage(messageFor(connector), config),
    kitDefaultTimeout + safetyMargin
  );
  return {
    ...common,
    settled: outcome.state !== 'unsettled',
    outcome: outcome.state,
    elapsed: Math.round(outcome.at - startedAt),
    ...errorFacts(outcome, ConnectorError),
  };
};

const runAll = async () => {
  const startedAt = performance.now();
  const ConnectorError = await loaderConnectorError();
  const { connectors, skipped } = await loadConnectors();
  const portStates = new Map(await Promise.all(fetchForbiddenPorts.map(async (port) => [port, await probePort(port)])));
  // Collect garbage all through the wait: a send whose only path to its deadline is weakly held dies here.
  const collector = setInterval(() => globalThis.gc(), gcEvery);
  const sends = connectors.flatMap((connector) => [
    ...schemes.flatMap((scheme) => timeouts.map((timeout) => silentSend(connector, scheme, timeout, ConnectorError))),
    ...fetchForbiddenPorts.map((port) => forbiddenPortSend(connector, port, portStates.get(port), ConnectorError)),
  ]);
  // Print each row as it ends, so a child killed from outside still leaves what it learned.
  await Promise.all(sends.map(async (send) => print(await send)));
  clearInterval(collector);
  print({
    kind: 'done',
    node: process.version,
    loaded: connectors.map(({ name }) => name),
    skippedLoads: skipped,
    totalMs: Math.round(performance.now() - startedAt),
  });
};

try {
  await runAll();
} catch (error) {
  print({ kind: 'crash', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}
// A send that never settled may still hold a socket or a timer: leave anyway, once stdout is flushed.
process.stdout.write('', () => {
  process.exit();
});

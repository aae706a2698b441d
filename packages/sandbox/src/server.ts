import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { authorizationSecrets } from '@sms-suite/sms-kit';

import { sandboxSecretValues } from './credentials';
import {
  jsonReply,
  type HandlerResult,
  type ProviderContext,
  type ProviderHandler,
  type Reply,
  type SandboxRequest,
} from './exchange';
import { createIds } from './ids';
import { magicNumbers } from './magic';
import { createOutageBoard, outageModeList } from './outage-board';
import { outageResult } from './outages';
import { handleAliyun } from './providers/aliyun';
import { handleGatewayApi } from './providers/gatewayapi';
import { handleHttpSms } from './providers/http-sms';
import { handleSmsAero } from './providers/smsaero';
import { handleTencent } from './providers/tencent';
import { handleTwilio } from './providers/twilio';
import { handleVonage } from './providers/vonage';
import { createSandboxRedactor } from './redact';
import { sandboxProviders, type InboxEntry, type Sandbox, type SandboxOptions, type SandboxProvider } from './types';
import { aliyunWindowMs } from './verify/aliyun-rpc';
import { parseBasicAuthorization } from './verify/basic-auth';
import { ReplayGuard } from './verify/replay-guard';
import { webhookToleranceSeconds } from './verify/standard-webhooks';

/** Where each provider lives on the one server. */
export const providerPrefixes: Record<SandboxProvider, string> = {
  twilio: '/twilio',
  aliyun: '/aliyun',
  tencent: '/tencent',
  http: '/http-sms',
  smsaero: '/smsaero/v2',
  gatewayapi: '/gatewayapi/rest/mtsms',
  vonage: '/vonage',
};

/**
 * The value of a connector config's `endpoint` for a provider of the sandbox at `url`
 * (`http://127.0.0.1:PORT`): what `Sandbox.endpointFor` answers, for a sandbox in another process.
 * The Tencent connector's endpoint is a scheme and a host only: it always posts to `/`.
 */
export const sandboxEndpoint = (url: string, provider: SandboxProvider): string =>
  provider === 'tencent' ? url : `${url}${providerPrefixes[provider]}`;

const handlers: Record<SandboxProvider, ProviderHandler> = {
  twilio: handleTwilio,
  aliyun: handleAliyun,
  tencent: handleTencent,
  http: handleHttpSms,
  smsaero: handleSmsAero,
  gatewayapi: handleGatewayApi,
  vonage: handleVonage,
};

/** Requests larger than this are refused (413): no send is anywhere near it. */
export const maximumRequestBytes = 1024 * 1024;
/** The inbox keeps the newest messages only, so a long-running sandbox stays small. */
export const inboxLimit = 1000;

const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maximumRequestBytes) {
        request.removeAllListeners('data');
        request.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });

const flatHeaders = (request: IncomingMessage): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value])
  );

/** The provider a path belongs to, and the path below its prefix. Tencent also answers at `/` (see endpointFor). */
const route = (
  pathname: string,
  method: string,
  headers: Readonly<Record<string, string | undefined>>
): { provider: SandboxProvider; path: string } | undefined => {
  for (const provider of sandboxProviders) {
    const prefix = providerPrefixes[provider];
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
      return { provider, path: pathname.slice(prefix.length) || '/' };
    }
  }
  // Tencent's connector posts to the origin (`{endpoint}/`, the path it signs), so it is served at the root.
  if (pathname === '/' && method === 'POST' && headers['x-tc-action'] !== undefined) {
    return { provider: 'tencent', path: '/' };
  }
  return undefined;
};

/** `v1,sigA v1,sigB` → the header value and each signature alone. */
const webhookSignatures = (header: string | string[] | undefined): string[] => {
  const value = Array.isArray(header) ? header.join(' ') : header;
  return value ? [value, ...value.split(/[\s,]+/).filter((part) => part.length > 8)] : [];
};

/** Secrets the request itself carried, so that not even a wrong one is logged. */
export const requestSecrets = (request: SandboxRequest): string[] => {
  const authorization = request.headers.authorization;
  const basic = parseBasicAuthorization(authorization);
  const bodyText = request.body.toString('utf8');
  const fromBody = (name: string) => {
    const form = new URLSearchParams(bodyText).get(name);
    const json = /^\s*\{/.test(bodyText) ? new RegExp(`"${name}"\\s*:\\s*"([^"]*)"`).exec(bodyText)?.[1] : undefined;
    return [form ?? undefined, json];
  };
  return [
    authorization,
    authorization?.replace(/^\S+\s+/, ''),
    basic?.password,
    // GatewayAPI's token is the Basic user name.
    basic && !basic.password ? basic.user : undefined,
    request.query.get('token') ?? undefined,
    request.query.get('api_secret') ?? undefined,
    ...fromBody('api_secret'),
    ...fromBody('token'),
    // Signatures are credentials too: Aliyun's form field, Tencent's in Authorization, Standard Webhooks'.
    ...fromBody('Signature'),
    ...authorizationSecrets({ authorization: authorization ?? '' }),
    ...webhookSignatures(request.headers['webhook-signature']),
  ].filter((secret): secret is string => Boolean(secret));
};

const send = (response: ServerResponse, reply: Reply) => {
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
  response.end(reply.body);
};

const zeroCounts = (): Record<SandboxProvider, number> =>
  Object.fromEntries(sandboxProviders.map((provider) => [provider, 0])) as Record<SandboxProvider, number>;

/**
 * Starts the sandbox on 127.0.0.1: every provider under its prefix, the inbox at `/inbox`
 * (GET as JSON, DELETE to clear), request counts at `/requests`, outages at `/outages`, an index at `/`.
 */
export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const inbox: InboxEntry[] = [];
  const held = new Set<ServerResponse>();
  const ids = createIds();
  const aliyunNonces = new ReplayGuard(aliyunWindowMs);
  const webhookIds = new ReplayGuard(webhookToleranceSeconds * 1000 * 2);
  const sandboxSecrets = sandboxSecretValues();
  let counts = zeroCounts();
  let closing = false;
  let url = '';
  // After close() nothing is logged: the caller has moved on.
  const log = (line: string, redact: (text: string) => string) => {
    if (!closing) {
      options.log?.(redact(line));
    }
  };
  // For lines that carry no request: the sandbox's own secrets are all there is to hide.
  const sandboxRedact = createSandboxRedactor(sandboxSecrets).text;

  const endpointFor = (provider: SandboxProvider): string => sandboxEndpoint(url, provider);

  const outages = createOutageBoard({
    initial: options.outages ?? {},
    log: (line) => {
      log(`sandbox    ${line}`, sandboxRedact);
    },
  });

  const accept = (
    provider: SandboxProvider,
    result: Extract<HandlerResult, { kind: 'reply' }>,
    deep: (value: unknown) => unknown
  ) => {
    for (const accepted of result.accepted ?? []) {
      const entry = deep({ ...accepted, provider, receivedAt: new Date().toISOString() }) as InboxEntry;
      inbox.push(entry);
      if (inbox.length > inboxLimit) {
        inbox.splice(0, inbox.length - inboxLimit);
      }
      options.onMessage?.(entry);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const requestUrl = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const headers = flatHeaders(request);
    const target = route(requestUrl.pathname, method, headers);
    // Every request a provider receives counts, whatever comes of it (413, outage, hold, reply).
    if (target) {
      counts[target.provider] += 1;
    }
    const body = await readBody(request);
    const baseRedactor = createSandboxRedactor(sandboxSecrets);

    if (body === undefined) {
      send(response, jsonReply(413, { error: `The request body is larger than ${maximumRequestBytes} bytes.` }));
      log(`sandbox    413 request body over ${maximumRequestBytes} bytes (${requestUrl.pathname})`, baseRedactor.text);
      return;
    }

    if (requestUrl.pathname === '/inbox') {
      if (method === 'GET') {
        send(response, jsonReply(200, inbox));
      } else if (method === 'DELETE') {
        const cleared = inbox.length;
        inbox.length = 0;
        send(response, jsonReply(200, { cleared }));
        log(`sandbox    inbox cleared (${cleared} message${cleared === 1 ? '' : 's'})`, baseRedactor.text);
      } else {
        send(response, jsonReply(405, { error: 'GET /inbox lists the messages, DELETE /inbox clears them.' }));
      }
      return;
    }

    if (requestUrl.pathname === '/requests') {
      if (method === 'GET') {
        send(response, jsonReply(200, counts));
      } else if (method === 'DELETE') {
        const cleared = Object.values(counts).reduce((sum, count) => sum + count, 0);
        counts = zeroCounts();
        send(response, jsonReply(200, { cleared }));
        log(`sandbox    request counts reset (${cleared} request${cleared === 1 ? '' : 's'})`, baseRedactor.text);
      } else {
        send(
          response,
          jsonReply(405, { error: 'GET /requests counts the requests per provider, DELETE resets them.' })
        );
      }
      return;
    }

    if (requestUrl.pathname === '/outages' || requestUrl.pathname.startsWith('/outages/')) {
      send(response, outages.control(method, requestUrl.pathname, body));
      return;
    }

    if (!target) {
      const index = {
        sandbox: 'sms-connector provider sandbox',
        endpoints: Object.fromEntries(sandboxProviders.map((provider) => [provider, endpointFor(provider)])),
        inbox: `${url}/inbox`,
        requests: `${url}/requests`,
        magicNumbers: magicNumbers.map(({ number, outcome, description }) => ({ number, outcome, description })),
        outages: { control: `${url}/outages`, active: outages.active(), modes: outageModeList() },
      };
      send(
        response,
        requestUrl.pathname === '/' && method === 'GET'
          ? jsonReply(200, index)
          : jsonReply(404, { error: `Nothing is served at ${method} ${requestUrl.pathname}.`, ...index })
      );
      return;
    }

    const sandboxRequest: SandboxRequest = {
      method,
      path: target.path,
      rawQuery: requestUrl.search.slice(1),
      query: requestUrl.searchParams,
      headers,
      body,
    };
    const redactor = createSandboxRedactor([...sandboxSecrets, ...requestSecrets(sandboxRequest)]);
    const context: ProviderContext = { nowMs: Date.now(), ids, aliyunNonces, webhookIds };
    const label = target.provider.padEnd(10);

    // An outage answers before the provider looks at the request: credentials and magic numbers alike.
    const outage = outages.modeOf(target.provider);
    let result: HandlerResult;
    try {
      result = outage
        ? outageResult(target.provider, outage, sandboxRequest, context)
        : handlers[target.provider](sandboxRequest, context);
    } catch (error: unknown) {
      // A sandbox bug, never a provider behaviour: say so plainly.
      send(response, jsonReply(500, { error: 'The sandbox failed to handle this request (a sandbox bug).' }));
      log(`${label} 500 sandbox error: ${error instanceof Error ? error.message : String(error)}`, redactor.text);
      return;
    }

    if (result.kind === 'hold') {
      const startedAt = Date.now();
      held.add(response);
      response.once('close', () => {
        held.delete(response);
        log(`${label} client gave up after ${Date.now() - startedAt} ms`, redactor.text);
      });
      log(`${label} ${result.summary}`, redactor.text);
      return;
    }

    if (result.kind === 'reset') {
      // RST rather than FIN: the client sees ECONNRESET after its request went out, as when a
      // provider's load balancer drops the connection.
      request.socket.resetAndDestroy();
      log(`${label} ${result.summary}`, redactor.text);
      return;
    }

    send(response, result.reply);
    accept(target.provider, result, redactor.deep);
    log(`${label} ${result.summary}`, redactor.text);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        send(response, jsonReply(500, { error: 'The sandbox failed to read this request.' }));
      }
      options.log?.(`sandbox    request failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? Object.assign(new Error(`Port ${options.port} on 127.0.0.1 is already in use: choose another port.`), {
              code: error.code,
            })
          : error
      );
    };
    server.once('error', onError);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    inbox,
    endpointFor,
    get outages() {
      return Object.freeze(outages.active());
    },
    setOutage: outages.set,
    clearOutage: outages.clear,
    requestCounts: () => ({ ...counts }),
    resetRequestCounts: () => {
      counts = zeroCounts();
    },
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        closing = true;
        server.close((error) => {
          if (error) {
            reject(error);
            return;
          }
          resolve();
        });
        // Held requests and keep-alive connections would keep close() waiting: end them now.
        for (const response of held) {
          response.destroy();
        }
        server.closeAllConnections();
      });
      return closed;
    },
  };
};

// Variant `node-https`: packages/sms-kit/src/http.ts with send() on node:http(s) (the global keep-alive
// agents) instead of ky. Same exports and the same contract: never retried, no redirect followed, one
// timeout for the whole exchange (reply body included), the reply capped, HTTP error statuses
// returned, every failure a ConnectorError with secrets redacted (the redactor is only built when a
// failure needs it). The kit's own http.test.ts passes against this file, with one change: nock's
// replyWithError needs an Error (`Object.assign(new Error(message), { code })`) rather than a plain
// object once the request goes through node:http (see bench/README.md).
import http from 'node:http';
import https from 'node:https';

import { toConnectorError } from '../../packages/sms-kit/src/errors';
import { authorizationSecrets, createRedactor } from '../../packages/sms-kit/src/redact';

export const defaultTimeout = 10_000;
export const maximumTimeout = 60_000;
/** Replies larger than this are cut: no provider answers a send with more, and memory stays bounded. */
export const maximumReplyBytes = 1024 * 1024;

export type HttpRequest = {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string;
};

export type HttpReply = {
  status: number;
  headers: Headers;
  /** The body as text, cut at `maximumReplyBytes`. */
  text: string;
  truncated: boolean;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
};

export type SendOptions = {
  /** Provider name for error messages: `Twilio`, `Aliyun`. */
  provider: string;
  /** Milliseconds for the whole exchange, reply body included. Defaults to 10 s, at most 60 s. */
  timeout?: number;
  /** Secret values that must never appear in an error (the Authorization header is added here). */
  secrets?: ReadonlyArray<string | undefined>;
  maxReplyBytes?: number;
};

export const parseJsonSafely = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

export const effectiveTimeout = (timeout?: number): number =>
  Math.min(Math.max(timeout ?? defaultTimeout, 1), maximumTimeout);

const toHeaders = (incoming: http.IncomingHttpHeaders): Headers => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) {
      for (const item of value) {
        headers.append(name, item);
      }
    } else if (value !== undefined) {
      headers.set(name, value);
    }
  }
  return headers;
};

/** node:http puts the system error code on the error itself (`ECONNREFUSED`), fetch on its cause. */
const reasonOf = (error: unknown): string => {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (typeof code === 'string' && code !== 'ABORT_ERR') {
    return code;
  }
  if (cause && typeof cause.code === 'string') {
    return cause.code;
  }
  if (cause && typeof cause.message === 'string') {
    return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
};

const exchange = (url: URL, request: HttpRequest, signal: AbortSignal, limit: number) =>
  new Promise<HttpReply>((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const client = url.protocol === 'http:' ? http : https;
    const outgoing = client.request(
      url,
      {
        method: request.method,
        headers: body ? { ...request.headers, 'content-length': String(body.length) } : request.headers,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: toHeaders(response.headers),
            text,
            truncated,
            json: parseJsonSafely(text),
          });
        };
        response.on('data', (chunk: Buffer) => {
          if (truncated) {
            return;
          }
          size += chunk.length;
          if (size > limit) {
            truncated = true;
            chunks.push(chunk.subarray(0, chunk.length - (size - limit)));
            response.destroy();
            finish();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', finish);
        response.on('error', reject);
      }
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });

export const send = async (request: HttpRequest, options: SendOptions): Promise<HttpReply> => {
  const timeout = effectiveTimeout(options.timeout);
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, timeout);
  const startedAt = Date.now();
  let host = request.url;

  try {
    const url = new URL(request.url);
    host = url.host;
    return await exchange(url, request, controller.signal, options.maxReplyBytes ?? maximumReplyBytes);
  } catch (error: unknown) {
    const redact = createRedactor([...(options.secrets ?? []), ...authorizationSecrets(request.headers)]);
    const description = controller.signal.aborted
      ? `${options.provider} did not answer within ${timeout} ms (${host}); the message was not retried. Check the endpoint, or raise "timeout" (at most ${maximumTimeout} ms).`
      : `Could not reach ${options.provider} at ${host} after ${Date.now() - startedAt} ms: ${reasonOf(error)}. The message was not sent.`;
    throw toConnectorError(options.provider, { kind: 'general', description }, redact);
  } finally {
    clearTimeout(timer);
  }
};

/** The first `length` characters of a reply body, on one line, for an error description. */
export const excerpt = (text: string, length = 300): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
};

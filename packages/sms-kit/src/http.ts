import ky from 'ky';

import { toConnectorError } from './errors';
import { authorizationSecrets, createRedactor } from './redact';

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

const readCapped = async (response: Response, limit: number): Promise<{ text: string; truncated: boolean }> => {
  if (!response.body) {
    return { text: '', truncated: false };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    // eslint-disable-next-line no-await-in-loop
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = Buffer.concat(chunks, Math.min(size, limit));
  return { text: new TextDecoder().decode(bytes), truncated };
};

const reasonOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') {
    return cause.code;
  }
  if (cause && typeof cause.message === 'string') {
    return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
};

export const effectiveTimeout = (timeout?: number): number =>
  Math.min(Math.max(timeout ?? defaultTimeout, 1), maximumTimeout);

/**
 * The one place a connector talks to the network. A send is never retried (a retried POST can
 * deliver a second code) nor redirected (a 3xx comes back as the reply, for the mapper to report);
 * the timeout bounds the whole exchange, reply body included; the reply body
 * is capped; every failure leaves as a ConnectorError with secrets redacted. HTTP error statuses are
 * returned, not thrown: the connector's reply mapper decides what they mean.
 */
export const send = async (request: HttpRequest, options: SendOptions): Promise<HttpReply> => {
  const timeout = effectiveTimeout(options.timeout);
  const redact = createRedactor([...(options.secrets ?? []), ...authorizationSecrets(request.headers)]);
  const host = (() => {
    try {
      return new URL(request.url).host;
    } catch {
      return request.url;
    }
  })();
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, timeout);
  const startedAt = Date.now();

  try {
    const response = await ky(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      retry: { limit: 0 },
      // A redirect would re-send the code, and any custom credential header, to another host.
      redirect: 'manual',
      timeout: false,
      throwHttpErrors: false,
      signal: controller.signal,
    });
    const { text, truncated } = await readCapped(response, options.maxReplyBytes ?? maximumReplyBytes);
    return {
      status: response.status,
      headers: response.headers,
      text,
      truncated,
      json: parseJsonSafely(text),
    };
  } catch (error: unknown) {
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

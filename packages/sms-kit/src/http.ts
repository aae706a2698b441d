import { toConnectorError, type Delivery } from './errors';
import { startExchange, type ExchangeStage, type ReplyHeaders } from './exchange';
import { createRedactor, requestSecrets, type Redactor } from './redact';

export type { ReplyHeaders } from './exchange';

export const defaultTimeout = 10_000;
export const maximumTimeout = 60_000;
/** Replies larger than this are cut: no provider answers a send with more, and memory stays bounded. */
export const maximumReplyBytes = 1024 * 1024;

export type HttpRequest = {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * Values this request carries that must never be shown, beyond the config's secrets: a signature
   * in a form field, say. The Authorization value, credential-named headers and a URL password are
   * found without being listed.
   */
  secrets?: readonly string[];
};

export type HttpReply = {
  status: number;
  headers: ReplyHeaders;
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
  /** The config's secret values; what the request itself carries is added here. */
  secrets?: ReadonlyArray<string | undefined>;
  /** The send's redactor, when the caller already has one (it must cover `requestSecrets(request)`). */
  redact?: Redactor;
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

/** System and TLS codes an admin meets, in words; the code itself stays in the text for searching. */
const transportReasons: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens on that host and port)',
  ENOTFOUND: 'the host name was not found (check the endpoint spelling and DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while the request was being written',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPROTO: 'the TLS handshake failed (is the endpoint really https?)',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's TLS certificate could not be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is not valid for this host name",
};

export const describeTransportError = (error: unknown): string => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code !== 'string') {
    return text;
  }
  if (code.startsWith('HPE_')) {
    return `the reply is not valid HTTP (${code})`;
  }
  const reason = transportReasons[code];
  return reason ? `${reason} (${code})` : `${text} (${code})`;
};

const hostOf = (url: URL): string => url.host;

const notSent = 'the message was not sent';
const maybeDelivered = 'the message may have been delivered, so it was not retried (a retry could send a second code)';

const timeoutDescription = (provider: string, url: URL, timeout: number, stage: ExchangeStage): string =>
  stage === 'connecting'
    ? `${provider} could not be reached within ${timeout} ms (${hostOf(url)}: no connection${url.protocol === 'https:' ? ' or TLS handshake' : ''} completed); ${notSent}. Check the endpoint and the network, or raise "timeout" (at most ${maximumTimeout} ms).`
    : `${provider} did not answer within ${timeout} ms (${hostOf(url)}); ${maybeDelivered}. Check the provider's status, or raise "timeout" (at most ${maximumTimeout} ms).`;

const failureDescription = (
  provider: string,
  url: URL,
  elapsed: number,
  error: unknown,
  stage: ExchangeStage
): string =>
  stage === 'connecting'
    ? `Could not reach ${provider} at ${hostOf(url)} after ${elapsed} ms: ${describeTransportError(error)}; ${notSent}.`
    : `The connection to ${provider} at ${hostOf(url)} failed after the request was sent (${elapsed} ms: ${describeTransportError(error)}); ${maybeDelivered}.`;

const deliveryOf = (stage: ExchangeStage): Delivery => (stage === 'connecting' ? 'notSent' : 'unknown');

/**
 * The one place a connector talks to the network. A send is never retried (a retried POST can
 * deliver a second code) nor redirected (a 3xx comes back as the reply, for the mapper to report).
 * One deadline bounds the whole exchange — DNS, connect, TLS, request, headers, body: when it
 * passes, the send rejects and its connection is destroyed, whatever the socket is doing. The reply
 * body is capped; HTTP error statuses are returned, not thrown (the connector's reply mapper decides
 * what they mean); every failure leaves as a ConnectorError with secrets redacted, saying whether
 * the message certainly was not sent (`data.delivery: 'notSent'`) or may have been (`'unknown'`).
 */
export const send = async (request: HttpRequest, options: SendOptions): Promise<HttpReply> => {
  const timeout = effectiveTimeout(options.timeout);
  const redact = options.redact ?? createRedactor([...(options.secrets ?? []), ...requestSecrets(request)]);
  const fail = (description: string, delivery: Delivery) =>
    toConnectorError(options.provider, { kind: 'general', description, delivery }, redact);

  if (!URL.canParse(request.url)) {
    throw fail(`${options.provider}'s endpoint is not a URL; ${notSent}. Check "endpoint".`, 'notSent');
  }
  const url = new URL(request.url);
  const startedAt = Date.now();
  const exchange = (() => {
    try {
      return startExchange(url, request, options.maxReplyBytes ?? maximumReplyBytes);
    } catch (error: unknown) {
      // node:http refuses some requests before any I/O (a header value with a line break): not sent.
      throw fail(failureDescription(options.provider, url, Date.now() - startedAt, error, 'connecting'), 'notSent');
    }
  })();

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const stage = exchange.stage();
      exchange.destroy();
      reject(fail(timeoutDescription(options.provider, url, timeout, stage), deliveryOf(stage)));
    }, timeout);
  });

  try {
    const reply = await Promise.race([
      exchange.reply.catch((error: unknown) => {
        const stage = exchange.stage();
        exchange.destroy();
        throw fail(failureDescription(options.provider, url, Date.now() - startedAt, error, stage), deliveryOf(stage));
      }),
      deadline,
    ]);
    return { ...reply, json: parseJsonSafely(reply.text) };
  } finally {
    clearTimeout(timer);
  }
};

/** The first `length` characters of a reply body, on one line, for an error description. */
export const excerpt = (text: string, length = 300): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
};

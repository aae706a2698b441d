import { excerpt, fail, succeed, type HttpReply, type Outcome, type CodeRule } from '@sms-suite/sms-kit';

import type { HttpSmsConfig } from './provider';

/** What `sendMessage` resolves with: the gateway's message id when it gave one. */
export type HttpSmsResult = { messageId?: string };

/**
 * The response contract's error codes (HTTP 400 or 422 with `{ "error": { "code", "message" } }`).
 * Any other code is reported as `general` with the code and the message.
 */
export const gatewayErrorCodes: Readonly<Record<string, CodeRule>> = {
  invalid_recipient: { kind: 'recipient' },
  invalid_config: { kind: 'config', field: 'endpoint' },
  rate_limited: { kind: 'rateLimit' },
  quota_exceeded: { kind: 'usageLimit' },
};

/** Statuses whose body may carry the contract's error object. */
export const contractStatuses: ReadonlySet<number> = new Set([400, 422]);

type GatewayError = { code?: string; message?: string };

const textOrNumber = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : undefined;

/** `{ "error": { "code": "…", "message": "…" } }`, or undefined when the body is not shaped so. */
export const gatewayErrorOf = (json: unknown): GatewayError | undefined => {
  const error = (json as { error?: unknown } | undefined)?.error;
  if (!error || typeof error !== 'object' || Array.isArray(error)) {
    return undefined;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  const parsed = { code: textOrNumber(code), message: textOrNumber(message) };
  return parsed.code === undefined && parsed.message === undefined ? undefined : parsed;
};

/** `Retry-After: 30` → `30 s`; an HTTP date is kept as written. */
export const describeRetryAfter = (value: string | null): string | undefined => {
  const trimmed = value?.trim();
  if (!trimmed) {
    return undefined;
  }
  return /^\d+$/.test(trimmed) ? `${trimmed} s` : excerpt(trimmed, 64);
};

const hostOf = (endpoint: string): string => {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
};

/** Which credential a 401/403 most likely concerns: the ones configured, in the order they are sent. */
const credentialField = (config: Pick<HttpSmsConfig, 'authorization' | 'headers' | 'signingSecret'>): string => {
  if (config.authorization) {
    return 'authorization';
  }
  if (config.headers && Object.keys(config.headers).length > 0) {
    return 'headers';
  }
  if (config.signingSecret) {
    return 'signingSecret';
  }
  return 'authorization';
};

const bodyText = (reply: HttpReply): string => excerpt(reply.text) || '(empty body)';

/**
 * The response contract, as data in, outcome out:
 * - 2xx: sent; `{ "messageId": "…" }` is passed back, any other body still means sent.
 * - 429: rate limited (Retry-After in the description).
 * - 401, 403: the credentials (`authorization`, `headers`, `signingSecret`) are wrong.
 * - 400, 422 with `{ "error": { "code", "message" } }`: mapped by `gatewayErrorCodes`.
 * - 3xx (a redirect the HTTP client did not follow): `endpoint` should be the final URL.
 * - anything else: `general` with the status and the first 300 characters of the body.
 */
export const readHttpSmsReply = (
  reply: HttpReply,
  config: Pick<HttpSmsConfig, 'endpoint' | 'authorization' | 'headers' | 'signingSecret'>
): Outcome<HttpSmsResult> => {
  const host = hostOf(config.endpoint);
  const requestId = reply.headers.get('x-request-id') ?? undefined;
  const httpStatus = reply.status;
  const gatewayError = gatewayErrorOf(reply.json);
  const messageOrBody = gatewayError?.message === undefined ? bodyText(reply) : excerpt(gatewayError.message);

  if (reply.status >= 200 && reply.status < 300) {
    const messageId = textOrNumber((reply.json as { messageId?: unknown } | undefined)?.messageId);
    return succeed(messageId === undefined ? {} : { messageId });
  }

  if (reply.status === 429) {
    const retryAfter = describeRetryAfter(reply.headers.get('retry-after'));
    return fail({
      kind: 'rateLimit',
      description: `The SMS gateway at ${host} is rate limiting (HTTP 429${retryAfter ? `, Retry-After: ${retryAfter}` : ''}): ${messageOrBody}`,
      providerCode: gatewayError?.code,
      httpStatus,
      requestId,
    });
  }

  if (reply.status === 401 || reply.status === 403) {
    return fail({
      kind: 'config',
      field: credentialField(config),
      description: `The SMS gateway at ${host} refused the credentials (HTTP ${reply.status}): ${messageOrBody}. Check "authorization", "headers" and "signingSecret".`,
      providerCode: gatewayError?.code,
      httpStatus,
      requestId,
    });
  }

  if (reply.status >= 300 && reply.status < 400) {
    const location = reply.headers.get('location');
    return fail({
      kind: 'config',
      field: 'endpoint',
      description: `The SMS gateway at ${host} answered HTTP ${reply.status}${location ? ` (redirect to ${excerpt(location, 200)})` : ''}: set "endpoint" to the URL that accepts the POST itself.`,
      httpStatus,
      requestId,
    });
  }

  if (contractStatuses.has(reply.status) && gatewayError?.code !== undefined) {
    const rule: CodeRule = gatewayErrorCodes[gatewayError.code] ?? { kind: 'general' };
    return fail({
      kind: rule.kind,
      field: rule.field,
      description: `The SMS gateway at ${host} rejected the message (HTTP ${reply.status}, ${gatewayError.code}): ${messageOrBody}`,
      providerCode: gatewayError.code,
      httpStatus,
      requestId,
    });
  }

  return fail({
    kind: 'general',
    description: `The SMS gateway at ${host} answered HTTP ${reply.status}: ${bodyText(reply)}`,
    httpStatus,
    requestId,
  });
};

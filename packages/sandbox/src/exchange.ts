import type { Ids } from './ids';
import { magicFor, type MagicNumber, type MagicOutcome } from './magic';
import type { ReplayGuard } from './verify/replay-guard';
import type { InboxEntry } from './types';

/** One request as a provider handler sees it: already read, below the provider's path prefix. */
export type SandboxRequest = {
  method: string;
  /** Path below the provider prefix: `/2010-04-01/Accounts/AC…/Messages.json`, `/` at least. */
  path: string;
  /** The query string as received, without `?`. */
  rawQuery: string;
  query: URLSearchParams;
  /** Lowercase names; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
};

export type Reply = { status: number; headers: Record<string, string>; body: string };

/** An accepted message, before the server stamps provider and time. */
export type Accepted = Omit<InboxEntry, 'provider' | 'receivedAt'>;

export type HandlerResult =
  | { kind: 'reply'; reply: Reply; accepted?: Accepted[]; summary: string }
  /** Never answer: hold the request until the client gives up or the sandbox closes. */
  | { kind: 'hold'; summary: string }
  /** Drop the connection (TCP reset) without a reply, the request having been read whole. */
  | { kind: 'reset'; summary: string };

/** State shared by the requests of one sandbox. */
export type ProviderContext = {
  nowMs: number;
  ids: Ids;
  /** Aliyun SignatureNonce values (15 minutes). */
  aliyunNonces: ReplayGuard;
  /** Standard Webhooks webhook-id values (5 minutes). */
  webhookIds: ReplayGuard;
};

export type ProviderHandler = (request: SandboxRequest, context: ProviderContext) => HandlerResult;

export const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

export const reply = (result: Reply, summary: string, accepted?: Accepted[]): HandlerResult => ({
  kind: 'reply',
  reply: result,
  summary,
  ...(accepted && { accepted }),
});

/** What a captive portal or a misrouted proxy answers: HTTP 200, HTML. */
export const htmlPage = (): Reply => ({
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<!DOCTYPE html>\n<html><head><title>Service notice</title></head><body><h1>Service temporarily unavailable</h1><p>Please try again later.</p></body></html>\n',
});

export type ContentKind = 'json' | 'form' | 'other';

export const contentKind = (request: SandboxRequest): ContentKind => {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)) {
    return 'json';
  }
  if (type === 'application/x-www-form-urlencoded') {
    return 'form';
  }
  return 'other';
};

/** Form fields (first value of a repeated name wins). */
export const formFields = (body: Buffer | string): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body.toString())) {
    if (!Object.prototype.hasOwnProperty.call(fields, name)) {
      fields[name] = value;
    }
  }
  return fields;
};

export const parseJsonBody = (body: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } => {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (error: unknown) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
};

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** A string, or the digits of an integer (`msisdn: 4512345678`); undefined otherwise. */
export const textOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' && Number.isSafeInteger(value)
      ? String(value)
      : undefined;

/** The failures a provider answers for the magic outcomes that have a provider-specific reply. */
export type MagicFailures = Record<Exclude<MagicOutcome, 'no-reply' | 'non-json'>, (magic: MagicNumber) => Reply>;

/**
 * The reply the first magic recipient calls for (held, HTML, or the provider's failure), or
 * undefined when every recipient is an ordinary number. `codeOf` reads the provider's code back out
 * of the failure for the log line.
 */
export const magicResult = (
  recipients: ReadonlyArray<string | number>,
  failures: MagicFailures,
  codeOf: (failure: Reply) => string
): HandlerResult | undefined => {
  const magic = recipients.map((recipient) => magicFor(recipient)).find(Boolean);
  if (!magic) {
    return undefined;
  }
  const label = `magic number ${magic.number} (${magic.outcome})`;
  if (magic.outcome === 'no-reply') {
    return { kind: 'hold', summary: `${label}: holding the request open until the client gives up` };
  }
  if (magic.outcome === 'non-json') {
    return reply(htmlPage(), `${label}: HTML instead of JSON`);
  }
  const failure = failures[magic.outcome](magic);
  return reply(failure, `${label}: ${codeOf(failure)}`);
};

/** The sandbox never echoes a secret: this replaces the value of each named field. */
export const withoutSecrets = <Value extends Record<string, unknown>>(
  fields: Value,
  secretNames: readonly string[]
): Value =>
  Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, secretNames.includes(name) ? '[redacted]' : value])
  ) as Value;

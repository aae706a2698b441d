import { ConnectorError, ConnectorErrorCodes, TemplateType } from '@logto/connector-kit';
import {
  logtoResponseFor,
  sendLimitKinds,
  type LogtoResponse,
  type SendLimit,
  type SendLimitKind,
} from '@sms-suite/sms-kit';
import { ZodError, type ZodIssue } from 'zod';

import { connectionHints } from './connection-hints';
import { isRouterConnector, type LoadedConnector } from './connectors';
import { describeLimit } from './destination-policy';
import { formatTable, indent, type Output } from './output';

export const templateTypeNames = Object.values(TemplateType) as string[];

export type ConsoleSendInput = {
  /** Digits only, as the console posts it (see consolePhone). */
  to: string;
  type: string;
  code: string;
  locale?: string;
};

export type SendFailure = {
  ok: false;
  ms: number;
  error: unknown;
  response: LogtoResponse;
  /** data.errorDescription when the toast does not show it (rate limits, quotas, invalid responses). */
  description?: string;
  /** Lines that explain what the admin would not see in the toast: provider code, request id, thrown class. */
  details: string[];
  notes: string[];
  /** What to do about it, when the failure says (a refused or unknown host). */
  hints: string[];
};

export type SendSuccess = {
  ok: true;
  ms: number;
  result: unknown;
  messageId?: string;
  requestId?: string;
  /** The router's result names the provider (under `providers`) that took the message. */
  provider?: string;
};
export type SendOutcome = SendSuccess | SendFailure;

/** A send never blocks the CLI for longer than the longest timeout a connector accepts, plus a margin. */
export const settleLimitMs = 75_000;

const errorCodes = new Set<string>(Object.values(ConnectorErrorCodes));

type ErrorLike = { code?: unknown; data?: unknown; constructor?: { name?: string } };

/** A ConnectorError from another copy of @logto/connector-kit (a connector with its own node_modules). */
const isForeignConnectorError = (error: unknown): error is ErrorLike =>
  error instanceof Error &&
  !(error instanceof ConnectorError) &&
  typeof (error as ErrorLike).code === 'string' &&
  errorCodes.has((error as ErrorLike).code as string) &&
  (error.constructor?.name === 'ConnectorError' || error.message.startsWith('ConnectorError'));

const asHostZodError = (data: unknown): unknown => {
  if (data instanceof ZodError) {
    return data;
  }
  const issues = (data as { issues?: unknown } | undefined)?.issues;
  const isZodLike = data instanceof Error && data.name === 'ZodError' && Array.isArray(issues);
  return isZodLike ? new ZodError(issues as ZodIssue[]) : data;
};

const stringOrNumber = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** provider · code · request id · HTTP status, from `data` or from the params of its ZodError issues. */
const providerDetails = (data: unknown): string[] => {
  const sources: Array<Record<string, unknown>> =
    data instanceof ZodError
      ? data.issues.map((issue) => (issue as { params?: Record<string, unknown> }).params ?? {})
      : data && typeof data === 'object'
        ? [data as Record<string, unknown>]
        : [];
  return sources
    .map((source) =>
      [
        stringOrNumber(source.provider),
        stringOrNumber(source.providerCode) && `provider code ${String(source.providerCode)}`,
        stringOrNumber(source.requestId) && `request id ${String(source.requestId)}`,
        stringOrNumber(source.httpStatus) && `provider HTTP ${String(source.httpStatus)}`,
      ]
        .filter(Boolean)
        .join(' · ')
    )
    .filter((line, index, all) => line !== '' && all.indexOf(line) === index);
};

/**
 * A send the connector's own sendLimits refused (the kit puts the limit in `data.limit`): said apart
 * from a provider's throttling, since no request left the machine.
 */
const sendLimitDetails = (data: unknown): string[] => {
  const limit = (data as { limit?: unknown } | undefined)?.limit as
    { by?: unknown; max?: unknown; windowSeconds?: unknown; digits?: unknown } | undefined;
  if (
    !limit ||
    !sendLimitKinds.includes(limit.by as SendLimitKind) ||
    typeof limit.max !== 'number' ||
    typeof limit.windowSeconds !== 'number' ||
    (limit.by === 'prefix' && typeof limit.digits !== 'number')
  ) {
    return [];
  }
  return [
    `refused by the connector's sendLimits before any request to the provider: ${describeLimit(limit as SendLimit)}`,
  ];
};

const failure = (connector: LoadedConnector, config: unknown, error: unknown, ms: number): SendFailure => {
  const notes: string[] = [];
  let hostError = error;
  if (isForeignConnectorError(error)) {
    if (connector.bundlesKit) {
      notes.push(
        'the connector threw a ConnectorError of its bundled kit copy: Logto does not recognise it and answers HTTP 500'
      );
    } else {
      hostError = new ConnectorError(error.code as ConnectorErrorCodes, asHostZodError(error.data));
      notes.push(
        "the connector's ConnectorError comes from another copy of @logto/connector-kit (its own node_modules); shown as Logto sees it once installed without node_modules"
      );
    }
  }
  const response = logtoResponseFor(hostError);
  const details =
    hostError instanceof ConnectorError
      ? [...sendLimitDetails(hostError.data), ...providerDetails(hostError.data)]
      : [`thrown: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`];
  if (!(hostError instanceof ConnectorError) && !connector.bundlesKit) {
    notes.push(
      'only a ConnectorError may leave a connector: anything else becomes HTTP 500 "Internal server error." in Logto'
    );
  }
  const errorDescription =
    hostError instanceof ConnectorError
      ? (hostError.data as { errorDescription?: unknown } | undefined)?.errorDescription
      : undefined;
  const description =
    typeof errorDescription === 'string' && !response.toast.includes(errorDescription) ? errorDescription : undefined;
  const hints = connectionHints(
    hostError,
    isRouterConnector(connector) ? failedProviderConfig(hostError, config) : config
  );
  return { ok: false, ms, error, response, ...(description && { description }), details, notes, hints };
};

const success = (connector: LoadedConnector, result: unknown, ms: number): SendSuccess => {
  const record = result && typeof result === 'object' ? (result as Record<string, unknown>) : {};
  const messageId = stringOrNumber(record.messageId) ?? (typeof result === 'string' ? result : undefined);
  const requestId = stringOrNumber(record.requestId);
  const provider = isRouterConnector(connector) ? stringOrNumber(record.provider) : undefined;
  return {
    ok: true,
    ms,
    result,
    ...(messageId && { messageId }),
    ...(requestId && { requestId }),
    ...(provider && { provider }),
  };
};

/**
 * What `POST /api/connectors/:factoryId/test` does: `sendMessage` of a connector built with a
 * getConfig that throws, the unsaved config as the second argument, type Generic and code 000000
 * unless told otherwise, `ip` set to the caller's address.
 */
export const sendLikeConsole = async (
  connector: LoadedConnector,
  config: unknown,
  input: ConsoleSendInput
): Promise<SendOutcome> => {
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  let timer: NodeJS.Timeout | undefined;
  const settleLimit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new ConnectorError(ConnectorErrorCodes.General, {
          errorDescription: `the connector did not settle within ${settleLimitMs / 1000} s: it ignores its own timeout, and a user signing in would wait that long`,
        })
      );
    }, settleLimitMs);
    timer.unref();
  });
  try {
    const result = await Promise.race([
      connector.sendMessage(
        {
          to: input.to,
          type: input.type as TemplateType,
          payload: { code: input.code, ...(input.locale && { locale: input.locale }) },
          ip: '127.0.0.1',
        },
        config
      ),
      settleLimit,
    ]);
    return success(connector, result, elapsed());
  } catch (error: unknown) {
    return failure(connector, config, error, elapsed());
  } finally {
    clearTimeout(timer);
  }
};

/**
 * The facts of a failed send: `data`, or for a field error (invalid_config, invalid_request_parameters:
 * `data` is a ZodError) the params of its first issue. Read from the data, not by class: a connector
 * may carry its own copy of connector-kit.
 */
const errorFacts = (error: unknown): Record<string, unknown> => {
  const data = (error as { data?: unknown } | undefined)?.data;
  if (!data || typeof data !== 'object') {
    return {};
  }
  const issues = (data as { issues?: unknown }).issues;
  if (Array.isArray(issues)) {
    const params = (issues[0] as { params?: unknown } | undefined)?.params;
    return params && typeof params === 'object' ? (params as Record<string, unknown>) : {};
  }
  return data as Record<string, unknown>;
};

/** The kit's word on a failed send: `delivery: 'unknown'` when the request had been written. */
const mayHaveBeenDelivered = (error: unknown): boolean => errorFacts(error).delivery === 'unknown';

/**
 * A router config's provider config the failed send ended at (`data.provider` names it): its
 * `endpoint` is the one a connection hint is about.
 */
const failedProviderConfig = (error: unknown, config: unknown): unknown => {
  const provider = errorFacts(error).provider;
  const providers = (config as { providers?: unknown } | undefined)?.providers;
  if (typeof provider !== 'string' || !providers || typeof providers !== 'object') {
    return undefined;
  }
  return ((providers as Record<string, unknown>)[provider] as { config?: unknown } | undefined)?.config;
};

/** One attempt of a routed send, as the router reports it (`AttemptReport`). */
type AttemptLine = {
  provider?: unknown;
  use?: unknown;
  outcome?: unknown;
  elapsedMs?: unknown;
  messageId?: unknown;
  code?: unknown;
  httpStatus?: unknown;
  providerCode?: unknown;
  fraudBlock?: unknown;
};

/**
 * The router's attempts: `result.attempts` when it sent, `data.attempts` (or the ZodError issue's
 * `params.attempts`) when it did not. Undefined for every other connector.
 */
export const attemptsOf = (outcome: SendOutcome): AttemptLine[] | undefined => {
  const attempts = outcome.ok
    ? (outcome.result as { attempts?: unknown } | undefined)?.attempts
    : errorFacts(outcome.error).attempts;
  return Array.isArray(attempts)
    ? attempts.filter((attempt): attempt is AttemptLine => Boolean(attempt) && typeof attempt === 'object')
    : undefined;
};

/** What became of the message at one provider, in the words of the send's own headline. */
export const attemptOutcomeWords: Record<string, string> = {
  delivered: 'delivered',
  notSent: 'not sent',
  refused: 'refused',
  unknown: 'may have been delivered',
  notTried: 'not tried',
};

/** `1. twilio (twilio)  not sent  connector.general · provider code 20503 · provider HTTP 503 · 12 ms`, as columns. */
export const attemptRows = (attempts: readonly AttemptLine[]): string[][] =>
  attempts.map((attempt, index) => {
    const outcome = String(attempt.outcome ?? '');
    const facts = [
      stringOrNumber(attempt.messageId) && `message id ${String(attempt.messageId)}`,
      stringOrNumber(attempt.code) && `connector.${String(attempt.code)}`,
      stringOrNumber(attempt.providerCode) && `provider code ${String(attempt.providerCode)}`,
      stringOrNumber(attempt.httpStatus) && `provider HTTP ${String(attempt.httpStatus)}`,
      attempt.fraudBlock === true && "blocked by the provider's SMS-pumping defence",
      typeof attempt.elapsedMs === 'number' && `${attempt.elapsedMs} ms`,
    ].filter(Boolean);
    return [
      `${index + 1}. ${String(attempt.provider ?? '?')} (${String(attempt.use ?? '?')})`,
      attemptOutcomeWords[outcome] ?? outcome,
      facts.join(' · '),
    ];
  });

const printAttempts = (out: Output, outcome: SendOutcome, prefix: string): void => {
  const attempts = attemptsOf(outcome);
  if (!attempts || attempts.length === 0) {
    return;
  }
  formatTable(attemptRows(attempts)).forEach((line, index) => {
    out.print(`${prefix}  ${index === 0 ? 'attempts' : '        '}       ${line.trimEnd()}`);
  });
};

/** The outcome as an admin reads it: the message id, or the status, code and toast Logto would show. */
export const printOutcome = (out: Output, outcome: SendOutcome, prefix = ''): void => {
  const { style } = out;
  if (outcome.ok) {
    const id = outcome.messageId ? `message id ${outcome.messageId}` : 'the connector returned no message id';
    const by = outcome.provider ? ` by ${outcome.provider}` : '';
    out.print(
      `${prefix}${style.green(`✔ sent${by}`)} in ${outcome.ms} ms · ${id}${outcome.requestId ? ` · request id ${outcome.requestId}` : ''}`
    );
    printAttempts(out, outcome, prefix);
    return;
  }
  const { response } = outcome;
  // After a timeout or a connection lost once the request was written, "not sent" would be a guess.
  const headline = mayHaveBeenDelivered(outcome.error) ? '✖ failed, may have been delivered' : '✖ not sent';
  out.print(`${prefix}${style.red(headline)} in ${outcome.ms} ms · ${response.code}`);
  out.print(`${prefix}  Logto answers  HTTP ${response.status} ${response.code}`);
  out.print(`${prefix}  toast          ${indent(response.toast, `${prefix}                 `).trimStart()}`);
  if (outcome.description) {
    out.print(`${prefix}  description    ${outcome.description}`);
  }
  for (const line of outcome.details) {
    out.print(`${prefix}  details        ${line}`);
  }
  printAttempts(out, outcome, prefix);
  for (const note of outcome.notes) {
    out.print(`${prefix}  ${style.yellow('note')}           ${note}`);
  }
  for (const hint of outcome.hints) {
    out.print(`${prefix}  ${style.cyan('hint')}           ${hint}`);
  }
  if (out.verbose && outcome.error instanceof Error && outcome.error.stack) {
    out.note(style.dim(outcome.error.stack));
  }
};

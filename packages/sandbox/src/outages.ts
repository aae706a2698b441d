/**
 * Outages: one provider failing for every request, while the others keep working. Magic numbers make
 * every provider fail for one recipient; an outage makes one provider fail for any recipient, which
 * is what a connector that fails over from one provider to the next has to be tested against. Each
 * provider answers in its own real shape, with its magic-number `failures` reply wherever one fits.
 */
import {
  contentKind,
  formFields,
  jsonReply,
  reply,
  type HandlerResult,
  type ProviderContext,
  type Reply,
  type SandboxRequest,
} from './exchange';
import { magicNumbers, type MagicNumber, type MagicOutcome } from './magic';
import { aliyunFormat, aliyunParams, codeOf as aliyunCodeOf, createAliyunReplies } from './providers/aliyun';
import { codeOf as gatewayApiCodeOf, createGatewayApiReplies } from './providers/gatewayapi';
import { codeOf as httpSmsCodeOf, contractError, httpSmsFailures } from './providers/http-sms';
import { codeOf as smsAeroCodeOf, failureBody, smsAeroFailures } from './providers/smsaero';
import { codeOf as tencentCodeOf, tencentError, tencentInternalError } from './providers/tencent';
import { codeOf as twilioCodeOf, twilioError, twilioFailures, twilioMessageResource } from './providers/twilio';
import { codeOf as vonageCodeOf, statusReply, vonageFailures } from './providers/vonage';
import { sandboxProviders, type SandboxProvider } from './types';

export const outageModes = [
  'refuse-credentials',
  'rate-limited',
  'unavailable',
  'server-error',
  'no-reply',
  'reset',
  'fraud-block',
] as const;

/** How a provider fails during an outage (see outageDescriptions). */
export type OutageMode = (typeof outageModes)[number];

/** One line per mode, for the docs, the CLI banner and the index at `/`. */
export const outageDescriptions: Readonly<Record<OutageMode, string>> = {
  'refuse-credentials':
    'Refuses the credentials, as for a revoked key (Twilio 401 20003, Aliyun 404 InvalidAccessKeyId.NotFound, Tencent AuthFailure.SecretIdNotFound, Vonage status 4, GatewayAPI 401 0x0210, SMSAero and http 401)',
  'rate-limited':
    "Throttles every request with the provider's rate-limit reply (the rate-limited magic numbers' reply; Tencent RequestLimitExceeded)",
  unavailable: "HTTP 503 Service Unavailable in the provider's style, as during a provider incident",
  'server-error': "HTTP 500 with the provider's internal-error body (the server-error magic numbers' reply)",
  'no-reply': "No reply: every request is held open until the client gives up (the connector's timeout)",
  reset: 'Reads the request, then resets the connection without a reply (the message may have gone out)',
  'fraud-block':
    'Twilio only: 201, a message created already failed with error 30450 (SMS Pumping Protection: "Message delivery blocked")',
};

/** The modes whose reply differs per provider; no-reply and reset need no body. */
type ReplyMode = Exclude<OutageMode, 'no-reply' | 'reset'>;
/** The reply modes every provider has. */
type CommonReplyMode = Exclude<ReplyMode, 'fraud-block'>;

type OutageReply = (request: SandboxRequest, context: ProviderContext) => Reply;

type ProviderOutages = {
  /** What every reply mode answers; a mode a provider does not have is absent. */
  replies: Record<CommonReplyMode, OutageReply> & Partial<Record<ReplyMode, OutageReply>>;
  /** The provider's code in a reply, for the log line. */
  codeOf: (answer: Reply) => string;
};

/**
 * The `failures` tables take the magic number that triggered them (some quote it in the message):
 * an outage answers as that outcome's first magic number would be answered.
 */
const magicOf = (outcome: MagicOutcome): MagicNumber => {
  const magic = magicNumbers.find((candidate) => candidate.outcome === outcome);
  if (!magic) {
    throw new Error(`no magic number for ${outcome}`);
  }
  return magic;
};

/** A 503 from the provider's edge rather than its API: plain text, as load balancers answer. */
const plainUnavailable = (): Reply => ({
  status: 503,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'Service Unavailable',
});

const isPlainText = (answer: Reply) => answer.headers['content-type']?.startsWith('text/plain') ?? false;

/** A message Twilio created and failed at once: SMS Pumping Protection blocked the destination. */
const twilioFraudBlock: OutageReply = (request, context) => {
  // Twilio reads form parameters only; the outage answers whatever was sent, valid or not.
  const form = contentKind(request) === 'form' ? formFields(request.body) : {};
  const resource = twilioMessageResource(context, {
    sid: context.ids.twilioMessageSid(),
    to: form.To ?? '',
    from: form.From,
    messagingServiceSid: form.MessagingServiceSid,
    body: form.Body ?? '',
  });
  return jsonReply(
    201,
    { ...resource, status: 'failed', error_code: 30450, error_message: 'Message delivery blocked' },
    { 'twilio-request-id': context.ids.twilioRequestId() }
  );
};

/** `201 SM… failed 30450 Message delivery blocked`; errors as Twilio's own code line. */
const twilioOutageCode = (answer: Reply): string => {
  if (answer.status !== 201) {
    return twilioCodeOf(answer);
  }
  const { sid, status, error_code, error_message } = JSON.parse(answer.body) as Record<string, unknown>;
  return `201 ${String(sid)} ${String(status)} ${String(error_code)} ${String(error_message)}`;
};

/** Aliyun's replies in the `Format` the call asked for. */
const aliyunReplies = (request: SandboxRequest, context: ProviderContext) =>
  createAliyunReplies(context, aliyunFormat(aliyunParams(request)));

const providerOutages: Record<SandboxProvider, ProviderOutages> = {
  twilio: {
    replies: {
      'refuse-credentials': () => twilioError(401, 20003, 'Authenticate'),
      'rate-limited': () => twilioFailures['rate-limited'](magicOf('rate-limited')),
      unavailable: () => twilioError(503, 20503, 'Service Unavailable'),
      'server-error': () => twilioFailures['server-error'](magicOf('server-error')),
      'fraud-block': twilioFraudBlock,
    },
    codeOf: twilioOutageCode,
  },
  aliyun: {
    replies: {
      'refuse-credentials': (request, context) =>
        aliyunReplies(request, context).gatewayError(
          404,
          'InvalidAccessKeyId.NotFound',
          'Specified access key is not found.'
        ),
      'rate-limited': (request, context) =>
        aliyunReplies(request, context).failures['rate-limited'](magicOf('rate-limited')),
      unavailable: (request, context) =>
        aliyunReplies(request, context).gatewayError(
          503,
          'ServiceUnavailable',
          'The request has failed due to a temporary failure of the server.'
        ),
      'server-error': (request, context) =>
        aliyunReplies(request, context).failures['server-error'](magicOf('server-error')),
    },
    codeOf: aliyunCodeOf,
  },
  tencent: {
    // Tencent's per-number limits live in SendStatusSet; a provider-wide throttle refuses the call.
    replies: {
      'refuse-credentials': (_request, context) =>
        tencentError(
          context.ids.tencentRequestId(),
          'AuthFailure.SecretIdNotFound',
          'The SecretId is not found, please ensure that your SecretId is correct.'
        ),
      'rate-limited': (_request, context) =>
        tencentError(
          context.ids.tencentRequestId(),
          'RequestLimitExceeded',
          'The number of requests exceeds the frequency limit.'
        ),
      unavailable: (_request, context) =>
        tencentError(
          context.ids.tencentRequestId(),
          'ServiceUnavailable',
          'The service is temporarily unavailable. Please try again later.',
          503
        ),
      'server-error': (_request, context) => tencentInternalError(context.ids.tencentRequestId()),
    },
    codeOf: tencentCodeOf,
  },
  http: {
    replies: {
      'refuse-credentials': () => contractError(401, 'unauthorized', 'The Authorization header is not valid.'),
      'rate-limited': () => httpSmsFailures['rate-limited'](magicOf('rate-limited')),
      unavailable: () =>
        contractError(503, 'unavailable', 'The gateway is temporarily unavailable; retry in 30 seconds.', {
          'retry-after': '30',
        }),
      'server-error': () => httpSmsFailures['server-error'](magicOf('server-error')),
    },
    codeOf: httpSmsCodeOf,
  },
  smsaero: {
    replies: {
      'refuse-credentials': () => failureBody(401, 'Your request was made with invalid credentials.'),
      'rate-limited': () => smsAeroFailures['rate-limited'](magicOf('rate-limited')),
      unavailable: () => failureBody(503, 'Service Unavailable'),
      'server-error': () => smsAeroFailures['server-error'](magicOf('server-error')),
    },
    codeOf: smsAeroCodeOf,
  },
  gatewayapi: {
    replies: {
      'refuse-credentials': (_request, context) =>
        createGatewayApiReplies(context).error(401, '0x0210', 'Invalid username or API token'),
      'rate-limited': (_request, context) =>
        createGatewayApiReplies(context).failures['rate-limited'](magicOf('rate-limited')),
      unavailable: (_request, context) =>
        createGatewayApiReplies(context).error(503, undefined, 'Service temporarily unavailable'),
      'server-error': (_request, context) =>
        createGatewayApiReplies(context).failures['server-error'](magicOf('server-error')),
    },
    codeOf: gatewayApiCodeOf,
  },
  vonage: {
    replies: {
      'refuse-credentials': () => statusReply('4', 'Bad Credentials'),
      'rate-limited': () => vonageFailures['rate-limited'](magicOf('rate-limited')),
      unavailable: plainUnavailable,
      'server-error': () => vonageFailures['server-error'](magicOf('server-error')),
    },
    codeOf: (answer) => (isPlainText(answer) ? `${answer.status} ${answer.body}` : vonageCodeOf(answer)),
  },
};

/** The providers a mode can be set for: every one, except for provider-specific modes. */
export const outageProvidersFor = (mode: OutageMode): SandboxProvider[] =>
  mode === 'no-reply' || mode === 'reset'
    ? [...sandboxProviders]
    : sandboxProviders.filter((provider) => providerOutages[provider].replies[mode] !== undefined);

export const isOutageMode = (value: unknown): value is OutageMode =>
  typeof value === 'string' && (outageModes as readonly string[]).includes(value);

const isSandboxProvider = (value: unknown): value is SandboxProvider =>
  typeof value === 'string' && (sandboxProviders as readonly string[]).includes(value);

export type OutageSetting = { provider: SandboxProvider; mode: OutageMode };

type Checked<Value> = ({ ok: true } & Value) | { ok: false; problem: string };

/** A provider name as typed by someone: the provider, or a sentence listing the providers. */
export const readOutageProvider = (provider: unknown): Checked<{ provider: SandboxProvider }> =>
  isSandboxProvider(provider)
    ? { ok: true, provider }
    : {
        ok: false,
        problem: `"${String(provider)}" is not a sandbox provider: use one of ${sandboxProviders.join(', ')}`,
      };

/**
 * A provider and a mode as typed by someone (an HTTP body, a CLI flag), checked: the setting, or a
 * sentence saying what is wrong and listing what would be right.
 */
export const readOutage = (provider: unknown, mode: unknown): Checked<OutageSetting> => {
  const checked = readOutageProvider(provider);
  if (!checked.ok) {
    return checked;
  }
  if (!isOutageMode(mode)) {
    return { ok: false, problem: `"${String(mode)}" is not an outage mode: use one of ${outageModes.join(', ')}` };
  }
  const providers = outageProvidersFor(mode);
  if (!providers.includes(checked.provider)) {
    return {
      ok: false,
      problem: `the "${mode}" outage exists for ${providers.join(', ')} only, not for ${checked.provider}`,
    };
  }
  return { ok: true, provider: checked.provider, mode };
};

/** `twilio=unavailable` (the commands' `--outage`) → the setting, or what is wrong with it. */
export const parseOutage = (text: string): Checked<OutageSetting> => {
  const separator = text.indexOf('=');
  if (separator < 0) {
    return { ok: false, problem: `"${text}" is not provider=mode (e.g. twilio=unavailable)` };
  }
  return readOutage(text.slice(0, separator).trim(), text.slice(separator + 1).trim());
};

export type Outages = Partial<Record<SandboxProvider, OutageMode>>;

/**
 * The values of the commands' repeatable `--outage twilio=unavailable`: one mode per provider, or
 * what is wrong with the first value that is wrong (a provider named twice is a mistake too).
 */
export const parseOutages = (values: readonly string[]): Checked<{ outages: Outages }> => {
  const outages: Outages = {};
  for (const value of values) {
    const setting = parseOutage(value);
    if (!setting.ok) {
      return { ok: false, problem: `"${value}": ${setting.problem}` };
    }
    const earlier = outages[setting.provider];
    if (earlier !== undefined) {
      return {
        ok: false,
        problem: `${setting.provider} is named twice (${earlier} and ${setting.mode}): one mode per provider`,
      };
    }
    outages[setting.provider] = setting.mode;
  }
  return { ok: true, outages };
};

/**
 * What `provider` does with any request during an outage of `mode` (a pair readOutage accepted): a
 * reply that never enters the inbox, a held request, or a reset connection.
 */
export const outageResult = (
  provider: SandboxProvider,
  mode: OutageMode,
  request: SandboxRequest,
  context: ProviderContext
): HandlerResult => {
  const label = `outage ${mode}`;
  if (mode === 'no-reply') {
    return { kind: 'hold', summary: `${label}: holding the request open until the client gives up` };
  }
  if (mode === 'reset') {
    return { kind: 'reset', summary: `${label}: request read, connection reset without a reply` };
  }
  const { replies, codeOf } = providerOutages[provider];
  const answerFor = replies[mode];
  if (!answerFor) {
    // setOutage refuses such a pair: reaching this is a sandbox bug, reported as one by the server.
    throw new Error(`${provider} has no "${mode}" outage`);
  }
  const answer = answerFor(request, context);
  return reply(answer, `${label}: ${codeOf(answer)}`);
};

import { credentials } from '../credentials';
import {
  contentKind,
  isRecord,
  jsonReply,
  magicResult,
  parseJsonBody,
  reply,
  type HandlerResult,
  type MagicFailures,
  type ProviderContext,
  type Reply,
  type SandboxRequest,
} from '../exchange';
import { secureEqual } from '../verify/secure-compare';
import { verifyWebhook } from '../verify/standard-webhooks';

/**
 * A gateway implementing the HTTP SMS connector's response contract: `POST` JSON
 * `{ to, type, payload, ip?, phoneNumber, message? }`, the configured `Authorization` header and a
 * Standard Webhooks signature; 2xx `{ messageId }`, 401 for credentials, 429, and 400/422 with
 * `{ error: { code, message } }`.
 */
export const contractError = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {}
): Reply => jsonReply(status, { error: { code, message } }, headers);

export const codeOf = (failure: Reply) => {
  const { error } = JSON.parse(failure.body) as { error: { code: string } };
  return `${failure.status} ${error.code}`;
};

export const httpSmsFailures: MagicFailures = {
  'rate-limited': () =>
    contractError(429, 'rate_limited', 'Too many messages to this number; retry in 30 seconds.', {
      'retry-after': '30',
    }),
  'invalid-number': (magic) => contractError(400, 'invalid_recipient', `${magic.number} cannot receive SMS.`),
  unapproved: () =>
    contractError(400, 'invalid_config', 'The sender ID of this gateway account is not approved for this destination.'),
  'insufficient-balance': () => contractError(422, 'quota_exceeded', 'The gateway account has no credit left.'),
  'server-error': () => contractError(500, 'internal_error', 'The gateway failed to process the message.'),
};

const refuse = (failure: Reply, why: string): HandlerResult => reply(failure, `${codeOf(failure)} (${why})`);

const stringValues = (payload: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])
  );

export const handleHttpSms = (request: SandboxRequest, context: ProviderContext): HandlerResult => {
  if (request.path !== '/') {
    return refuse(contractError(404, 'not_found', `Nothing is served at ${request.path}.`), 'path');
  }
  if (request.method !== 'POST') {
    return refuse(contractError(405, 'method_not_allowed', 'Send messages with POST.'), request.method);
  }
  const authorization = request.headers.authorization;
  if (!authorization) {
    return refuse(contractError(401, 'unauthorized', 'The Authorization header is missing.'), 'no Authorization');
  }
  if (!secureEqual(authorization, credentials.http.authorization)) {
    return refuse(contractError(401, 'unauthorized', 'The Authorization header is not valid.'), 'wrong Authorization');
  }
  const signatureFailure = verifyWebhook({
    secret: credentials.http.signingSecret,
    headers: {
      'webhook-id': request.headers['webhook-id'],
      'webhook-timestamp': request.headers['webhook-timestamp'],
      'webhook-signature': request.headers['webhook-signature'],
    },
    body: request.body,
    nowMs: context.nowMs,
    seenIds: context.webhookIds,
  });
  if (signatureFailure) {
    return refuse(contractError(401, signatureFailure.code, signatureFailure.message), 'Standard Webhooks signature');
  }

  const parsed = contentKind(request) === 'json' ? parseJsonBody(request.body) : undefined;
  if (!parsed?.ok || !isRecord(parsed.value)) {
    return refuse(
      contractError(400, 'invalid_request', 'The body must be a JSON object.'),
      'body is not a JSON object'
    );
  }
  const body = parsed.value;
  const problems = [
    typeof body.to === 'string' && body.to ? undefined : '"to" must be the recipient',
    typeof body.type === 'string' && body.type ? undefined : '"type" must be the usage type',
    isRecord(body.payload) ? undefined : '"payload" must be an object',
    body.phoneNumber === undefined || typeof body.phoneNumber === 'string'
      ? undefined
      : '"phoneNumber" must be a string',
    body.message === undefined || typeof body.message === 'string' ? undefined : '"message" must be a string',
  ].filter(Boolean);
  if (problems.length > 0) {
    return refuse(contractError(400, 'invalid_request', `${problems.join('; ')}.`), problems.join('; '));
  }

  const to = body.to as string;
  const phoneNumber = typeof body.phoneNumber === 'string' ? body.phoneNumber : undefined;
  const magic = magicResult([phoneNumber ?? to], httpSmsFailures, codeOf);
  if (magic) {
    return magic;
  }

  const messageId = context.ids.httpMessageId();
  const message = typeof body.message === 'string' ? body.message : undefined;
  return reply(jsonReply(200, { messageId }), `200 ${messageId} accepted for ${phoneNumber ?? to}`, [
    {
      id: messageId,
      to,
      ...(message === undefined
        ? { templateCode: body.type as string, templateParams: stringValues(body.payload as Record<string, unknown>) }
        : { text: message }),
      raw: body,
    },
  ]);
};

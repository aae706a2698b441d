import { credentials } from '../credentials';
import {
  contentKind,
  formFields,
  isRecord,
  jsonReply,
  magicResult,
  parseJsonBody,
  reply,
  textOf,
  withoutSecrets,
  type HandlerResult,
  type MagicFailures,
  type ProviderContext,
  type Reply,
  type SandboxRequest,
} from '../exchange';
import { nonGsmCharacters, segmentsOf } from '../gsm';
import { parseBasicAuthorization } from '../verify/basic-auth';
import { secureEqual } from '../verify/secure-compare';

/**
 * Vonage SMS API: `POST /sms/json` with `api_key`, `api_secret`, `from`, `to`, `text`, `type` (form,
 * JSON or query; Basic `api_key:api_secret` works too). Always HTTP 200; `messages[].status` "0" is
 * the only success.
 */
export const statusReply = (status: string, errorText: string, httpStatus = 200): Reply =>
  jsonReply(httpStatus, { 'message-count': '1', messages: [{ status, 'error-text': errorText }] });

export const codeOf = (failure: Reply) => {
  const { messages } = JSON.parse(failure.body) as { messages: Array<{ status: string; 'error-text': string }> };
  return `${failure.status} status ${messages[0]?.status} ${messages[0]?.['error-text']}`;
};

export const vonageFailures: MagicFailures = {
  'rate-limited': () => statusReply('1', 'Throttled'),
  'invalid-number': () => statusReply('3', 'Invalid to address'),
  unapproved: () => statusReply('15', 'Illegal Sender Address - rejected'),
  'insufficient-balance': () => statusReply('9', 'Quota Exceeded - rejected'),
  'server-error': () => statusReply('5', 'Internal Error', 500),
};

const refuse = (failure: Reply, why: string): HandlerResult => reply(failure, `${codeOf(failure)} (${why})`);

const toPattern = /^[1-9]\d{6,14}$/;
const fromPattern = /^([A-Za-z0-9 ]{1,11}|\d{1,15})$/;

export const handleVonage = (request: SandboxRequest, context: ProviderContext): HandlerResult => {
  if (request.path !== '/sms/json') {
    return refuse(
      statusReply('2', `Missing or unknown path ${request.path}: the sandbox serves /sms/json`, 404),
      'path'
    );
  }
  if (request.method !== 'POST' && request.method !== 'GET') {
    return refuse(statusReply('2', `Method ${request.method} not allowed`, 405), request.method);
  }
  const kind = contentKind(request);
  const parsed = kind === 'json' ? parseJsonBody(request.body) : undefined;
  const fields: Record<string, string | undefined> = {
    ...Object.fromEntries(request.query),
    ...(kind === 'form' ? formFields(request.body) : {}),
    ...(parsed?.ok && isRecord(parsed.value)
      ? Object.fromEntries(Object.entries(parsed.value).map(([name, value]) => [name, textOf(value)]))
      : {}),
  };
  const basic = parseBasicAuthorization(request.headers.authorization);
  const apiKey = fields.api_key ?? basic?.user;
  const apiSecret = fields.api_secret ?? basic?.password;

  if (!apiKey) {
    return refuse(statusReply('2', 'Missing api_key'), 'no api_key');
  }
  if (!apiSecret) {
    return refuse(
      fields.sig ? statusReply('14', 'Invalid Signature') : statusReply('2', 'Missing api_secret'),
      fields.sig ? 'signed requests need the signature secret, which the sandbox does not have' : 'no api_secret'
    );
  }
  const keyMatches = secureEqual(apiKey, credentials.vonage.apiKey);
  const secretMatches = secureEqual(apiSecret, credentials.vonage.apiSecret);
  if (!keyMatches || !secretMatches) {
    return refuse(statusReply('4', 'Bad Credentials'), 'wrong api_key or api_secret');
  }

  const { from, to } = fields;
  const type = fields.type ?? 'text';
  const text = fields.text ?? '';
  if (!from) {
    return refuse(statusReply('2', 'Missing from param'), 'no from');
  }
  if (!to) {
    return refuse(statusReply('2', 'Missing to param'), 'no to');
  }
  if (!fromPattern.test(from)) {
    return refuse(
      statusReply('15', 'Illegal Sender Address - rejected'),
      `from "${from}" is not ≤ 11 letters and digits or ≤ 15 digits`
    );
  }
  if (!toPattern.test(to)) {
    return refuse(statusReply('3', 'Invalid to address'), `to "${to}" is not E.164 digits without + or 00`);
  }
  if (type !== 'text' && type !== 'unicode') {
    return refuse(statusReply('3', `Invalid type ${type}: the sandbox serves text and unicode`), 'type');
  }
  if (!text) {
    return refuse(statusReply('2', 'Missing text param'), 'no text');
  }

  const magic = magicResult([to], vonageFailures, codeOf);
  if (magic) {
    return magic;
  }

  const unicode = type === 'unicode';
  const garbled = unicode ? [] : nonGsmCharacters(text);
  const warnings =
    garbled.length > 0
      ? [
          `sent as type "text": ${garbled.join(' ')} cannot be carried by GSM-7 (the handset shows "?"); use type "unicode"`,
        ]
      : undefined;
  const parts = Math.max(segmentsOf(text, unicode), 1);
  const messages = Array.from({ length: parts }, (_, index) => ({
    to,
    'message-id': context.ids.vonageMessageId(),
    status: '0',
    'remaining-balance': (15.5359 - 0.0333 * (index + 1)).toFixed(8),
    'message-price': '0.03330000',
    network: '00101',
    ...(fields['client-ref'] && { 'client-ref': fields['client-ref'] }),
  }));
  const id = messages[0]?.['message-id'] ?? '';
  return reply(
    jsonReply(200, { 'message-count': String(parts), messages }),
    `200 ${messages.map((message) => message['message-id']).join(', ')} for ${to}${warnings ? ' (warning: non-GSM text as type text)' : ''}`,
    [
      {
        id,
        to,
        text,
        sender: from,
        ...(warnings && { warnings }),
        raw: withoutSecrets(fields, ['api_secret']),
      },
    ]
  );
};

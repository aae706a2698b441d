import { countryOf } from '../countries';
import { credentials } from '../credentials';
import {
  contentKind,
  isRecord,
  jsonReply,
  magicResult,
  parseJsonBody,
  reply,
  textOf,
  type Accepted,
  type HandlerResult,
  type MagicFailures,
  type ProviderContext,
  type Reply,
  type SandboxRequest,
} from '../exchange';
import { nonGsmCharacters, segmentsOf } from '../gsm';
import { parseBasicAuthorization } from '../verify/basic-auth';
import { secureEqual } from '../verify/secure-compare';

/** GatewayAPI `POST /rest/mtsms`: the API token as Basic user name, JSON `{ sender, message, recipients }`. */
export const createGatewayApiReplies = (context: ProviderContext) => {
  const error = (status: number, code: string | undefined, message: string, variables: string[] = []): Reply =>
    jsonReply(status, {
      ...(code && { code }),
      incident_uuid: context.ids.uuid(),
      message,
      ...(variables.length > 0 && { variables }),
    });
  const failures: MagicFailures = {
    'rate-limited': () => error(429, undefined, 'Too many requests, slow down'),
    'invalid-number': (magic) =>
      error(400, '0x0214', 'MSISDN temporarily blacklisted: %1', [magic.number.replace('+', '')]),
    unapproved: () => error(403, '0x021D', 'SMS is not enabled for this account'),
    'insufficient-balance': () => error(403, '0x0216', 'Insufficient credit'),
    'server-error': () => error(500, undefined, 'Internal server error'),
  };
  return { error, failures };
};

export const codeOf = (failure: Reply) => {
  const { code, message } = JSON.parse(failure.body) as { code?: string; message: string };
  return `${failure.status}${code ? ` ${code}` : ''} ${message}`;
};

const refuse = (failure: Reply, why: string): HandlerResult => reply(failure, `${codeOf(failure)} (${why})`);

/** The token from Basic `token:`, `Authorization: Token <token>`, or the `token` query parameter. */
const tokenOf = (request: SandboxRequest): string | undefined => {
  const header = request.headers.authorization ?? '';
  const basic = parseBasicAuthorization(header);
  if (basic) {
    return basic.user;
  }
  const token = /^token\s+(\S+)\s*$/i.exec(header);
  return token?.[1] ?? request.query.get('token') ?? undefined;
};

const msisdnPattern = /^[1-9]\d{6,14}$/;
const senderPattern = /^([\p{L}\p{N} ]{1,11}|\d{1,15})$/u;

export const handleGatewayApi = (request: SandboxRequest, context: ProviderContext): HandlerResult => {
  const { error, failures } = createGatewayApiReplies(context);
  if (request.path !== '/') {
    return refuse(error(404, undefined, 'Not found: %1', [request.path]), 'path');
  }
  if (request.method !== 'POST') {
    return refuse(error(405, undefined, 'Method not allowed: %1', [request.method]), request.method);
  }
  const token = tokenOf(request);
  if (!token || !secureEqual(token, credentials.gatewayapi.apiToken)) {
    return refuse(error(401, '0x0210', 'Invalid username or API token'), token ? 'wrong apiToken' : 'no token');
  }
  if (contentKind(request) !== 'json') {
    return refuse(
      error(422, undefined, 'The sandbox reads JSON bodies only; got %1', [
        request.headers['content-type'] ?? 'no content-type',
      ]),
      'not JSON'
    );
  }
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) {
    return refuse(error(422, undefined, 'Invalid JSON: %1', [parsed.reason]), 'invalid JSON');
  }
  // The root may be one message or a list of them.
  const messages = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (messages.length === 0 || !messages.every(isRecord)) {
    return refuse(error(400, '0x0220', 'Missing parameter: %1', ['message']), 'no message object');
  }

  type Checked = { sender?: string; text: string; ucs2: boolean; msisdns: string[]; raw: Record<string, unknown> };
  const checked: Checked[] = [];
  for (const message of messages) {
    if (typeof message.message !== 'string' || message.message === '') {
      return refuse(error(400, '0x0220', 'Missing parameter: %1', ['message']), 'no message');
    }
    const recipients = message.recipients;
    if (!Array.isArray(recipients) || recipients.length === 0) {
      return refuse(error(400, '0x0220', 'Missing parameter: %1', ['recipients']), 'no recipients');
    }
    const msisdns = recipients.map((recipient) => (isRecord(recipient) ? textOf(recipient.msisdn) : undefined));
    const badIndex = msisdns.findIndex((msisdn) => !msisdn || !msisdnPattern.test(msisdn));
    if (badIndex >= 0) {
      return refuse(
        error(400, undefined, 'Invalid MSISDN: %1 (the full international number as digits, no + or 00)', [
          msisdns[badIndex] ?? JSON.stringify(recipients[badIndex]),
        ]),
        'msisdn'
      );
    }
    if (new Set(msisdns).size !== msisdns.length) {
      return refuse(error(400, '0x0222', 'Duplicate recipient'), 'duplicate msisdn');
    }
    const sender = message.sender === undefined ? undefined : textOf(message.sender);
    if (message.sender !== undefined && (!sender || !senderPattern.test(sender))) {
      return refuse(
        error(400, undefined, 'Invalid sender: %1 (at most 11 letters and digits, or 15 digits)', [
          String(message.sender),
        ]),
        'sender'
      );
    }
    const encoding = message.encoding ?? 'UTF8';
    if (encoding !== 'UTF8' && encoding !== 'UCS2') {
      return refuse(error(400, undefined, 'Invalid encoding: %1 (UTF8 or UCS2)', [String(encoding)]), 'encoding');
    }
    checked.push({
      sender,
      text: message.message,
      ucs2: encoding === 'UCS2',
      msisdns: msisdns as string[],
      raw: message,
    });
  }

  const magic = magicResult(
    checked.flatMap(({ msisdns }) => msisdns),
    failures,
    codeOf
  );
  if (magic) {
    return magic;
  }

  const countries: Record<string, number> = {};
  const accepted: Accepted[] = [];
  let parts = 0;
  const ids = checked.map(({ sender, text, ucs2, msisdns, raw }) => {
    const id = context.ids.integerId();
    const garbled = ucs2 ? [] : nonGsmCharacters(text);
    const warnings =
      garbled.length > 0
        ? [
            `sent without "encoding": "UCS2": GatewayAPI encodes GSM 03.38 and ${garbled.join(' ')} cannot be carried (the handset shows "?")`,
          ]
        : undefined;
    for (const msisdn of msisdns) {
      const country = countryOf(msisdn, 'XX');
      countries[country] = (countries[country] ?? 0) + 1;
      parts += segmentsOf(text, ucs2);
      accepted.push({
        id: String(id),
        to: msisdn,
        text,
        ...(sender && { sender }),
        ...(warnings && { warnings }),
        raw,
      });
    }
    return id;
  });
  return reply(
    jsonReply(200, { ids, usage: { countries, currency: 'EUR', total_cost: Math.round(parts * 0.045 * 1000) / 1000 } }),
    `200 ids ${ids.join(', ')} for ${accepted.map(({ to }) => to).join(', ')}${accepted.some(({ warnings }) => warnings) ? ' (warning: non-GSM text without UCS2)' : ''}`,
    accepted
  );
};

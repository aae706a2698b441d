import { credentials } from '../credentials';
import {
  contentKind,
  formFields,
  jsonReply,
  magicResult,
  reply,
  type HandlerResult,
  type MagicFailures,
  type ProviderContext,
  type Reply,
  type SandboxRequest,
} from '../exchange';
import { isGsm7, segmentsOf } from '../gsm';
import { verifyBasic } from '../verify/basic-auth';

/** Twilio Programmable Messaging: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`. */
const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

const e164 = /^\+[1-9]\d{6,14}$/;
// A Twilio number (E.164), a short code, or an alphanumeric sender ID (≤ 11 characters, one letter at least).
const senderPattern = /^(\+[1-9]\d{6,14}|\d{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;

export const twilioError = (status: number, code: number, message: string): Reply =>
  jsonReply(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

export const codeOf = (failure: Reply) => {
  const { code, message } = JSON.parse(failure.body) as { code: number; message: string };
  return `${failure.status} ${code} ${message}`;
};

export const twilioFailures: MagicFailures = {
  'rate-limited': () => twilioError(429, 20429, 'Too Many Requests'),
  'invalid-number': (magic) => twilioError(400, 21211, `The 'To' number ${magic.number} is not a valid phone number.`),
  unapproved: () =>
    twilioError(
      400,
      21606,
      "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account."
    ),
  'insufficient-balance': () =>
    twilioError(401, 20005, 'Account not active: the account balance reached $0 and the account was suspended.'),
  'server-error': () => twilioError(500, 20500, 'An internal server error has occurred'),
};

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/** One created message: its sid and what the create call carried. */
export type TwilioMessage = { sid: string; to: string; from?: string; messagingServiceSid?: string; body: string };

/** The Message resource Twilio answers a create with (201), as it stands right after the create. */
export const twilioMessageResource = (
  context: ProviderContext,
  { sid, to, from, messagingServiceSid, body }: TwilioMessage
) => {
  const { accountSID: accountSid } = credentials.twilio;
  const now = rfc2822(context.nowMs);
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null as number | null,
    error_message: null as string | null,
    from: messagingServiceSid ? null : (from ?? null),
    messaging_service_sid: messagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(segmentsOf(body, !isGsm7(body))),
    price: null,
    price_unit: 'USD',
    sid,
    status: messagingServiceSid ? 'accepted' : 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    to,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
  };
};

const refuse = (failure: Reply, why: string): HandlerResult => reply(failure, `${codeOf(failure)} (${why})`);

export const handleTwilio = (request: SandboxRequest, context: ProviderContext): HandlerResult => {
  const path = messagesPath.exec(request.path);
  if (!path) {
    return refuse(
      twilioError(404, 20404, `The requested resource ${request.path} was not found`),
      'the sandbox serves POST /2010-04-01/Accounts/{AccountSid}/Messages.json'
    );
  }
  if (request.method !== 'POST') {
    return refuse(twilioError(405, 20004, 'Method not allowed'), `${request.method} instead of POST`);
  }
  const { accountSID, authToken } = credentials.twilio;
  const auth = verifyBasic(request.headers.authorization, { user: accountSID, password: authToken });
  if (auth !== 'ok') {
    return refuse(
      twilioError(401, 20003, 'Authenticate'),
      auth === 'missing' ? 'no Basic Authorization header' : 'wrong Account SID or Auth Token'
    );
  }
  const pathAccount = decodeURIComponent(path[1] ?? '');
  if (pathAccount !== accountSID) {
    return refuse(
      twilioError(404, 20404, `The requested resource ${request.path} was not found`),
      `the Account SID in the path (${pathAccount}) is not the authenticated one`
    );
  }
  // Twilio reads form parameters only: any other body reaches it as no parameters at all.
  const isForm = contentKind(request) === 'form';
  const form = isForm ? formFields(request.body) : {};
  const to = form.To ?? '';
  const from = form.From;
  const messagingServiceSid = form.MessagingServiceSid;
  const body = form.Body ?? '';

  if (!to) {
    return refuse(
      twilioError(400, 21604, "A 'To' phone number is required."),
      isForm
        ? 'no To'
        : `the body is ${request.headers['content-type'] ?? 'untyped'}, not application/x-www-form-urlencoded`
    );
  }
  if (!e164.test(to)) {
    return refuse(
      twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
      'To is not E.164 with +'
    );
  }
  if (!from && !messagingServiceSid) {
    return refuse(
      twilioError(400, 21603, "A 'From' phone number is required."),
      'neither From nor MessagingServiceSid'
    );
  }
  if (from && !senderPattern.test(from)) {
    return refuse(
      twilioError(
        400,
        21212,
        `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`
      ),
      'invalid From'
    );
  }
  if (!body.trim()) {
    return refuse(twilioError(400, 21602, 'Message body is required.'), 'empty Body');
  }
  if (body.length > 1600) {
    return refuse(
      twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.'),
      `Body has ${body.length} characters`
    );
  }

  const magic = magicResult([to], twilioFailures, codeOf);
  if (magic) {
    return magic;
  }

  const sid = context.ids.twilioMessageSid();
  const resource = twilioMessageResource(context, { sid, to, from, messagingServiceSid, body });
  return reply(
    jsonReply(201, resource, { 'twilio-request-id': context.ids.twilioRequestId() }),
    `201 ${sid} accepted for ${to}`,
    [{ id: sid, to, text: body, sender: messagingServiceSid ?? from, raw: form }]
  );
};

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
  type HandlerResult,
  type MagicFailures,
  type ProviderContext,
  type Reply,
  type SandboxRequest,
} from '../exchange';
import { verifyBasic } from '../verify/basic-auth';

/** SMSAero API v2: `POST /v2/sms/send`, Basic `email:apiKey`, JSON `{ number, sign, text }`. */
export const failureBody = (status: number, message: string, data: unknown = null): Reply =>
  jsonReply(status, { success: false, data, message });

export const codeOf = (failure: Reply) => {
  const { message, data } = JSON.parse(failure.body) as { message: string; data: unknown };
  return `${failure.status} ${message}${data ? ` ${JSON.stringify(data)}` : ''}`;
};

export const smsAeroFailures: MagicFailures = {
  'rate-limited': () => failureBody(429, 'Too Many Requests'),
  'invalid-number': () => failureBody(400, 'Validation error.', { number: ['Invalid phone number.'] }),
  unapproved: () => failureBody(400, 'Validation error.', { sign: ['Sign is not approved.'] }),
  'insufficient-balance': () => failureBody(400, 'no credits'),
  'server-error': () => failureBody(500, 'Internal Server Error'),
};

const refuse = (failure: Reply, why: string): HandlerResult => reply(failure, `${codeOf(failure)} (${why})`);

const numberPattern = /^\d{7,15}$/;

export const handleSmsAero = (request: SandboxRequest, context: ProviderContext): HandlerResult => {
  if (request.path !== '/sms/send') {
    return refuse(failureBody(404, `Page not found: ${request.path}. The sandbox serves /v2/sms/send.`), 'path');
  }
  if (request.method !== 'POST' && request.method !== 'GET') {
    return refuse(failureBody(405, 'Method Not Allowed'), request.method);
  }
  const { email, apiKey } = credentials.smsaero;
  const auth = verifyBasic(request.headers.authorization, { user: email, password: apiKey });
  if (auth !== 'ok') {
    return refuse(
      failureBody(401, 'Your request was made with invalid credentials.'),
      auth === 'missing' ? 'no Basic Authorization header' : 'wrong email or apiKey'
    );
  }

  // JSON body (what the official clients send); form and query parameters are accepted too.
  const kind = contentKind(request);
  const parsed = kind === 'json' ? parseJsonBody(request.body) : undefined;
  if (parsed && (!parsed.ok || !isRecord(parsed.value))) {
    return refuse(
      failureBody(400, 'Validation error.', { body: ['The body must be a JSON object.'] }),
      'body is not JSON'
    );
  }
  const fields: Record<string, unknown> = {
    ...Object.fromEntries(request.query),
    ...(kind === 'form' ? formFields(request.body) : {}),
    ...(parsed?.ok && isRecord(parsed.value) ? parsed.value : {}),
  };

  const numbers = Array.isArray(fields.numbers) ? fields.numbers.map(textOf) : [textOf(fields.number)];
  const sign = textOf(fields.sign) ?? '';
  const text = textOf(fields.text) ?? '';
  const errors: Record<string, string[]> = {};
  if (numbers.length === 0 || numbers.some((number) => !number)) {
    errors.number = ['Number cannot be blank.'];
  } else if (numbers.some((number) => !numberPattern.test(number ?? ''))) {
    errors.number = ['Invalid phone number.'];
  }
  if (!sign.trim()) {
    errors.sign = ['Sign cannot be blank.'];
  }
  if (!text.trim()) {
    errors.text = ['Text cannot be blank.'];
  }
  if (Object.keys(errors).length > 0) {
    return refuse(failureBody(400, 'Validation error.', errors), Object.keys(errors).join(', '));
  }
  const recipients = numbers as string[];

  const magic = magicResult(recipients, smsAeroFailures, codeOf);
  if (magic) {
    return magic;
  }

  const seconds = Math.floor(context.nowMs / 1000);
  const sent = recipients.map((number) => ({
    id: context.ids.integerId(),
    from: sign,
    number,
    text,
    status: 0,
    extendStatus: 'queue',
    channel: 'FREE SIGN',
    cost: 5.49,
    dateCreate: seconds,
    dateSend: seconds,
  }));
  const data = sent.length === 1 && !Array.isArray(fields.numbers) ? sent[0] : sent;
  return reply(
    jsonReply(200, { success: true, data, message: null }),
    `200 ${sent.map(({ id, number }) => `${id} for ${number}`).join(', ')}`,
    sent.map(({ id, number }) => ({ id: String(id), to: number, text, sender: sign, raw: fields }))
  );
};

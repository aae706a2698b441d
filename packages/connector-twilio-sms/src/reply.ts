import { excerpt, fail, succeed, type HttpReply, type Outcome, type CodeRule } from '@sms-suite/sms-kit';

export type TwilioResult = { messageId: string };

/** Twilio error codes on the create-message response, and what they mean for the admin. */
export const twilioErrorCodes: Record<number, CodeRule> = {
  21211: { kind: 'recipient' }, // invalid To
  21614: { kind: 'recipient' }, // To is not a mobile number
  21612: { kind: 'recipient' }, // To not reachable on this route
  21408: { kind: 'recipient' }, // destination region not enabled (geo permissions)
  21610: { kind: 'recipient' }, // recipient replied STOP
  21608: { kind: 'recipient' }, // unverified number on a trial account
  20003: { kind: 'config', field: 'authToken' }, // authentication failed
  21606: { kind: 'config', field: 'from' }, // From not SMS-capable or not owned
  21212: { kind: 'config', field: 'from' }, // invalid From
  21603: { kind: 'config', field: 'from' }, // From missing
  20429: { kind: 'rateLimit' },
  // Twilio's SMS Pumping Protection (Messaging) and Fraud Guard (Verify) blocked this destination.
  // The number is at fault as far as the user is concerned; no other provider may be tried for it.
  30450: { kind: 'recipient', fraudBlock: true },
  60410: { kind: 'recipient', fraudBlock: true },
};

type TwilioErrorBody = { code?: unknown; message?: unknown; status?: unknown; more_info?: unknown };
type TwilioMessageBody = { sid?: unknown; status?: unknown; error_code?: unknown; error_message?: unknown };

const senderField = (field: string | undefined, usesMessagingService: boolean) =>
  field === 'from' && usesMessagingService ? 'fromMessagingServiceSID' : field;

/** Maps Twilio's reply to the message id, or to the failure the admin should read. */
export const readTwilioReply = (reply: HttpReply, { usesMessagingService = true } = {}): Outcome<TwilioResult> => {
  const body = (reply.json && typeof reply.json === 'object' ? reply.json : {}) as TwilioErrorBody & TwilioMessageBody;
  const requestId = reply.headers.get('twilio-request-id') ?? undefined;

  if (reply.status >= 200 && reply.status < 300) {
    if (typeof body.sid !== 'string' || body.sid === '') {
      return fail({
        kind: 'invalidResponse',
        description: `Twilio answered HTTP ${reply.status} without a message sid: ${excerpt(reply.text) || '(empty body)'}`,
        httpStatus: reply.status,
        requestId,
      });
    }
    // A create can already report failure (e.g. a Messaging Service with no usable sender).
    if (body.status === 'failed' || body.status === 'undelivered') {
      const code = typeof body.error_code === 'number' ? body.error_code : undefined;
      const rule = code === undefined ? undefined : twilioErrorCodes[code];
      return fail({
        kind: rule?.kind ?? 'general',
        ...(rule?.fraudBlock && { fraudBlock: true }),
        description: `Twilio accepted message ${body.sid} but marked it ${body.status}${code ? ` (error ${code})` : ''}: ${typeof body.error_message === 'string' ? body.error_message : 'no reason given'}`,
        providerCode: code,
        httpStatus: reply.status,
        requestId,
      });
    }
    return succeed({ messageId: body.sid });
  }

  const code = typeof body.code === 'number' ? body.code : undefined;
  const message = typeof body.message === 'string' ? body.message : excerpt(reply.text) || '(empty body)';
  const rule: CodeRule =
    reply.status === 429
      ? { kind: 'rateLimit' }
      : ((code === undefined ? undefined : twilioErrorCodes[code]) ?? { kind: 'general' });
  const description =
    code === undefined
      ? `Twilio answered HTTP ${reply.status}: ${message}`
      : `Twilio error ${code}: ${message}${typeof body.more_info === 'string' ? ` (${body.more_info})` : ''}`;

  return fail({
    kind: rule.kind,
    ...(rule.fraudBlock && { fraudBlock: true }),
    field: senderField(rule.field, usesMessagingService),
    description,
    providerCode: code,
    httpStatus: reply.status,
    requestId,
  });
};

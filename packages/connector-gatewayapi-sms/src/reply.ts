import { excerpt, fail, succeed, type HttpReply, type Outcome, type CodeRule } from '@sms-suite/sms-kit';

export type GatewayApiResult = { messageId: string };

const checkToken = 'Check apiToken, and that it belongs to the platform of endpoint (gatewayapi.com or gatewayapi.eu).';

/**
 * GatewayAPI error codes on the send response (`{ code, message, variables, incident_uuid }`) and what
 * they mean for the admin. Codes not listed are `general`, with GatewayAPI's text kept.
 */
export const gatewayApiErrorCodes: Record<string, CodeRule> = {
  '0x0210': { kind: 'config', field: 'apiToken', hint: checkToken }, // invalid username / token
  '0x0211': { kind: 'config', field: 'apiToken', hint: checkToken }, // invalid password
  '0x0212': { kind: 'config', field: 'apiToken', hint: 'Allow the IP address of this Logto server for the API key.' }, // invalid IP
  '0x0213': { kind: 'config', field: 'apiToken', hint: 'Allow the IP address of this Logto server for the API key.' }, // unauthorized IP
  '0x021D': { kind: 'config', field: 'apiToken', hint: 'Ask GatewayAPI to enable SMS for this account.' }, // SMS not enabled
  '0x0221': { kind: 'config', field: 'apiToken' }, // unsupported signature method
  '0x0223': { kind: 'config', field: 'apiToken', hint: checkToken }, // invalid consumer key
  '0x0224': { kind: 'config', field: 'apiToken', hint: checkToken }, // invalid signature
  '0x0225': { kind: 'config', field: 'apiToken' }, // expired timestamp
  '0x0226': { kind: 'config', field: 'apiToken' }, // invalid or used nonce
  '0x0214': { kind: 'recipient' }, // MSISDN temporarily blacklisted
  '0x0215': { kind: 'recipient' }, // MSISDN blacklisted
  '0x0217': {
    kind: 'recipient',
    hint: 'The account may not send to this country; allow it in the GatewayAPI dashboard.',
  }, // unauthorized destination country
  '0x0216': { kind: 'usageLimit', hint: 'Top up the GatewayAPI account.' }, // insufficient credit
};

type GatewayApiErrorBody = { code?: unknown; message?: unknown; variables?: unknown; incident_uuid?: unknown };
type GatewayApiSuccessBody = { ids?: unknown };

/** `0x021d` and `0x021D` are the same code. */
const normalizeCode = (code: unknown): string | undefined => {
  if (typeof code !== 'string' || code.trim() === '') {
    return undefined;
  }
  const trimmed = code.trim();
  return /^0x[\da-f]+$/i.test(trimmed) ? `0x${trimmed.slice(2).toUpperCase()}` : trimmed;
};

/** GatewayAPI messages carry placeholders: `Unauthorized IP-address: %1` with `variables: ["1.2.3.4"]`. */
export const substituteVariables = (message: string, variables: unknown): string => {
  const values = Array.isArray(variables) ? variables : [];
  return message.replace(/%(\d+)/g, (written, index: string) => {
    const value: unknown = values[Number(index) - 1];
    return value === undefined || value === null ? written : String(value);
  });
};

const firstId = (ids: unknown): string | undefined => {
  const id: unknown = Array.isArray(ids) ? ids[0] : undefined;
  if ((typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.trim() !== '')) {
    return String(id);
  }
  return undefined;
};

/** Maps GatewayAPI's reply to the message id, or to the failure the admin should read. */
export const readGatewayApiReply = (reply: HttpReply): Outcome<GatewayApiResult> => {
  const body = (reply.json && typeof reply.json === 'object' ? reply.json : {}) as GatewayApiErrorBody &
    GatewayApiSuccessBody;

  if (reply.status >= 200 && reply.status < 300) {
    const messageId = firstId(body.ids);
    if (messageId === undefined) {
      return fail({
        kind: 'invalidResponse',
        description: `GatewayAPI answered HTTP ${reply.status} without a message id ("ids"): ${excerpt(reply.text) || '(empty body)'}`,
        httpStatus: reply.status,
      });
    }
    return succeed({ messageId });
  }

  const code = normalizeCode(body.code);
  const requestId =
    typeof body.incident_uuid === 'string' && body.incident_uuid !== '' ? body.incident_uuid : undefined;
  const message =
    typeof body.message === 'string' && body.message.trim() !== ''
      ? substituteVariables(body.message, body.variables)
      : excerpt(reply.text) || '(empty body)';
  const rule: CodeRule =
    (code === undefined ? undefined : gatewayApiErrorCodes[code]) ??
    (reply.status === 429
      ? { kind: 'rateLimit' }
      : reply.status === 401
        ? { kind: 'config', field: 'apiToken', hint: checkToken }
        : { kind: 'general' });

  const description = [
    code === undefined
      ? `GatewayAPI answered HTTP ${reply.status}: ${message}`
      : `GatewayAPI error ${code}: ${message}`,
    requestId && `(incident ${requestId})`,
    rule.hint,
  ]
    .filter(Boolean)
    .join(' ');

  return fail({
    kind: rule.kind,
    field: rule.field,
    description,
    providerCode: code,
    httpStatus: reply.status,
    requestId,
  });
};

import { settle, type Outcome } from './errors';
import { send, type HttpReply, type HttpRequest, type SendOptions } from './http';
import { authorizationSecrets, createRedactor } from './redact';

/**
 * One send, start to finish: the request goes out through `send` (bounded, never retried), the
 * connector's reply mapper reads the answer, and a failure leaves as a ConnectorError with every
 * secret redacted, the Authorization value and its credential included (a provider may echo them).
 */
export const deliver = async <Result>(
  request: HttpRequest,
  options: SendOptions,
  mapReply: (reply: HttpReply) => Outcome<Result>
): Promise<Result> => {
  const redact = createRedactor([...(options.secrets ?? []), ...authorizationSecrets(request.headers)]);
  const reply = await send(request, options);
  return settle(options.provider, mapReply(reply), redact);
};

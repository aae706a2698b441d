import {
  ConnectorType,
  type ConnectorMetadata,
  type CreateConnector,
  type SmsConnector,
  type SendMessageData,
} from '@logto/connector-kit';
import type { ZodType, ZodTypeDef } from 'zod';

import { parseConfig } from './config';
import { settle, withConnectorErrors, type Outcome } from './errors';
import { send, type HttpReply, type HttpRequest } from './http';
import { parsePhone, type PhoneNumber } from './phone';
import { createRedactor, requestSecrets, type Redactor } from './redact';

/** The config fields every connector has; the kit applies them so no connector can forget one. */
type SharedConfig = { timeout?: number; defaultRegion?: string };

/** One message, ready for a provider: Logto's data and the parsed, validated recipient. */
export type Message = { data: SendMessageData; phone: PhoneNumber };

/** What a connector contributes per send: the request (pure) and how to read the reply (pure). */
export type PreparedSend<Result> = { request: HttpRequest; mapReply: (reply: HttpReply) => Outcome<Result> };

export type SmsConnectorDefinition<Config extends SharedConfig, Result> = {
  /** Provider name in error messages: `Twilio`, `Aliyun`. */
  provider: string;
  metadata: ConnectorMetadata;
  configGuard: ZodType<Config, ZodTypeDef, unknown>;
  /** The secret values of a config: never in an error, a log line or CLI output. */
  secretsOf: (config: Config) => ReadonlyArray<string | undefined>;
  /** Region for national numbers when the config sets none (Aliyun and Tencent use `CN`). */
  defaultRegion?: string;
  /** Builds the request for one message. Throw a ConnectorError for input it cannot send. */
  prepare: (message: Message, config: Config) => PreparedSend<Result>;
};

/**
 * One redactor for a whole send. It starts with the config's secrets and learns what the request
 * carries (signatures, the Authorization value) once the request is built; it is only assembled
 * when something has to be redacted, which a successful send never needs.
 */
const sendRedactor = (configSecrets: ReadonlyArray<string | undefined>) => {
  const secrets = [...configSecrets];
  let redactor: Redactor | undefined;
  return {
    redact: (text: string) => (redactor ??= createRedactor(secrets))(text),
    learn: (request: HttpRequest) => {
      secrets.push(...requestSecrets(request));
      redactor = undefined;
    },
  };
};

/**
 * Everything a connector does besides its provider facts, in Logto's order: the config from the
 * console's Send button (second argument) or from `getConfig` (real flows), validated; the number
 * parsed before any HTTP call; one bounded, never-retried send; only ConnectorErrors out, every one
 * redacted. `createConnector` itself is free of I/O and never calls `getConfig`, as Logto's loader
 * requires.
 */
export const defineSmsConnector =
  <Config extends SharedConfig, Result>(
    definition: SmsConnectorDefinition<Config, Result>
  ): CreateConnector<SmsConnector> =>
  async ({ getConfig }) => ({
    metadata: definition.metadata,
    type: ConnectorType.Sms,
    configGuard: definition.configGuard,
    sendMessage: async (data, inputConfig) => {
      const config = parseConfig(definition.configGuard, inputConfig ?? (await getConfig(definition.metadata.id)));
      const { redact, learn } = sendRedactor(definition.secretsOf(config));

      return withConnectorErrors(definition.provider, redact, async () => {
        const phone = parsePhone(data.to, config.defaultRegion ?? definition.defaultRegion);
        const { request, mapReply } = definition.prepare({ data, phone }, config);
        learn(request);
        const reply = await send(request, { provider: definition.provider, timeout: config.timeout, redact });
        return settle(definition.provider, mapReply(reply), redact);
      });
    },
  });

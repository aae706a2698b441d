import {
  ConnectorError,
  ConnectorType,
  type ConnectorMetadata,
  type CreateConnector,
  type SmsConnector,
} from '@logto/connector-kit';

import { parseConfig } from './config';
import { settle, withConnectorErrors, type Outcome } from './errors';
import { send, type HttpReply, type HttpRequest } from './http';
import { buildMetadata, type MetadataInput } from './metadata';
import { parsePhone } from './phone';
import { checkDestination } from './policy/countries';
import { reserveSendLimits } from './policy/policy';
import { messageFor, providerConfigGuard, providerFormItems, providerSecrets, type AnySmsProvider } from './provider';
import { createRedactor, requestSecrets, type Redactor } from './redact';

/** A transport failure before the request could reach the provider: nothing to count. */
const certainlyNotSent = (error: unknown) =>
  error instanceof ConnectorError && (error.data as { delivery?: string } | undefined)?.delivery === 'notSent';

/**
 * The provider answered and did not take the message (4xx, 5xx, an error code): it does not count
 * toward the send limits. A 2xx whose body cannot be read may have been accepted, so it counts.
 */
const providerRefused = (reply: HttpReply, outcome: Outcome<unknown>) =>
  !outcome.ok && !(reply.status >= 200 && reply.status < 300 && outcome.failure.kind === 'invalidResponse');

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

/** A connector's metadata: what it is (id, names, description) and the form of its provider's config. */
export const connectorMetadata = (
  provider: AnySmsProvider,
  about: Omit<MetadataInput, 'formItems'>
): ConnectorMetadata => buildMetadata({ ...about, formItems: providerFormItems(provider) });

/**
 * Everything a connector does besides its provider facts, in Logto's order: the config from the
 * console's Send button (second argument) or from `getConfig` (real flows), validated; the number
 * parsed and the template chosen before any HTTP call; one bounded, never-retried send; only
 * ConnectorErrors out, every one redacted. `createConnector` itself is free of I/O and never calls
 * `getConfig`, as Logto's loader requires.
 */
export const defineSmsConnector = (
  provider: AnySmsProvider,
  metadata: ConnectorMetadata
): CreateConnector<SmsConnector> => {
  const configGuard = providerConfigGuard(provider);
  return async ({ getConfig }) => ({
    metadata,
    type: ConnectorType.Sms,
    configGuard,
    sendMessage: async (data, inputConfig) => {
      const config = parseConfig(configGuard, inputConfig ?? (await getConfig(metadata.id)));
      const { redact, learn } = sendRedactor(providerSecrets(provider, config));

      return withConnectorErrors(provider.name, redact, async () => {
        const phone = parsePhone(data.to, config.defaultRegion ?? provider.defaultRegion);
        checkDestination(phone, config);
        const request = provider.buildRequest(messageFor(provider, config, { data, phone }) as never, config);
        learn(request);
        // Last before the request: everything that could refuse the send locally has run.
        const counted = await reserveSendLimits({
          config,
          data,
          phone,
          connectorId: metadata.id,
          consoleTest: inputConfig !== undefined,
        });
        // A release never throws and is not waited for: the user's answer does not wait on Redis.
        const reply = await send(request, { provider: provider.name, timeout: config.timeout, redact }).catch(
          (error: unknown) => {
            if (certainlyNotSent(error)) {
              void counted.release();
            }
            throw error;
          }
        );
        const outcome = provider.readReply(reply, { config, phone });
        if (providerRefused(reply, outcome)) {
          void counted.release();
        }
        return settle(provider.name, outcome, redact);
      });
    },
  });
};

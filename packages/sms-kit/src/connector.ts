import { ConnectorType, type ConnectorMetadata, type CreateConnector, type SmsConnector } from '@logto/connector-kit';

import { performAttempt, requestFor } from './attempt';
import { parseConfig } from './config';
import { withConnectorErrors } from './errors';
import { buildMetadata, type MetadataInput } from './metadata';
import { parsePhone } from './phone';
import { checkDestination } from './policy/countries';
import { reserveSendLimits } from './policy/policy';
import { providerConfigGuard, providerFormItems, providerSecrets, type AnySmsProvider } from './provider';
import { sendRedactor } from './redact';

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
        const request = requestFor(provider, config, { data, phone });
        learn(request);
        // Last before the request: everything that could refuse the send locally has run.
        const counted = await reserveSendLimits({
          config,
          data,
          phone,
          connectorId: metadata.id,
          consoleTest: inputConfig !== undefined,
        });
        const attempt = await performAttempt(provider, config, request, phone, { timeout: config.timeout, redact });
        if (attempt.ok) {
          return attempt.result;
        }
        // Only a send that may have been delivered keeps its count. A release never throws and is not
        // waited for: the user's answer does not wait on Redis.
        if (attempt.failure.delivery !== 'unknown') {
          void counted.release();
        }
        throw attempt.failure.error;
      });
    },
  });
};

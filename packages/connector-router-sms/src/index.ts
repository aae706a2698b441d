import { ConnectorType, type CreateConnector, type SmsConnector } from '@logto/connector-kit';
import {
  buildMetadata,
  createRedactor,
  parseConfig,
  providerSecrets,
  redisUrlSecrets,
  withConnectorErrors,
} from '@sms-suite/sms-kit';

import { routerConfigGuard, type RouterConfig } from './config';
import { routerFormItems } from './metadata';
import { sendThroughRoute } from './send';

export {
  routerConfigGuard,
  routerConfigWarnings,
  routerOnlyKeys,
  type RouterConfig,
  type RouterConfigWarning,
} from './config';
export { routerProviderNames } from './providers';
export type { RoutedResult } from './send';
export type { AttemptReport } from './report';

export const metadata = buildMetadata({
  id: 'sms-suite-router',
  target: 'sms-suite-router',
  name: { en: 'SMS router (SMS Suite)', 'zh-CN': '短信路由 (SMS Suite)' },
  description: {
    en: 'One SMS connector, several providers: a provider per country (e.g. Aliyun for mainland China, Twilio elsewhere) and failover only where the message certainly was not delivered.',
    'zh-CN':
      '一个短信连接器，多个服务商：按国家选择服务商（如中国大陆用阿里云、其他地区用 Twilio），仅在确定未送达时切换到下一个服务商。',
  },
  formItems: routerFormItems,
});

/** Every secret of every provider's config, and the Redis URL's: none may reach an error. */
const routerSecrets = (config: RouterConfig) => [
  ...Object.values(config.providers).flatMap(({ provider, config: providerConfig }) =>
    providerSecrets(provider, providerConfig)
  ),
  ...redisUrlSecrets(config.redisUrl),
];

/**
 * The routing connector. Logto calls it like any SMS connector: the console's Send passes the unsaved
 * config as the second argument and gets the same route and failover as a real send of that number.
 */
const createConnector: CreateConnector<SmsConnector> = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard: routerConfigGuard,
  sendMessage: async (data, inputConfig) => {
    const startedAt = Date.now();
    const config = parseConfig(routerConfigGuard, inputConfig ?? (await getConfig(metadata.id)));
    // Built only when something has to be redacted, which a successful send never needs.
    let redactor: ((text: string) => string) | undefined;
    const redact = (text: string) => (redactor ??= createRedactor(routerSecrets(config)))(text);
    return withConnectorErrors('SMS router', redact, async () =>
      sendThroughRoute({
        config,
        data,
        connectorId: metadata.id,
        consoleTest: inputConfig !== undefined,
        startedAt,
      })
    );
  },
});

export default createConnector;

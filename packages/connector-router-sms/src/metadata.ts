import { ConnectorConfigFormItemType, type ConnectorConfigFormItem } from '@logto/connector-kit';
import { defaultRegionFormItem, policyFormItems } from '@sms-suite/sms-kit';

import { defaultRouterTimeout, maximumRouterTimeout, minimumAttemptMs } from './config';
import { routerProviderNames } from './providers';

/** What the console's form pre-fills: one provider and a route that sends everything through it. */
const exampleProviders = {
  twilio: {
    use: 'twilio',
    config: {
      accountSID: 'AC…',
      authToken: '…',
      fromMessagingServiceSID: 'MG…',
      templates: [{ usageType: 'Generic', content: 'Your verification code is {{code}}.' }],
    },
  },
};

export const routerFormItems: ConnectorConfigFormItem[] = [
  {
    key: 'providers',
    label: 'Providers',
    type: ConnectorConfigFormItemType.Json,
    required: true,
    defaultValue: exampleProviders,
    description: `Named providers: { "<name>": { "use": "<provider>", "config": { … } } }. "use" is one of ${routerProviderNames.join(', ')}; "config" is exactly that connector's own config (its templates included), checked by its own rules.`,
  },
  {
    key: 'routes',
    label: 'Routes',
    type: ConnectorConfigFormItemType.Json,
    required: true,
    defaultValue: [{ countries: ['*'], providers: ['twilio'] }],
    description:
      'Matched in order by the number\'s own country (+1 868 is TT): [{ "countries": ["CN"], "providers": ["aliyun-cn", "twilio"] }, { "countries": ["*"], "providers": ["twilio", "vonage"] }]. A route\'s providers are tried in order; the next one only when the previous certainly did not deliver.',
  },
  {
    key: 'timeout',
    label: 'Timeout for the whole send (ms)',
    type: ConnectorConfigFormItemType.Number,
    required: false,
    placeholder: String(defaultRouterTimeout),
    description: `One deadline for every attempt together; default ${defaultRouterTimeout}, at most ${maximumRouterTimeout}. Each attempt gets the shorter of its provider's own timeout and what is left; none starts with less than ${minimumAttemptMs} ms left.`,
  },
  {
    ...defaultRegionFormItem,
    description:
      'ISO 3166 code used for numbers typed without a country code, before the route is chosen. Logto itself always sends the country code.',
  },
  ...policyFormItems,
];

import type { AnySmsProvider } from '@sms-suite/sms-kit';

// The provider values only, from each connector's own provider file: the router bundles what the
// seven connectors send and read, not their metadata or their connector factories.
import { aliyun } from '../../connector-aliyun-sms/src/provider';
import { gatewayApi } from '../../connector-gatewayapi-sms/src/provider';
import { httpSms } from '../../connector-http-sms/src/provider';
import { smsAero } from '../../connector-smsaero-sms/src/provider';
import { tencent } from '../../connector-tencent-sms/src/provider';
import { twilio } from '../../connector-twilio-sms/src/provider';
import { vonage } from '../../connector-vonage-sms/src/provider';

/**
 * What a router config's `use` may name: every provider of the suite, by the short name the CLI,
 * the sandbox and the catalog use (a test holds this list equal to the catalog's).
 */
export const routerProviders = {
  twilio,
  aliyun,
  tencent,
  http: httpSms,
  smsaero: smsAero,
  gatewayapi: gatewayApi,
  vonage,
} as const satisfies Record<string, AnySmsProvider>;

export type RouterProviderName = keyof typeof routerProviders;

export const routerProviderNames = Object.keys(routerProviders) as RouterProviderName[];

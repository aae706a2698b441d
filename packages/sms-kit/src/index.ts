// The kit's public surface, grouped by role. Everything else in this folder is internal: connectors,
// the CLI and the sandbox import only what is listed here.

// Wiring: a connector is its provider facts plus defineSmsConnector.
export { connectorMetadata, defineSmsConnector } from './connector';
export {
  defineProvider,
  messageFor,
  providerConfigGuard,
  providerConfigShape,
  providerFormItems,
  providerSecrets,
  sharedConfigKeys,
  type AnySmsProvider,
  type CodeMessage,
  type FullConfig,
  type CodeTemplates,
  type OptionalTextMessage,
  type ProviderConfig,
  type Recipient,
  type ReplyContext,
  type SmsProvider,
  type TemplateSpec,
  type TextMessage,
} from './provider';
export { buildMetadata, defaultTemplateTexts, templateTypes, type MetadataInput } from './metadata';

// One attempt at one provider, classified (not sent, refused, may have been delivered): what the
// single connectors throw and what the routing connector decides failover from.
export {
  attemptFailureOf,
  deliveryOfReply,
  performAttempt,
  requestFor,
  type Attempt,
  type AttemptFailure,
  type AttemptOptions,
} from './attempt';

// Config: the shared guards and form items every connector's config is built from.
export {
  defaultRegionGuard,
  endpointGuard,
  isLoopbackHost,
  parseConfig,
  templateBaseShape,
  templatesGuard,
  timeoutGuard,
} from './config';
export { defaultRegionFormItem, templatesFormItem, timeoutFormItem } from './metadata';
export { chinaOverseasGuard, valueForDestination, type ChinaOverseas } from './china-overseas';

// Destination policy: country lists and send limits, shared by every connector.
export { applyPolicy, counterStoreFor, reserveSendLimits, storeDeadlineMs, type CountedSend } from './policy/policy';
export {
  countryCodeGuard,
  defaultMemoryKeys,
  policyFormItems,
  policyKeys,
  policyShape,
  refinePolicy,
  sendLimitKinds,
  type PolicyConfig,
  type SendLimit,
  type SendLimitKind,
} from './policy/config';
export { checkDestination, countryName } from './policy/countries';
export { redisUrlSecrets } from './policy/redis-store';
export { describeTrippedLimit, describeWindow } from './policy/limits';

// Phone numbers.
export {
  isMainlandChina,
  parsePhone,
  phoneProblem,
  requireMainlandMobile,
  toChinaNationalOrE164Digits,
  toE164,
  toE164Digits,
  type PhoneNumber,
} from './phone';
export { consolePhone, consolePhoneInputPattern } from './console-phone';

// Templates.
export { canonicalUsageType, selectTemplate } from './template';
export { render } from './render';

// Outcome: what a reply mapper returns, and how it reaches Logto.
export {
  fail,
  fieldError,
  redactConnectorError,
  settle,
  usageLimitExceededCode,
  withConnectorErrors,
  succeed,
  toConnectorError,
  type CodeRule,
  type Delivery,
  type ErrorDescription,
  type FailureKind,
  type Outcome,
  type ProviderFailure,
} from './errors';
export { logtoResponseFor, type LogtoResponse } from './logto-response';

// HTTP: the one bounded send, and what it returns.
export {
  defaultTimeout,
  effectiveTimeout,
  excerpt,
  maximumReplyBytes,
  maximumTimeout,
  parseJsonSafely,
  send,
  type HttpReply,
  type HttpRequest,
  type SendOptions,
} from './http';

// Secrets.
export {
  authorizationSecrets,
  createRedactor,
  redactedMark,
  requestSecrets,
  secretsOf,
  sendRedactor,
  wireFormsOf,
  type Redactor,
} from './redact';

// Encoding: GSM-7 or UCS-2, and how many segments a text costs.
export { isGsm7, messageEncoding } from './encoding';

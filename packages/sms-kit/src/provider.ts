import type { ConnectorConfigFormItem, SendMessageData } from '@logto/connector-kit';
import { z, type RefinementCtx, type ZodRawShape, type ZodType, type ZodTypeAny, type ZodTypeDef } from 'zod';

import { chinaOverseasGuard, valueForDestination, type ChinaOverseas } from './china-overseas';
import { defaultRegionGuard, templateBaseShape, templatesGuard, timeoutGuard } from './config';
import type { Outcome } from './errors';
import type { HttpReply, HttpRequest } from './http';
import { defaultRegionFormItem, defaultTemplateTexts, templatesFormItem, timeoutFormItem } from './metadata';
import type { PhoneNumber } from './phone';
import { redisUrlSecrets } from './policy/redis-store';
import { policyFormItems, policyKeys, policyShape, refinePolicy, type PolicyConfig } from './policy/config';
import { secretsOf } from './redact';
import { render } from './render';
import { selectTemplate } from './template';

/**
 * A provider is a value: its own config fields, how its templates name a message, which values are
 * secret, how to build the request and how to read the reply. The kit adds the fields every connector
 * shares (templates, timeout, defaultRegion) to the guard and the form, selects and renders the
 * template, parses the number and sends: a provider cannot forget a shared field because it never
 * writes one.
 */

/** Templates whose `content` the kit renders: the provider receives `text`. */
export type TextTemplates = {
  kind: 'text';
  /** What the console's Templates item says (default: one entry per type, `locale` for variants). */
  description?: string;
};

/** As `text`, but `templates` may be left out; the provider then receives no `text` (the HTTP gateway). */
export type OptionalTextTemplates = { kind: 'optionalText'; description?: string };

/**
 * Templates approved at the provider and named by a code. `templateCode` is one code or
 * `{ china, overseas }` (see `ChinaOverseas`); the kit picks the side that serves the number, so the
 * provider receives one `templateCode`.
 */
export type CodeTemplates = {
  kind: 'code';
  /** Guard of one code; `key` is `templateCode`, `china` or `overseas`, so its messages can name it. */
  code: (key: string) => ZodTypeAny;
  /** What the provider calls a code in messages: `code` (Aliyun), `ID` (Tencent). */
  noun: string;
  /** The code the console pre-fills, e.g. `SMS_000000`. */
  placeholder: string;
  description: string;
  /** The form's pre-filled templates (default: one per template type). */
  defaultValue?: Array<Record<string, unknown>>;
  /** Further template fields the provider accepts (Aliyun's `type` of the official connector). */
  extraFields?: ZodRawShape;
};

export type TemplateSpec = TextTemplates | OptionalTextTemplates | CodeTemplates;

/** Who the message is for: Logto's call as is, and the parsed, validated number. */
export type Recipient = { data: SendMessageData; phone: PhoneNumber };
export type TextMessage = Recipient & { text: string };
export type OptionalTextMessage = Recipient & { text?: string };
export type CodeMessage = Recipient & { templateCode: string; usageType: string };

type MessageOf<Templates extends TemplateSpec> = Templates extends CodeTemplates
  ? CodeMessage
  : Templates extends OptionalTextTemplates
    ? OptionalTextMessage
    : TextMessage;

/** The config a provider's functions read: its own fields and the shared ones it may need. */
export type ProviderConfig<Fields extends ZodRawShape> = z.output<z.ZodObject<Fields>> & {
  timeout?: number;
  defaultRegion?: string;
};

export type ReplyContext<Config> = { config: Config; phone: PhoneNumber };

export type SmsProvider<
  Fields extends ZodRawShape = ZodRawShape,
  Templates extends TemplateSpec = TemplateSpec,
  Result = unknown,
> = {
  /** Provider name in error messages: `Twilio`, `Aliyun`. */
  name: string;
  /** The provider's own config fields; never `templates`, `timeout` or `defaultRegion`. */
  fields: Fields;
  /** Rules across fields (e.g. exactly one sender), as a zod superRefine on the whole config. */
  refine?(config: ProviderConfig<Fields>, context: RefinementCtx): void;
  /** Form items of the provider's own fields, in the order the console shows them. */
  formItems: ConnectorConfigFormItem[];
  templates: Templates;
  /** Config keys whose values are secrets (an object's values all are): never in an error or a log line. */
  secretKeys: ReadonlyArray<keyof Fields & string>;
  /** Secret values derived from the config beyond `secretKeys` (the token inside `Bearer <token>`). */
  derivedSecrets?(config: ProviderConfig<Fields>): ReadonlyArray<string | undefined>;
  /** Region for national numbers when the config sets none (Aliyun and Tencent use `CN`). */
  defaultRegion?: string;
  /** The request for one message; pure but for ids and clocks. Throw a ConnectorError for input it cannot send. */
  buildRequest(message: MessageOf<Templates>, config: ProviderConfig<Fields>): HttpRequest;
  /** What the reply means, with the provider's code table as data; pure. */
  readReply(reply: HttpReply, context: ReplyContext<ProviderConfig<Fields>>): Outcome<Result>;
};

/** Identity, for type inference: `export const twilio = defineProvider({ … })`. */
export const defineProvider = <Fields extends ZodRawShape, Templates extends TemplateSpec, Result>(
  provider: SmsProvider<Fields, Templates, Result>
): SmsProvider<Fields, Templates, Result> => provider;

// The kit's functions take any provider (the methods above are bivariant in their parameters).
export type AnySmsProvider = SmsProvider<ZodRawShape, TemplateSpec, unknown>;

const textTemplateGuard = z.object({
  ...templateBaseShape,
  content: z.string().min(1, 'content must be the message text, e.g. "Your code is {{code}}"'),
});

const templatesFieldOf = (templates: TemplateSpec) => {
  switch (templates.kind) {
    case 'text': {
      return templatesGuard(textTemplateGuard);
    }
    case 'optionalText': {
      return templatesGuard(textTemplateGuard, { allowEmpty: true }).optional();
    }
    case 'code': {
      return templatesGuard(
        z.object({
          ...templateBaseShape,
          templateCode: chinaOverseasGuard('templateCode', templates.code),
          ...templates.extraFields,
        })
      );
    }
  }
};

/** Every key of a provider's config and its guard: the provider's fields, then the shared ones. */
export const providerConfigShape = (provider: AnySmsProvider): ZodRawShape => ({
  ...provider.fields,
  templates: templatesFieldOf(provider.templates),
  timeout: timeoutGuard,
  defaultRegion: defaultRegionGuard,
  ...policyShape,
});

/** A provider's whole config: its fields and the shared ones. */
export type FullConfig<Fields extends ZodRawShape> = ProviderConfig<Fields> &
  PolicyConfig & {
    templates?: Array<{ usageType: string; locale?: string; content?: string; templateCode?: ChinaOverseas<string> }>;
  };

/** The whole config guard of a provider: its fields, the shared fields, its cross-field rules. */
export const providerConfigGuard = <Fields extends ZodRawShape>(
  provider: SmsProvider<Fields, TemplateSpec, unknown>
): ZodType<FullConfig<Fields>, ZodTypeDef, unknown> => {
  const object = z.object(providerConfigShape(provider));
  const guard = object.superRefine((config, context) => {
    refinePolicy(config as PolicyConfig, context);
    provider.refine?.(config as ProviderConfig<Fields>, context);
  });
  return guard as unknown as ZodType<FullConfig<Fields>, ZodTypeDef, unknown>;
};

const templatesFormItemOf = (templates: TemplateSpec): ConnectorConfigFormItem => {
  switch (templates.kind) {
    case 'text': {
      return templatesFormItem(
        (usageType) => ({ usageType, content: defaultTemplateTexts[usageType] }),
        templates.description
      );
    }
    case 'optionalText': {
      return {
        ...templatesFormItem(
          (usageType) => ({ usageType, content: defaultTemplateTexts[usageType] }),
          templates.description ??
            'Optional. One entry per usage type, "locale" (e.g. "fr") for localized variants; a "Generic" template without locale is required when any is set.'
        ),
        required: false,
      };
    }
    case 'code': {
      return {
        ...templatesFormItem(
          (usageType) => ({ usageType, templateCode: templates.placeholder }),
          templates.description
        ),
        ...(templates.defaultValue && { defaultValue: templates.defaultValue }),
      };
    }
  }
};

const defaultRegionFormItemOf = (region: string | undefined): ConnectorConfigFormItem =>
  region
    ? {
        ...defaultRegionFormItem,
        placeholder: region,
        description: `ISO 3166 code used for numbers typed without a country code; default ${region}. Numbers with a country code (what Logto sends, e.g. 16502530000) are never reinterpreted.`,
      }
    : defaultRegionFormItem;

/** The console's form: the provider's own items, then templates, timeout, default region and the destination policy. */
export const providerFormItems = (provider: AnySmsProvider): ConnectorConfigFormItem[] => [
  ...provider.formItems,
  templatesFormItemOf(provider.templates),
  timeoutFormItem,
  defaultRegionFormItemOf(provider.defaultRegion),
  ...policyFormItems,
];

/** Every secret value of a parsed config. */
export const providerSecrets = (
  provider: AnySmsProvider,
  config: Record<string, unknown>
): Array<string | undefined> => [
  ...secretsOf(config, provider.secretKeys),
  ...(provider.derivedSecrets?.(config) ?? []),
  ...redisUrlSecrets(config.redisUrl),
];

/**
 * The message a provider builds its request from: the template for the usage type and locale
 * (`selectTemplate`), rendered for text providers, or its code for the number's side for code
 * providers.
 */
export const messageFor = (
  provider: AnySmsProvider,
  config: Pick<FullConfig<ZodRawShape>, 'templates'>,
  recipient: Recipient
): TextMessage | OptionalTextMessage | CodeMessage => {
  const { data } = recipient;
  const payload: Record<string, unknown> = data.payload ?? {};
  const locale = typeof payload.locale === 'string' ? payload.locale : undefined;
  const { templates } = provider;
  if (templates.kind === 'optionalText' && !config.templates?.length) {
    return recipient;
  }
  const template = selectTemplate(config.templates, data.type, locale);
  if (templates.kind === 'code') {
    const templateCode = valueForDestination(template.templateCode ?? '', recipient.phone, {
      usageType: template.usageType,
      noun: templates.noun,
    });
    return { ...recipient, templateCode, usageType: template.usageType };
  }
  return { ...recipient, text: render(template.content ?? '', payload) };
};

/** Config keys the provider may not declare: the kit owns them. */
export const sharedConfigKeys = ['templates', 'timeout', 'defaultRegion', ...policyKeys] as const;

import {
  ConnectorConfigFormItemType,
  TemplateType,
  type ConnectorConfigFormItem,
  type ConnectorMetadata,
} from '@logto/connector-kit';

import { defaultTimeout, maximumTimeout } from './http';

/** Every template type Logto knows, in the order the console shows them. */
export const templateTypes: readonly TemplateType[] = [
  TemplateType.SignIn,
  TemplateType.Register,
  TemplateType.ForgotPassword,
  TemplateType.Generic,
  TemplateType.UserPermissionValidation,
  TemplateType.BindNewIdentifier,
  TemplateType.MfaVerification,
  TemplateType.BindMfa,
  TemplateType.OrganizationInvitation,
];

/** Default message per type. No expiry in the text: Logto's code lifetime is configurable. */
export const defaultTemplateTexts: Record<TemplateType, string> = {
  [TemplateType.SignIn]: 'Your sign-in code is {{code}}. Do not share it with anyone.',
  [TemplateType.Register]: 'Your registration code is {{code}}. Do not share it with anyone.',
  [TemplateType.ForgotPassword]: 'Your password reset code is {{code}}. Do not share it with anyone.',
  [TemplateType.Generic]: 'Your verification code is {{code}}. Do not share it with anyone.',
  [TemplateType.UserPermissionValidation]: 'Your verification code is {{code}}. Do not share it with anyone.',
  [TemplateType.BindNewIdentifier]: 'Your code to link this phone number is {{code}}.',
  [TemplateType.MfaVerification]: 'Your two-step verification code is {{code}}. Do not share it with anyone.',
  [TemplateType.BindMfa]: 'Your code to set up two-step verification is {{code}}.',
  [TemplateType.OrganizationInvitation]: 'Your invitation code is {{code}}.',
};

type Texts = { en: string; 'zh-CN': string };

export type MetadataInput = {
  id: string;
  target: string;
  name: Texts;
  description: Texts;
  formItems: ConnectorConfigFormItem[];
};

export const buildMetadata = ({ id, target, name, description, formItems }: MetadataInput): ConnectorMetadata => ({
  id,
  target,
  platform: null,
  name,
  description,
  logo: './logo.svg',
  logoDark: null,
  readme: './README.md',
  formItems,
});

/** The Json "Templates" item, pre-filled with one template per type so a new connector works at once. */
export const templatesFormItem = (
  templateFor: (type: TemplateType) => Record<string, unknown>,
  description = 'One entry per usage type; add "locale" (e.g. "fr") for localized variants. Types without a template use "Generic".'
): ConnectorConfigFormItem => ({
  key: 'templates',
  label: 'Templates',
  type: ConnectorConfigFormItemType.Json,
  required: true,
  defaultValue: templateTypes.map((type) => templateFor(type)),
  description,
});

export const timeoutFormItem: ConnectorConfigFormItem = {
  key: 'timeout',
  label: 'Timeout (ms)',
  type: ConnectorConfigFormItemType.Number,
  required: false,
  placeholder: String(defaultTimeout),
  description: `How long a send may take before it fails; default ${defaultTimeout}, at most ${maximumTimeout}. A send is never retried.`,
};

export const defaultRegionFormItem: ConnectorConfigFormItem = {
  key: 'defaultRegion',
  label: 'Default region',
  type: ConnectorConfigFormItemType.Text,
  required: false,
  placeholder: 'US',
  description:
    'ISO 3166 code used for numbers typed without a country code. Logto itself always sends the country code.',
};

import { ConnectorConfigFormItemType, TemplateType, connectorMetadataGuard } from '@logto/connector-kit';

import { buildMetadata, defaultTemplateTexts, templateTypes, templatesFormItem, timeoutFormItem } from './metadata';

describe('metadata helpers', () => {
  const metadata = buildMetadata({
    id: 'sms-suite-example',
    target: 'example-sms',
    name: { en: 'Example', 'zh-CN': '示例' },
    description: { en: 'Example connector', 'zh-CN': '示例连接器' },
    formItems: [
      templatesFormItem((usageType) => ({ usageType, content: defaultTemplateTexts[usageType] })),
      timeoutFormItem,
    ],
  });

  it('passes the guard Logto applies to every connector listing', () => {
    expect(() => connectorMetadataGuard.parse(metadata)).not.toThrow();
    expect(metadata).toMatchObject({ platform: null, logoDark: null, logo: './logo.svg', readme: './README.md' });
  });

  it('covers every template type, each with {{code}}', () => {
    expect(new Set(templateTypes)).toEqual(new Set(Object.values(TemplateType)));
    const item = metadata.formItems?.[0];
    expect(item).toMatchObject({ key: 'templates', type: ConnectorConfigFormItemType.Json, required: true });
    const defaults = (item as { defaultValue: Array<{ usageType: string; content: string }> }).defaultValue;
    expect(defaults.map(({ usageType }) => usageType)).toEqual(templateTypes);
    for (const { content } of defaults) {
      expect(content).toContain('{{code}}');
    }
  });
});

import { ConnectorError, ConnectorErrorCodes, TemplateType } from '@logto/connector-kit';

import { logtoResponseFor } from './logto-response';
import { selectTemplate } from './template';

type Template = { usageType: string; locale?: string; content: string };

const catchError = (run: () => unknown): ConnectorError => {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof ConnectorError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ConnectorError');
};

const templates: Template[] = [
  { usageType: 'SignIn', locale: 'fr-CA', content: 'signin fr-CA' },
  { usageType: 'SignIn', locale: 'fr', content: 'signin fr' },
  { usageType: 'SignIn', content: 'signin default' },
  { usageType: 'Register', locale: 'zh-CN', content: 'register zh-CN' },
  { usageType: 'Generic', locale: 'de', content: 'generic de' },
  { usageType: 'Generic', content: 'generic default' },
];

describe('selectTemplate', () => {
  it.each([
    ['SignIn', 'fr-CA', 'signin fr-CA'],
    ['SignIn', 'FR-ca', 'signin fr-CA'], // case-insensitive
    ['SignIn', 'fr_CA', 'signin fr-CA'], // underscore spelling
    ['SignIn', 'fr-BE', 'signin fr'], // language only
    ['SignIn', 'fr', 'signin fr'],
    ['SignIn', 'en', 'signin default'], // no locale match → template without locale
    ['SignIn', undefined, 'signin default'], // no locale given (console test, Management API)
    ['Register', 'zh-CN', 'register zh-CN'],
    ['Register', 'en', 'generic default'], // type has only other locales → Generic chain
    ['Register', 'de-AT', 'generic de'], // … where the language matches
    ['MfaVerification', 'de', 'generic de'],
    ['BindMfa', undefined, 'generic default'],
    ['Generic', undefined, 'generic default'],
  ])('%s in %s → %s', (type, locale, expected) => {
    expect(selectTemplate(templates, type, locale).content).toBe(expected);
  });

  it('treats the legacy usage type Test as Generic', () => {
    const legacy: Template[] = [
      { usageType: 'Register', content: 'register' },
      { usageType: 'Test', content: 'test' },
    ];
    expect(selectTemplate(legacy, TemplateType.Generic).content).toBe('test');
    expect(selectTemplate(legacy, TemplateType.SignIn).content).toBe('test');
    expect(selectTemplate(legacy, TemplateType.Register).content).toBe('register');
  });

  it('prefers the exact type over Generic', () => {
    expect(
      selectTemplate(
        [
          { usageType: 'Generic', content: 'generic' },
          { usageType: 'ForgotPassword', content: 'forgot' },
        ],
        'ForgotPassword'
      ).content
    ).toBe('forgot');
  });

  it.each([
    [[] as Template[], 'SignIn', undefined],
    [undefined, 'SignIn', undefined],
    [[{ usageType: 'Register', content: 'r' }], 'SignIn', 'en'],
    [[{ usageType: 'Generic', locale: 'fr', content: 'g' }], 'Generic', 'en'],
  ])('throws TemplateNotFound naming the type when nothing fits (%j, %s)', (list, type, locale) => {
    const error = catchError(() => selectTemplate(list, type, locale));
    expect(error.code).toBe(ConnectorErrorCodes.TemplateNotFound);
    expect(error.data).toMatchObject({ usageType: type });
    expect((error.data as { errorDescription: string }).errorDescription).toContain(`"${type}"`);
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.template_not_found',
      toast: 'Unable to find correct template in connector config.',
    });
  });
});

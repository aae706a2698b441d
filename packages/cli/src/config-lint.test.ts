import { z } from 'zod';

import { asSavedByConsole, cleanDeep, guardKeys, lintConfig } from './config-lint';

describe('cleanDeep (what Logto stores)', () => {
  it('drops empty strings, null, empty arrays and objects at every depth, and keeps false and 0', () => {
    expect(
      cleanDeep({
        a: '',
        b: null,
        c: [],
        d: {},
        e: false,
        f: 0,
        g: { h: '', i: { j: [] } },
        templates: [{ usageType: 'SignIn', content: '' }, {}, { usageType: 'Generic', content: 'x' }],
      })
    ).toEqual({ e: false, f: 0, templates: [{ usageType: 'SignIn' }, { usageType: 'Generic', content: 'x' }] });
  });

  it('the console edit page also drops top-level false and 0', () => {
    expect(asSavedByConsole({ disableRiskCheck: false, timeout: 0, nested: { flag: false }, name: 'x' })).toEqual({
      nested: { flag: false },
      name: 'x',
    });
  });
});

describe('guardKeys', () => {
  const shape = { apiKey: z.string(), templates: z.array(z.object({ usageType: z.string() })) };

  it.each([
    ['an object', z.object(shape)],
    ['a refined object', z.object(shape).superRefine(() => undefined)],
    ['a piped object', z.object(shape).pipe(z.object(shape))],
    ['an optional object', z.object(shape).optional()],
  ])('reads the keys of %s', (_name, guard) => {
    expect(guardKeys(guard)).toEqual(['apiKey', 'templates']);
  });

  it('gives up on anything else', () => {
    expect(guardKeys(z.record(z.string()))).toBeUndefined();
  });
});

describe('lintConfig', () => {
  const guard = z.object({
    apiKey: z.string(),
    templates: z.array(z.object({ usageType: z.string(), locale: z.string().optional() })),
  });

  it('is silent on a config with a Generic fallback and known keys and types', () => {
    expect(
      lintConfig(
        {
          apiKey: 'k',
          templates: [{ usageType: 'Generic' }, { usageType: 'SignIn', locale: 'fr' }, { usageType: 'SignIn' }],
        },
        guard,
        { valid: true }
      )
    ).toEqual([]);
  });

  it('accepts the legacy "Test" usage type as the Generic fallback', () => {
    expect(lintConfig({ apiKey: 'k', templates: [{ usageType: 'Test' }] }, guard, { valid: true })).toEqual([]);
  });

  it('warns about a localized-only Generic: the console test sends no locale', () => {
    expect(
      lintConfig({ apiKey: 'k', templates: [{ usageType: 'Generic', locale: 'en' }] }, guard, { valid: true })
    ).toEqual([
      {
        path: 'templates',
        message:
          'no "Generic" template without a locale: the console\'s Send button (type Generic, no locale) fails with template_not_found',
      },
      {
        path: 'templates',
        message:
          'no template for "SignIn", "Register", "ForgotPassword", "UserPermissionValidation", "BindNewIdentifier", "MfaVerification", "BindMfa" and no "Generic" fallback without a locale: those sends fail with template_not_found (HTTP 400)',
      },
      {
        path: 'templates',
        message:
          '"Generic" has templates for "en" only: every other language and every send without a locale (the console test) fails with template_not_found',
      },
    ]);
  });
});

import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

export type TemplateBase = { usageType: string; locale?: string };

/** `Test` is the usage type older Logto docs used for what is now `Generic`. */
const genericUsageTypes = new Set(['Generic', 'Test']);

/** The template that serves every type and locale without one of its own. */
export const isGenericFallback = (template: TemplateBase): boolean =>
  genericUsageTypes.has(template.usageType) && !template.locale;

/** `fr_CA`, ` FR-ca ` → `fr-ca`: how locales are compared. */
export const normalizeLocale = (locale: string): string => locale.trim().replace(/_/g, '-').toLowerCase();

/** The usage type a template serves: the legacy `Test` is `Generic`. */
export const canonicalUsageType = (usageType: string): string =>
  genericUsageTypes.has(usageType) ? 'Generic' : usageType;

/** What a template competes for: its usage type and locale, as selectTemplate compares them. */
export const templateSlot = ({ usageType, locale }: TemplateBase): string =>
  `${canonicalUsageType(usageType)}|${locale ? normalizeLocale(locale) : ''}`;

const matchesType = (template: TemplateBase, type: string) =>
  genericUsageTypes.has(type) ? genericUsageTypes.has(template.usageType) : template.usageType === type;

const pickByLocale = <Template extends TemplateBase>(
  candidates: Template[],
  locale: string | undefined
): Template | undefined => {
  if (locale) {
    const wanted = normalizeLocale(locale);
    const language = wanted.split('-')[0];
    const exact = candidates.find((template) => template.locale && normalizeLocale(template.locale) === wanted);
    if (exact) {
      return exact;
    }
    const sameLanguage = candidates.find(
      (template) => template.locale && normalizeLocale(template.locale) === language
    );
    if (sameLanguage) {
      return sameLanguage;
    }
  }
  return candidates.find((template) => !template.locale);
};

/**
 * One lookup order for every connector. For the requested type, then for `Generic` (or its legacy
 * alias `Test`): the exact locale (case-insensitive BCP-47), then its language (`fr-CA` → `fr`), then
 * the template without a locale.
 */
export const selectTemplate = <Template extends TemplateBase>(
  templates: readonly Template[] | undefined,
  type: string,
  locale?: string
): Template => {
  const list = templates ?? [];
  for (const usageType of genericUsageTypes.has(type) ? ['Generic'] : [type, 'Generic']) {
    const found = pickByLocale(
      list.filter((template) => matchesType(template, usageType)),
      locale
    );
    if (found) {
      return found;
    }
  }
  throw new ConnectorError(ConnectorErrorCodes.TemplateNotFound, {
    errorDescription: `No template for usage type "${type}"${locale ? ` (locale "${locale}")` : ''} and no "Generic" fallback without a locale: add one to "templates".`,
    usageType: type,
    ...(locale && { locale }),
  });
};

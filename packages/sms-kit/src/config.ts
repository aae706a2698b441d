import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { z, ZodError, type ZodTypeAny } from 'zod';

import { maximumTimeout } from './http';
import { isGenericFallback, templateSlot, type TemplateBase } from './template';
import { isRegionCode } from './phone';

/**
 * Config pieces every connector shares. The console strips `false`, `0` and `''` before saving, so
 * every optional field means "default" when absent.
 */
export const timeoutGuard = z.coerce
  .number({ invalid_type_error: 'timeout must be a number of milliseconds' })
  .int('timeout must be a whole number of milliseconds')
  .min(1, 'timeout must be at least 1 ms')
  .max(maximumTimeout, `timeout must be at most ${maximumTimeout} ms (a send blocks the user's sign-in)`)
  .optional();

export const defaultRegionGuard = z
  .string()
  .trim()
  .refine(isRegionCode, 'defaultRegion must be an ISO 3166 alpha-2 region code such as "US", "CN" or "GB"')
  .transform((region) => region.toUpperCase())
  .optional();

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `localhost`, `127.x.x.x` and `[::1]`: local sandboxes and test servers. */
export const isLoopbackHost = (hostname: string): boolean =>
  loopbackHosts.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);

/**
 * A base URL. Provider endpoints must be https; plain http is accepted for loopback hosts only
 * (the local sandbox, test servers), or everywhere with `allowHttp` (gateways on a private network).
 */
export const endpointGuard = ({ allowHttp = false } = {}) =>
  z
    .string()
    .trim()
    .url('endpoint must be an absolute URL such as https://api.example.com')
    .refine(
      (value) => {
        if (!URL.canParse(value)) {
          return true; // already reported by .url()
        }
        const { protocol, hostname } = new URL(value);
        return protocol === 'https:' || (protocol === 'http:' && (allowHttp || isLoopbackHost(hostname)));
      },
      allowHttp
        ? 'endpoint must be an http:// or https:// URL'
        : 'endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost)'
    )
    // A password in the URL would be shown wherever the URL is (errors, logs); the message never
    // repeats the value.
    .refine(
      (value) => !URL.canParse(value) || (new URL(value).username === '' && new URL(value).password === ''),
      'endpoint must not contain a user name or password (https://user:password@host): put credentials in the fields meant for them'
    );

/** The fields every template has; `locale` is a BCP-47 tag such as `fr` or `zh-CN`. */
export const templateBaseShape = {
  usageType: z.string().trim().min(1, 'usageType must name a template type such as "SignIn" or "Generic"'),
  locale: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'locale must be a language tag such as "en", "fr-CA" or "zh-CN"')
    .optional(),
};

export const genericFallbackMessage =
  'templates needs a "Generic" template without "locale": Logto uses it for the console test and for every usage type that has no template of its own';

/**
 * The `templates` array every connector has, with one rule for all of them:
 * - one template must be a `Generic` (or legacy `Test`) without a locale, or the console's Send
 *   button and every unconfigured type (MFA, account binding) would fail at send time; saying so when
 *   the config is saved is kinder. `allowEmpty` is for connectors where templates are optional (the
 *   HTTP connector sends no text without them);
 * - no two templates for the same usage type and locale (`Test` counting as `Generic`): only one could
 *   ever be used, and which one would be a guess.
 */
export const templatesGuard = <Template extends ZodTypeAny>(template: Template, { allowEmpty = false } = {}) =>
  (allowEmpty ? z.array(template) : z.array(template).min(1, 'templates needs at least a "Generic" template'))
    .refine(
      (templates) => templates.length === 0 || (templates as TemplateBase[]).some(isGenericFallback),
      genericFallbackMessage
    )
    .superRefine((templates, context) => {
      const firstOfSlot = new Map<string, number>();
      for (const [index, entry] of (templates as TemplateBase[]).entries()) {
        const slot = templateSlot(entry);
        const first = firstOfSlot.get(slot);
        if (first === undefined) {
          firstOfSlot.set(slot, index);
          continue;
        }
        context.addIssue({
          code: 'custom',
          path: [index],
          message: `templates has a second entry for usageType "${entry.usageType}"${entry.locale ? ` and locale "${entry.locale}"` : ''} (the same as templates.${first}): keep one, only one can ever be used`,
        });
      }
    });

/** Parses a config, reporting problems the way Logto prints them (one line per key path). */
export const parseConfig = <Guard extends ZodTypeAny>(guard: Guard, config: unknown): z.output<Guard> => {
  const result = (() => {
    try {
      return guard.safeParse(config);
    } catch (error: unknown) {
      // A refinement that throws on a value an earlier check already rejected must not become HTTP 500.
      const reason = error instanceof Error ? error.message : String(error);
      return {
        success: false as const,
        error: new ZodError([{ code: 'custom', path: [], message: `the config could not be read: ${reason}` }]),
      };
    }
  })();
  if (!result.success) {
    throw new ConnectorError(ConnectorErrorCodes.InvalidConfig, result.error);
  }
  return result.data as z.output<Guard>;
};

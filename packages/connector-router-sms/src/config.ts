import {
  countryCodeGuard,
  countryName,
  defaultRegionGuard,
  policyKeys,
  policyShape,
  providerConfigGuard,
  refinePolicy,
  type AnySmsProvider,
  type FullConfig,
  type PolicyConfig,
} from '@sms-suite/sms-kit';
import { z, type ZodRawShape, type ZodType } from 'zod';

import { routerProviderNames, routerProviders, type RouterProviderName } from './providers';

/** The whole send's deadline when the config sets none, and its bounds. */
export const defaultRouterTimeout = 20_000;
export const maximumRouterTimeout = 60_000;
/** No attempt starts with less than this left of the deadline: it could not finish, only send late. */
export const minimumAttemptMs = 1000;

/** The route of every country no other route names. */
export const anyCountry = '*';

/**
 * Keys a provider's own config may not set inside the router: the router reads the number once (to
 * choose the route) and applies the destination policy once per send, whichever provider sends.
 */
export const routerOnlyKeys = ['defaultRegion', ...policyKeys] as const;

const providerNameGuard = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/,
    'a provider name is 1 to 40 letters, digits, ".", "_" or "-", e.g. "aliyun-cn" or "twilio"'
  );

const providerEntryGuard = z
  .object(
    {
      use: z.enum(routerProviderNames as [RouterProviderName, ...RouterProviderName[]], {
        errorMap: () => ({ message: `use must be one of ${routerProviderNames.join(', ')}` }),
      }),
      config: z.record(z.unknown(), {
        invalid_type_error: "config must be the provider connector's own config, as a JSON object",
        required_error: "config is required: the provider connector's own config, as a JSON object",
      }),
    },
    { invalid_type_error: 'each provider must be { "use": "twilio", "config": { … } }' }
  )
  .strict('a provider has only "use" and "config"');

const routeGuard = z
  .object(
    {
      countries: z
        .array(z.union([z.literal(anyCountry), countryCodeGuard]), {
          invalid_type_error: 'countries must be a list such as ["CN"] or ["*"]',
          required_error: 'countries is required, e.g. ["CN"] (or ["*"] for every other country)',
        })
        .min(1, 'countries must name at least one country, or "*"'),
      providers: z
        .array(z.string(), {
          invalid_type_error: 'providers must be a list of names under "providers", tried in order',
          required_error: 'providers is required: the names under "providers" to try, in order',
        })
        .min(1, 'providers must name at least one provider'),
    },
    { invalid_type_error: 'each route must be { "countries": ["CN"], "providers": ["aliyun-cn", "twilio"] }' }
  )
  .strict('a route has only "countries" and "providers"');

const providersGuard = z.record(providerNameGuard, providerEntryGuard);
const routesGuard = z
  .array(routeGuard)
  .min(1, 'routes must have at least one route, e.g. { "countries": ["*"], "providers": ["twilio"] }');

/** The router's own settings: the deadline, the default region and the destination policy. */
const settingsShape = {
  timeout: z.coerce
    .number({ invalid_type_error: 'timeout must be a number of milliseconds' })
    .int('timeout must be a whole number of milliseconds')
    .min(minimumAttemptMs, `timeout must be at least ${minimumAttemptMs} ms (the time one attempt needs at least)`)
    .max(
      maximumRouterTimeout,
      `timeout must be at most ${maximumRouterTimeout} ms, for every attempt together (a send blocks the user's sign-in)`
    )
    .optional(),
  defaultRegion: defaultRegionGuard,
  ...policyShape,
};
const settingsGuard = z.object(settingsShape);

// Only shaped here, everything checked in the transform below: a mistake in one provider entry, one
// provider config, one route or one setting must not hide the others until the next save.
const routerShape = {
  providers: z.record(z.unknown(), {
    invalid_type_error:
      'providers must be an object of named providers: { "twilio": { "use": "twilio", "config": { … } } }',
    required_error: 'providers is required: { "twilio": { "use": "twilio", "config": { … } } }',
  }),
  routes: z.array(z.unknown(), {
    invalid_type_error: 'routes must be a list such as [{ "countries": ["*"], "providers": ["twilio"] }]',
    required_error: 'routes is required, e.g. [{ "countries": ["*"], "providers": ["twilio"] }]',
  }),
  ...(Object.fromEntries(Object.keys(settingsShape).map((key) => [key, z.unknown()])) as Record<
    keyof typeof settingsShape,
    z.ZodUnknown
  >),
};

export type Route = { countries: string[]; providers: string[] };

export type RoutedProvider = {
  /** The name under `providers` (`aliyun-cn`): what errors and results call it. */
  name: string;
  use: RouterProviderName;
  provider: AnySmsProvider;
  /** The provider's config, parsed by its own connector's guard. */
  config: FullConfig<ZodRawShape>;
};

export type RouterConfig = PolicyConfig & {
  providers: Record<string, RoutedProvider>;
  routes: Route[];
  /** The whole send's deadline, every attempt included. */
  timeout: number;
  defaultRegion?: string;
};

// Parsing a provider config builds nothing per send: one guard per provider, built on first use.
const guards = new Map<RouterProviderName, ZodType>();
const guardOf = (use: RouterProviderName): ZodType => {
  let guard = guards.get(use);
  if (!guard) {
    guard = providerConfigGuard(routerProviders[use] as AnySmsProvider) as ZodType;
    guards.set(use, guard);
  }
  return guard;
};

type Context = z.RefinementCtx;

const routerOnlyKeyMessage = (key: string) =>
  key === 'defaultRegion'
    ? 'set defaultRegion at the top level of the router config: the router reads the number once, to choose its route'
    : `set ${key} at the top level of the router config: the router applies the destination policy once per send, whichever provider sends`;

/** Every issue of a nested guard under `path`: its findings keep their full key path. */
const addIssues = (context: Context, path: Array<string | number>, issues: readonly z.ZodIssue[]) => {
  for (const issue of issues) {
    context.addIssue({ ...issue, path: [...path, ...issue.path] } as z.IssueData);
  }
};

/** Each provider's config, checked by its own connector's guard; issues keep their full key path. */
const parseProviders = (entries: z.output<typeof providersGuard>, context: Context): Record<string, RoutedProvider> => {
  const parsed: Record<string, RoutedProvider> = {};
  for (const [name, { use, config }] of Object.entries(entries)) {
    const path = ['providers', name, 'config'];
    for (const key of routerOnlyKeys) {
      if (config[key] !== undefined) {
        context.addIssue({ code: 'custom', path: [...path, key], message: routerOnlyKeyMessage(key) });
      }
    }
    const result = guardOf(use).safeParse(config);
    if (!result.success) {
      addIssues(context, path, result.error.issues);
      continue;
    }
    parsed[name] = {
      name,
      use,
      provider: routerProviders[use] as AnySmsProvider,
      config: result.data as FullConfig<ZodRawShape>,
    };
  }
  return parsed;
};

/** Every route names known providers, once each; `*` comes last; no country is routed twice. */
const checkRoutes = (routes: Route[], providerNames: string[], context: Context) => {
  const routedBy = new Map<string, number>();
  for (const [index, route] of routes.entries()) {
    for (const [position, name] of route.providers.entries()) {
      if (!providerNames.includes(name)) {
        context.addIssue({
          code: 'custom',
          path: ['routes', index, 'providers', position],
          message: `routes.${index} names "${name}", which is not under "providers" (${providerNames.join(', ') || 'none defined'})`,
        });
      } else if (route.providers.indexOf(name) !== position) {
        context.addIssue({
          code: 'custom',
          path: ['routes', index, 'providers', position],
          message: `routes.${index} names "${name}" twice: a provider is tried once per send`,
        });
      }
    }
    const wildcard = route.countries.includes(anyCountry);
    if (wildcard && route.countries.length > 1) {
      context.addIssue({
        code: 'custom',
        path: ['routes', index, 'countries'],
        message: `routes.${index} mixes "*" with countries: "*" already serves every country no earlier route names`,
      });
    }
    if (wildcard && index < routes.length - 1) {
      context.addIssue({
        code: 'custom',
        path: ['routes', index + 1],
        message: `routes.${index + 1} comes after the "*" route (routes.${index}), so it would never be used: move "*" last`,
      });
    }
    for (const country of route.countries) {
      const earlier = routedBy.get(country);
      if (earlier !== undefined && country !== anyCountry) {
        context.addIssue({
          code: 'custom',
          path: ['routes', index, 'countries'],
          message: `${countryName(country)} is already routed by routes.${earlier}, which comes first: keep it in one route`,
        });
      }
      routedBy.set(country, earlier ?? index);
    }
  }
};

/**
 * The router's whole config, validated up front: each provider's config with that connector's own
 * guard (`providers.twilio.config.authToken`), every route's provider names, the policy fields. A
 * mistake is reported when the config is saved or tested, never found in the middle of a send, and
 * never a reason to fail over.
 */
export const routerConfigGuard = z.object(routerShape).transform((config, context): RouterConfig => {
  const { providers: providerEntries, routes: routeEntries, ...rest } = config;
  const settings = settingsGuard.safeParse(rest);
  if (settings.success) {
    refinePolicy(settings.data, context);
  } else {
    addIssues(context, [], settings.error.issues);
  }
  // Each provider entry on its own, so that one bad entry does not hide another's config problems.
  const entries: z.output<typeof providersGuard> = {};
  for (const [name, entry] of Object.entries(providerEntries)) {
    const result = providersGuard.safeParse({ [name]: entry });
    if (result.success) {
      Object.assign(entries, result.data);
    } else {
      addIssues(context, ['providers'], result.error.issues);
    }
  }
  const providers = parseProviders(entries, context);
  const routes = routesGuard.safeParse(routeEntries);
  if (routes.success) {
    checkRoutes(routes.data, Object.keys(providerEntries), context);
  } else {
    addIssues(context, ['routes'], routes.error.issues);
  }
  if (!settings.success || !routes.success) {
    return z.NEVER;
  }
  return {
    ...settings.data,
    providers,
    routes: routes.data,
    timeout: settings.data.timeout ?? defaultRouterTimeout,
  };
});

/** Every config key the router itself reads. */
export const routerConfigKeys = Object.keys(routerShape);

/** Whether a provider's code templates leave out a side (`{ china }` only, `{ overseas }` only). */
const codeSidesOf = (routed: RoutedProvider | undefined): Set<'chinaOnly' | 'overseasOnly'> => {
  const sides = new Set<'chinaOnly' | 'overseasOnly'>();
  for (const template of routed?.config.templates ?? []) {
    const code: unknown = template.templateCode;
    if (code && typeof code === 'object') {
      const { china, overseas } = code as { china?: unknown; overseas?: unknown };
      if (china !== undefined && overseas === undefined) {
        sides.add('chinaOnly');
      }
      if (overseas !== undefined && china === undefined) {
        sides.add('overseasOnly');
      }
    }
  }
  return sides;
};

/** A finding on a valid config: the key path it is about, and what it means. */
export type RouterConfigWarning = { path: string; message: string };

/** Things worth saying of a valid config that is still probably not what the operator wants. */
export const routerConfigWarnings = (config: RouterConfig): RouterConfigWarning[] => {
  const warnings: RouterConfigWarning[] = [];
  if (!config.routes.some(({ countries }) => countries.includes(anyCountry))) {
    const routed = [...new Set(config.routes.flatMap(({ countries }) => countries))].join(', ');
    warnings.push({
      path: 'routes',
      message: `No route is "*": a number from a country no route names (only ${routed} are) is refused as invalid_request_parameters. Add { "countries": ["*"], "providers": [...] } last to serve every other country.`,
    });
  }
  for (const [index, route] of config.routes.entries()) {
    const servesMainland = route.countries.some((country) => country === 'CN' || country === anyCountry);
    const servesElsewhere = route.countries.some((country) => country !== 'CN');
    for (const name of route.providers) {
      const sides = codeSidesOf(config.providers[name]);
      if (servesElsewhere && sides.has('chinaOnly')) {
        warnings.push({
          path: `routes.${index}`,
          message: `sends numbers outside mainland China to providers.${name}, whose templates include one with a "china" code only: such a send stops there (not prepared, no failover). Add "overseas" codes, or keep ${name} in a CN route.`,
        });
      }
      if (servesMainland && sides.has('overseasOnly')) {
        warnings.push({
          path: `routes.${index}`,
          message: `sends mainland-China numbers to providers.${name}, whose templates include one with an "overseas" code only: such a send stops there (not prepared, no failover). Add "china" codes, or keep ${name} out of routes that serve CN.`,
        });
      }
    }
  }
  const used = new Set(config.routes.flatMap(({ providers }) => providers));
  for (const name of Object.keys(config.providers)) {
    if (!used.has(name)) {
      warnings.push({ path: `providers.${name}`, message: 'is in no route, so it never sends.' });
    }
  }
  return warnings;
};

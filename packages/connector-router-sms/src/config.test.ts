import { catalog, providerNames } from '@sms-suite/catalog';
import { policyKeys } from '@sms-suite/sms-kit';

import {
  defaultRouterTimeout,
  routerConfigGuard,
  routerConfigWarnings,
  routerOnlyKeys,
  type RouterConfig,
} from './config';
import { routerProviderNames, routerProviders } from './providers';

const issuesOf = (config: unknown) => {
  const result = routerConfigGuard.safeParse(config);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map(({ path, message }) => ({ path: path.join('.'), message }));
};

const official = (name: string) => catalog.find((row) => row.name === name)!.officialExample;

/** The issue's example, with the documented configs of the official connectors as each provider's config. */
const chinaAndWorld = () => ({
  providers: {
    'aliyun-cn': { use: 'aliyun', config: official('aliyun') },
    twilio: { use: 'twilio', config: official('twilio') },
    vonage: { use: 'vonage', config: official('vonage') },
  },
  routes: [
    { countries: ['CN'], providers: ['aliyun-cn', 'twilio'] },
    { countries: ['*'], providers: ['twilio', 'vonage'] },
  ],
  timeout: 20000,
});

describe('routerConfigGuard', () => {
  it('accepts every provider of the suite, each under its catalog name, with its own connector', () => {
    expect(routerProviderNames).toEqual(providerNames);
    for (const row of catalog) {
      expect(routerProviders[row.name]).toBe(row.provider);
    }
  });

  it("accepts the official connectors' documented configs unchanged as provider configs", () => {
    for (const row of catalog) {
      const result = routerConfigGuard.safeParse({
        providers: { main: { use: row.name, config: row.officialExample } },
        routes: [{ countries: ['*'], providers: ['main'] }],
      });
      expect(result.error?.issues).toBeUndefined();
    }
  });

  it('parses each provider config with its own guard, and defaults the deadline to 20 s', () => {
    const parsed = routerConfigGuard.parse({ ...chinaAndWorld(), timeout: undefined });
    expect(parsed.timeout).toBe(defaultRouterTimeout);
    expect(Object.keys(parsed.providers)).toEqual(['aliyun-cn', 'twilio', 'vonage']);
    expect(parsed.providers['aliyun-cn']).toMatchObject({
      name: 'aliyun-cn',
      use: 'aliyun',
      provider: routerProviders.aliyun,
    });
    expect(parsed.providers.twilio?.config).toMatchObject(official('twilio'));
    expect(parsed.routes).toEqual(chinaAndWorld().routes);
    expect(routerConfigWarnings(parsed)).toEqual([]);
  });

  it('reports a mistake inside a provider config with its full key path', () => {
    const config = chinaAndWorld();
    config.providers.twilio = { use: 'twilio', config: { ...official('twilio'), authToken: '' } };
    config.providers.vonage = { use: 'vonage', config: { ...official('vonage'), templates: [] } };
    expect(issuesOf(config).map(({ path }) => path)).toEqual([
      'providers.twilio.config.authToken',
      'providers.vonage.config.templates',
    ]);
  });

  it.each<[string, (config: ReturnType<typeof chinaAndWorld>) => unknown, { path: string; message: string }]>([
    [
      'an unknown use',
      (config) => ({ ...config, providers: { ...config.providers, twilio: { use: 'twillio', config: {} } } }),
      { path: 'providers.twilio.use', message: `use must be one of ${providerNames.join(', ')}` },
    ],
    [
      'a route naming a provider that is not defined',
      (config) => ({ ...config, routes: [{ countries: ['*'], providers: ['twilio', 'vonnage'] }] }),
      {
        path: 'routes.0.providers.1',
        message: 'routes.0 names "vonnage", which is not under "providers" (aliyun-cn, twilio, vonage)',
      },
    ],
    [
      'a provider named twice in one route',
      (config) => ({ ...config, routes: [{ countries: ['*'], providers: ['twilio', 'twilio'] }] }),
      { path: 'routes.0.providers.1', message: 'routes.0 names "twilio" twice: a provider is tried once per send' },
    ],
    [
      'a route after "*"',
      (config) => ({ ...config, routes: [...config.routes].reverse() }),
      {
        path: 'routes.1',
        message: 'routes.1 comes after the "*" route (routes.0), so it would never be used: move "*" last',
      },
    ],
    [
      'a country in two routes',
      (config) => ({ ...config, routes: [{ countries: ['CN'], providers: ['twilio'] }, ...config.routes] }),
      {
        path: 'routes.1.countries',
        message: 'China (CN) is already routed by routes.0, which comes first: keep it in one route',
      },
    ],
    [
      '"*" mixed with countries',
      (config) => ({ ...config, routes: [{ countries: ['US', '*'], providers: ['twilio'] }] }),
      {
        path: 'routes.0.countries',
        message: 'routes.0 mixes "*" with countries: "*" already serves every country no earlier route names',
      },
    ],
    [
      'a country code that is not one',
      (config) => ({ ...config, routes: [{ countries: ['China'], providers: ['twilio'] }] }),
      {
        path: 'routes.0.countries.0',
        message: 'each country must be an ISO 3166-1 alpha-2 code such as "US", "CN" or "GB"',
      },
    ],
    [
      'send limits inside a provider config',
      (config) => ({
        ...config,
        providers: {
          ...config.providers,
          twilio: {
            use: 'twilio',
            config: { ...official('twilio'), sendLimits: [{ by: 'ip', max: 5, windowSeconds: 60 }] },
          },
        },
      }),
      {
        path: 'providers.twilio.config.sendLimits',
        message:
          'set sendLimits at the top level of the router config: the router applies the destination policy once per send, whichever provider sends',
      },
    ],
    [
      'a default region inside a provider config',
      (config) => ({
        ...config,
        providers: {
          ...config.providers,
          twilio: { use: 'twilio', config: { ...official('twilio'), defaultRegion: 'US' } },
        },
      }),
      {
        path: 'providers.twilio.config.defaultRegion',
        message:
          'set defaultRegion at the top level of the router config: the router reads the number once, to choose its route',
      },
    ],
    [
      'a deadline over 60 s',
      (config) => ({ ...config, timeout: 90_000 }),
      {
        path: 'timeout',
        message: "timeout must be at most 60000 ms, for every attempt together (a send blocks the user's sign-in)",
      },
    ],
    [
      'a deadline under 1 s',
      (config) => ({ ...config, timeout: 500 }),
      { path: 'timeout', message: 'timeout must be at least 1000 ms (the time one attempt needs at least)' },
    ],
    [
      'a provider entry with more than use and config',
      (config) => ({
        ...config,
        providers: { ...config.providers, twilio: { use: 'twilio', config: official('twilio'), priority: 1 } },
      }),
      { path: 'providers.twilio', message: 'a provider has only "use" and "config"' },
    ],
    [
      'a policy mistake at the top level',
      (config) => ({ ...config, allowedCountries: ['CN'], blockedCountries: ['CN'] }),
      { path: 'blockedCountries.0', message: 'CN is in both allowedCountries and blockedCountries: keep it in one' },
    ],
  ])('refuses %s, saying where and why', (_name, change, issue) => {
    expect(issuesOf(change(chinaAndWorld()))).toContainEqual(issue);
  });

  it('reports every problem in one pass: a bad entry does not hide another config or a route', () => {
    const config = chinaAndWorld();
    const issues = issuesOf({
      ...config,
      providers: {
        ...config.providers,
        'aliyun-cn': { use: 'aliyn', config: official('aliyun') },
        twilio: { use: 'twilio', config: { ...official('twilio'), authToken: '' } },
      },
      routes: [{ countries: ['China'], providers: ['aliyun-cn'] }, ...config.routes],
      timeout: 90_000,
    });
    expect(issues.map(({ path }) => path)).toEqual([
      'timeout',
      'providers.aliyun-cn.use',
      'providers.twilio.config.authToken',
      'routes.0.countries.0',
    ]);
  });

  it('keeps the policy and the default region at the top level only', () => {
    expect(routerOnlyKeys).toEqual(['defaultRegion', ...policyKeys]);
    const parsed = routerConfigGuard.parse({
      ...chinaAndWorld(),
      defaultRegion: 'cn',
      allowedCountries: ['CN', 'US'],
      sendLimits: [{ by: 'ip', max: 5, windowSeconds: 3600 }],
    });
    expect(parsed).toMatchObject({
      defaultRegion: 'CN',
      allowedCountries: ['CN', 'US'],
      sendLimits: [{ by: 'ip', max: 5, windowSeconds: 3600 }],
    });
  });
});

describe('routerConfigWarnings', () => {
  it('warns when no route is "*" and when a provider is in no route', () => {
    const parsed: RouterConfig = routerConfigGuard.parse({
      ...chinaAndWorld(),
      routes: [{ countries: ['CN', 'HK'], providers: ['aliyun-cn'] }],
    });
    expect(routerConfigWarnings(parsed)).toEqual([
      {
        path: 'routes',
        message:
          'No route is "*": a number from a country no route names (only CN, HK are) is refused as invalid_request_parameters. Add { "countries": ["*"], "providers": [...] } last to serve every other country.',
      },
      { path: 'providers.twilio', message: 'is in no route, so it never sends.' },
      { path: 'providers.vonage', message: 'is in no route, so it never sends.' },
    ]);
  });
});

describe('routerConfigWarnings: template sides', () => {
  it('warns when a route sends numbers to a provider whose templates cannot serve their side', () => {
    const chinaOnly = {
      ...official('aliyun'),
      templates: [{ usageType: 'Generic', templateCode: { china: 'SMS_100000001' } }],
    };
    const parsed = routerConfigGuard.parse({
      ...chinaAndWorld(),
      providers: { ...chinaAndWorld().providers, 'aliyun-cn': { use: 'aliyun', config: chinaOnly } },
      routes: [
        { countries: ['CN'], providers: ['aliyun-cn'] },
        { countries: ['*'], providers: ['aliyun-cn', 'twilio', 'vonage'] },
      ],
    });
    expect(routerConfigWarnings(parsed)).toEqual([
      {
        path: 'routes.1',
        message:
          'sends numbers outside mainland China to providers.aliyun-cn, whose templates include one with a "china" code only: such a send stops there (not prepared, no failover). Add "overseas" codes, or keep aliyun-cn in a CN route.',
      },
    ]);
  });
});

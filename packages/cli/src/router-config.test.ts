import { routerEntry } from '@sms-suite/catalog';
import { routerConfigGuard } from '@sms-suite/connector-router-sms';
import type { ZodIssue } from 'zod';

import { describeRouterIssue, nestedLintWarnings, routerWarnings } from './router-config';

const twilioConfig = {
  accountSID: 'AC0123456789abcdef0123456789abcdef',
  authToken: 'token',
  fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
  templates: [{ usageType: 'Generic', content: 'Code {{code}}' }],
};

const issuesOf = (config: unknown): ZodIssue[] => {
  const result = routerConfigGuard.safeParse(config);
  expect(result.success).toBe(false);
  return result.error!.issues;
};

const describeAll = (config: unknown) =>
  issuesOf(config).flatMap((issue) => describeRouterIssue(issue, config, routerEntry.metadata.formItems));

describe('describeRouterIssue', () => {
  it("describes a nested issue with the provider's form, keeping the full path, templates by usage type", () => {
    const { authToken: _authToken, ...withoutToken } = twilioConfig;
    const config = {
      providers: {
        twilio: {
          use: 'twilio',
          config: { ...withoutToken, templates: [{ usageType: 'Generic', content: '' }] },
        },
      },
      routes: [{ countries: ['*'], providers: ['twilio'] }],
    };

    expect(describeAll(config)).toEqual(
      expect.arrayContaining([
        {
          path: 'providers.twilio.config.authToken',
          message: 'is required',
          hint: 'add "authToken" (Auth Token), e.g. "<auth-token>"',
        },
        expect.objectContaining({ path: 'providers.twilio.config.templates.0.content (Generic)' }),
      ])
    );
  });

  it('says to move a key only the router reads to its top level', () => {
    const config = {
      providers: { twilio: { use: 'twilio', config: { ...twilioConfig, allowedCountries: ['US'] } } },
      routes: [{ countries: ['*'], providers: ['twilio'] }],
    };

    expect(describeAll(config)).toEqual([
      {
        path: 'providers.twilio.config.allowedCountries',
        message:
          'set allowedCountries at the top level of the router config: the router applies the destination policy once per send, whichever provider sends',
        hint: 'move "allowedCountries" to the top level of the router config, next to "providers" and "routes"',
      },
    ]);
  });

  it('names the keys a provider entry and a route may have', () => {
    const config = {
      providers: { twilio: { use: 'twilio', config: twilioConfig, confg: {} } },
      routes: [{ countries: ['*'], providers: ['twilio'], provider: 'twilio' }],
    };

    expect(describeAll(config)).toEqual([
      {
        path: 'providers.twilio.confg',
        message: 'is not a key of a provider, which has only "use" and "config"',
        hint: 'rename it to "config"',
      },
      {
        path: 'routes.0.provider',
        message: 'is not a key of a route, which has only "countries" and "providers"',
        hint: 'rename it to "providers"',
      },
    ]);
  });
});

describe('nestedLintWarnings', () => {
  it("lints each provider config like a single connector's, its paths prefixed", () => {
    const config = {
      providers: {
        main: {
          use: 'twilio',
          config: { ...twilioConfig, accountSID: '<your-account-sid>', endpoint: 'http://127.0.0.1:4010/twilio' },
        },
        typo: { use: 'twillio', config: { authToken: 'x' } },
      },
    };

    expect(nestedLintWarnings(config)).toEqual([
      {
        path: 'providers.main.config.accountSID',
        message: 'still holds a placeholder from the documentation: put your own value here',
      },
      {
        path: 'providers.main.config.endpoint',
        message:
          'points at this machine (a sandbox or a local gateway): remove it, or use the real endpoint, before production',
      },
    ]);
  });
});

describe('routerWarnings', () => {
  it("puts each of the router's warnings under the key path it speaks of", () => {
    const parsed = routerConfigGuard.parse({
      providers: { twilio: { use: 'twilio', config: twilioConfig }, spare: { use: 'twilio', config: twilioConfig } },
      routes: [{ countries: ['US'], providers: ['twilio'] }],
    });

    expect(routerWarnings(parsed)).toEqual([
      {
        path: 'routes',
        message:
          'No route is "*": a number from a country no route names (only US are) is refused as invalid_request_parameters. Add { "countries": ["*"], "providers": [...] } last to serve every other country.',
      },
      { path: 'providers.spare', message: 'is in no route, so it never sends.' },
    ]);
    expect(routerWarnings({ accountSID: 'AC1' })).toEqual([]);
  });

  it('puts a warning about a route under that route', () => {
    const aliyun = {
      accessKeyId: 'LTAI1',
      accessKeySecret: 'secret',
      signName: 'Acme',
      templates: [{ usageType: 'Generic', templateCode: { china: 'SMS_1' } }],
    };
    const parsed = routerConfigGuard.parse({
      providers: { 'aliyun-cn': { use: 'aliyun', config: aliyun } },
      routes: [{ countries: ['*'], providers: ['aliyun-cn'] }],
    });

    expect(routerWarnings(parsed)).toEqual([
      expect.objectContaining({
        path: 'routes.0',
        message: expect.stringMatching(/^sends numbers outside mainland China to providers\.aliyun-cn, /),
      }),
    ]);
  });
});

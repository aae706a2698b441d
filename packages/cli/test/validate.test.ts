import { readFileSync } from 'node:fs';
import path from 'node:path';

import { sandboxCredentials, startSandbox } from '@sms-suite/sandbox';

import {
  assertBuilt,
  builtConnectors,
  examplesDir,
  inPool,
  lines,
  makeScratch,
  repoRoot,
  routerBuilt,
  runCli,
  stderrOf,
  type CliResult,
  type ConnectorName,
} from './support';

beforeAll(assertBuilt);

const scratch = makeScratch('validate');
afterAll(() => {
  scratch.remove();
});

/** What `validate` says of the examples' sendLimits (the starting point docs/destination-policy.md recommends). */
const recommendedPolicyLines = [
  'Destination policy:',
  '  countries: every country (no allowedCountries or blockedCountries)',
  '  send limits, counted in each Logto process, at most 100000 counters with the least recently used dropped first, or shared through Redis when Logto runs with REDIS_URL:',
  '    at most 5 SMS per 1 hour per visitor IP address',
  '    at most 2 destination countries per 24 hours per visitor IP address',
  '    at most 20 SMS per 1 hour per number range (the first 7 digits of the number with its country code)',
  '    at most 3 SMS per 10 minutes per phone number',
  '    at most 200 SMS per 1 hour per destination country',
  '    at most 1000 SMS per 1 hour through this connector in all',
  '  a send past a limit is refused before any request, with HTTP 429 rate_limit_exceeded naming the limit; only sends the provider accepted, or may have accepted, count',
  "  the console's Send button is never counted or refused by the send limits",
  '  when Logto\'s REDIS_URL is used and Redis cannot be reached: sends go on without limits (sendLimitsOnStoreError "allow", the default)',
];

const noSendLimitsWarning =
  "  ⚠ sendLimits: none set: nothing stops SMS pumping beyond Logto's 10 per number per 10 minutes; see docs/destination-policy.md";

/** The configs published in Logto's documentation for the official connectors, in the catalog. */
const officialExamples = path.join(repoRoot, 'packages/catalog/src/official-examples');

describe('validate the example configs', () => {
  let results: Map<string, CliResult>;

  beforeAll(async () => {
    const outputs = await inPool(builtConnectors, 3, async (name) =>
      runCli(['validate', '-c', name, '--config', path.join(examplesDir, `${name}.json`)])
    );
    results = new Map(builtConnectors.map((name, index) => [name, outputs[index]!]));
  });

  it.each(builtConnectors)(
    '%s: examples/%s.json is valid, with only the local-endpoint warning, and its recommended send limits in words',
    (name) => {
      const result = results.get(name)!;

      expect(result.code).toBe(0);
      expect(stderrOf(result)).toBe('');
      expect(lines(result.stdout)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Validating \\S+examples/${name}\\.json for .+ · id sms-suite-${name} · @sms-suite/connector-${name}-sms \\S+$`
          )
        ),
        '  ⚠ endpoint: points at this machine (a sandbox or a local gateway): remove it, or use the real endpoint, before production',
        '✔ valid, 1 warning',
        ...recommendedPolicyLines,
        '',
      ]);
    }
  );
});

describe('the example configs work with `sms-connector sandbox` on its default port as they are', () => {
  it.each(builtConnectors)('examples/%s.json holds the sandbox credentials and endpoint', async (name) => {
    const sandbox = await startSandbox();
    try {
      const config = JSON.parse(readFileSync(path.join(examplesDir, `${name}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(config).toMatchObject(sandboxCredentials[name]);
      expect(config.endpoint).toBe(sandbox.endpointFor(name).replace(sandbox.url, 'http://127.0.0.1:4010'));
    } finally {
      await sandbox.close();
    }
  });
});

const localEndpointWarning = (path: string) =>
  `  ⚠ ${path}: points at this machine (a sandbox or a local gateway): remove it, or use the real endpoint, before production`;

type RouterExample = {
  providers: Record<string, { use: ConnectorName; config: Record<string, unknown> }>;
  routes: Array<{ countries: string[]; providers: string[] }>;
  sendLimits?: unknown;
};
const routerExample = () => JSON.parse(readFileSync(path.join(examplesDir, 'router.json'), 'utf8')) as RouterExample;

describe('the router example (examples/router.json)', () => {
  it('is valid, each provider config with only its local-endpoint warning under its full key path, and the recommended send limits at its top level', async () => {
    if (!routerBuilt) {
      return;
    }
    const result = await runCli(['validate', '-c', 'router', '--config', path.join(examplesDir, 'router.json')]);

    expect(result.code).toBe(0);
    expect(stderrOf(result)).toBe('');
    expect(lines(result.stdout)).toEqual([
      expect.stringMatching(
        /^Validating \S+examples\/router\.json for SMS router \(SMS Suite\) · id sms-suite-router · @sms-suite\/connector-router-sms \S+$/
      ),
      localEndpointWarning('providers.aliyun-cn.config.endpoint'),
      localEndpointWarning('providers.twilio.config.endpoint'),
      localEndpointWarning('providers.vonage.config.endpoint'),
      '✔ valid, 3 warnings',
      ...recommendedPolicyLines,
      '',
    ]);
  });

  it('routes China to aliyun-cn then twilio, and the world to twilio then vonage, with the single examples as provider configs', async () => {
    const example = routerExample();
    expect(example.routes).toEqual([
      { countries: ['CN'], providers: ['aliyun-cn', 'twilio'] },
      { countries: ['*'], providers: ['twilio', 'vonage'] },
    ]);
    expect(Object.fromEntries(Object.entries(example.providers).map(([name, { use }]) => [name, use]))).toEqual({
      'aliyun-cn': 'aliyun',
      twilio: 'twilio',
      vonage: 'vonage',
    });
    // The same sandbox credentials, endpoints and templates as examples/<use>.json; the limits at the top level.
    const twilioExample = JSON.parse(readFileSync(path.join(examplesDir, 'twilio.json'), 'utf8')) as {
      sendLimits: unknown;
    };
    expect(example.sendLimits).toEqual(twilioExample.sendLimits);
    const sandbox = await startSandbox();
    try {
      for (const { use, config } of Object.values(example.providers)) {
        const { sendLimits: _sendLimits, ...single } = JSON.parse(
          readFileSync(path.join(examplesDir, `${use}.json`), 'utf8')
        ) as Record<string, unknown>;
        expect(config).toEqual(single);
        expect(config).toMatchObject(sandboxCredentials[use]);
        expect(config.endpoint).toBe(sandbox.endpointFor(use).replace(sandbox.url, 'http://127.0.0.1:4010'));
      }
    } finally {
      await sandbox.close();
    }
  });
});

describe('validate a router config', () => {
  const validateRouter = async (name: string, config: object) =>
    runCli(['validate', '-c', 'router', '--config', scratch.write(`router-${name}.json`, config)]);
  const secrets = {
    twilio: 'tok-SECRET-nested-twilio-0123',
    vonage: 'vonage-SECRET-nested-4567',
    unknownUse: 'tok-SECRET-nested-unknown-use-89',
  };

  it('names every mistake inside a provider config by its full key path, with the fix its own connector gives', async () => {
    if (!routerBuilt) {
      return;
    }
    const example = routerExample();
    const { authToken: _authToken, ...twilio } = example.providers.twilio!.config;
    const result = await validateRouter('nested-problems', {
      ...example,
      providers: {
        'aliyun-cn': { use: 'aliyun', config: { ...example.providers['aliyun-cn']!.config, accessKeySecret: '' } },
        twilio: {
          use: 'twilio',
          config: { ...twilio, authTokn: secrets.twilio, timeout: 'fast', defaultRegion: 'US' },
        },
        vonage: {
          use: 'vonage',
          config: {
            ...example.providers.vonage!.config,
            apiSecret: secrets.vonage,
            templates: [{ usageType: 'Signin', content: 'Code {{code}}' }],
            sendLimits: [{ by: 'ip', max: 5, windowSeconds: 3600 }],
          },
        },
      },
    });

    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    expect(output.filter((line) => line.startsWith('  ✖ '))).toEqual([
      '  ✖ providers.aliyun-cn.config.accessKeySecret: accessKeySecret is the AccessKey secret shown once when the AccessKey was created → fill in "accessKeySecret" ("AccessKey Secret" in the console form)',
      '  ✖ providers.twilio.config.defaultRegion: set defaultRegion at the top level of the router config: the router reads the number once, to choose its route → move "defaultRegion" to the top level of the router config, next to "providers" and "routes"',
      '  ✖ providers.twilio.config.authToken: is required → add "authToken" (Auth Token), e.g. "<auth-token>"',
      '  ✖ providers.twilio.config.timeout: timeout must be a number of milliseconds → write a number without quotes',
      '  ✖ providers.vonage.config.sendLimits: set sendLimits at the top level of the router config: the router applies the destination policy once per send, whichever provider sends → move "sendLimits" to the top level of the router config, next to "providers" and "routes"',
      expect.stringMatching(
        /^ {2}✖ providers\.vonage\.config\.templates: templates needs a "Generic" template without "locale"\S* .+ → \S.+$/
      ),
    ]);
    // The single connectors' lint, under each provider config's path.
    expect(output.filter((line) => line.startsWith('  ⚠ '))).toEqual([
      localEndpointWarning('providers.aliyun-cn.config.endpoint'),
      '  ⚠ providers.twilio.config.authTokn: is not a config key of this connector, so it is ignored: did you mean "authToken"?',
      localEndpointWarning('providers.twilio.config.endpoint'),
      '  ⚠ providers.vonage.config.templates.0.usageType (Signin): "Signin" is not a usage type Logto sends, so this template is never used: did you mean "SignIn"?',
      '  ⚠ providers.vonage.config.templates: no "Generic" template without a locale: the console\'s Send button (type Generic, no locale) fails with template_not_found',
      expect.stringMatching(
        /^ {2}⚠ providers\.vonage\.config\.templates: no template for "SignIn", .+ and no "Generic" fallback/
      ),
      localEndpointWarning('providers.vonage.config.endpoint'),
    ]);
    expect(output.at(-2)).toBe(
      '✖ invalid: 6 problems, 7 warnings. A send with this config fails with HTTP 400 connector.invalid_config.'
    );
    for (const secret of Object.values(secrets)) {
      expect(result.output).not.toContain(secret);
    }
  });

  it('names a mistake in a provider entry or a route with the keys it may have, and a misspelt use with the provider meant', async () => {
    if (!routerBuilt) {
      return;
    }
    const example = routerExample();
    const result = await validateRouter('entry-problems', {
      ...example,
      providers: {
        ...example.providers,
        vonage: { ...example.providers.vonage, priority: 1 },
        backup: { use: 'twillio', config: { authToken: secrets.unknownUse } },
      },
      routes: [example.routes[0], { ...example.routes[1], weight: 2 }],
    });

    expect(result.code).toBe(1);
    expect(lines(result.stdout).filter((line) => line.startsWith('  ✖ '))).toEqual([
      '  ✖ providers.vonage.priority: is not a key of a provider, which has only "use" and "config" → remove "priority"',
      '  ✖ providers.backup.use: use must be one of twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage → use "twilio"',
      '  ✖ routes.1.weight: is not a key of a route, which has only "countries" and "providers" → remove "weight"',
    ]);
    expect(result.output).not.toContain(secrets.unknownUse);
  });

  it('explains a route problem with the form\'s description of "routes"', async () => {
    if (!routerBuilt) {
      return;
    }
    const example = routerExample();
    const result = await validateRouter('route-problem', {
      ...example,
      routes: [{ countries: ['China'], providers: ['aliyun-cn'] }, example.routes[1]],
    });

    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toContain(
      '  ✖ routes.0.countries.0: each country must be an ISO 3166-1 alpha-2 code such as "US", "CN" or "GB" → Matched in order by the number\'s own country (+1 868 is TT): [{ "countries": ["CN"], "providers": ["aliyun-cn", "twilio"] }, { "countries": ["*"], "providers": ["twilio", "vonage"] }]. A route\'s providers are tried in order; the next one only when the previous certainly did not deliver.'
    );
  });

  it('warns, on a valid config, about the router\'s own findings: no "*" route, a provider in no route, and placeholders', async () => {
    if (!routerBuilt) {
      return;
    }
    const example = routerExample();
    const { sendLimits: _sendLimits, ...withoutLimits } = example;
    const result = await validateRouter('warnings', {
      ...withoutLimits,
      providers: {
        ...example.providers,
        twilio: { use: 'twilio', config: { ...example.providers.twilio!.config, accountSID: '<your-account-sid>' } },
      },
      routes: [{ countries: ['CN', 'HK'], providers: ['aliyun-cn'] }],
      retries: 2,
    });

    expect(result.code).toBe(0);
    expect(
      lines(result.stdout).filter((line) => line.startsWith('  ⚠ ') && !line.includes('points at this machine'))
    ).toEqual([
      '  ⚠ retries: is not a config key of this connector, so it is ignored (keys: providers, routes, timeout, defaultRegion, allowedCountries, blockedCountries, sendLimits, redisUrl, sendLimitsOnStoreError, sendLimitsMemoryKeys)',
      '  ⚠ providers.twilio.config.accountSID: still holds a placeholder from the documentation: put your own value here',
      '  ⚠ routes: No route is "*": a number from a country no route names (only CN, HK are) is refused as invalid_request_parameters. Add { "countries": ["*"], "providers": [...] } last to serve every other country.',
      '  ⚠ providers.twilio: is in no route, so it never sends.',
      '  ⚠ providers.vonage: is in no route, so it never sends.',
      noSendLimitsWarning,
    ]);
    expect(lines(result.stdout)).toContain('✔ valid, 9 warnings');
  });
});

describe("validate the official connectors' documented configs", () => {
  it.each(builtConnectors)(
    '%s accepts it unchanged, points at the placeholders left in it, and recommends sendLimits',
    async (name) => {
      const result = await runCli(['validate', '-c', name, '--config', path.join(officialExamples, `${name}.json`)]);

      expect(result.code).toBe(0);
      const output = lines(result.stdout);
      expect(output.at(-2)).toMatch(/^✔ valid, \d+ warnings?$/);
      // The official configs set no destination policy: no section, and the one warning that says so.
      expect(output).not.toContain('Destination policy:');
      expect(output.at(-3)).toBe(noSendLimitsWarning);
      const warnings = output.filter((line) => line.startsWith('  ⚠ ') && line !== noSendLimitsWarning);
      expect(warnings.length).toBeGreaterThan(0);
      for (const warning of warnings) {
        expect(warning).toMatch(
          /^ {2}⚠ [\w.]+: (still holds a placeholder from the documentation: put your own value here|(templates\.\d+\.\w+(, )?)+ still hold placeholders from the documentation: put your own values there)$/
        );
      }
    }
  );
});

describe('validate an invalid config', () => {
  const secretToken = 'Bearer tok-SECRET\n-0123456789';

  it('prints every problem on its own line with the key path and a fix, then the warnings, and exits 1', async () => {
    const config = scratch.write('bad-twilio.json', {
      accountSID: '',
      authTokn: 'value-of-a-mistyped-key',
      from: '+1 nope',
      timeout: 'fast',
      disableRiskCheck: 'yes',
      templates: [
        { usageType: 'Signin', content: 'Code {{code}}' },
        { usageType: 'SignIn', locale: 'fr', content: 'Code {{code}}' },
        { usageType: 'Register', content: '' },
        { usageType: 'Register', content: 'Code {{code}}' },
      ],
    });
    const result = await runCli(['validate', '-c', 'twilio', '--config', config]);

    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    const problems = output.filter((line) => line.startsWith('  ✖ '));
    expect(problems.map((line) => /^ {2}✖ (.+?): /.exec(line)?.[1]).sort()).toEqual(
      [
        'accountSID',
        'authToken',
        'disableRiskCheck',
        'from',
        'templates',
        'templates.2.content (Register)',
        'templates.3 (Register)',
        'timeout',
      ].sort()
    );
    for (const problem of problems) {
      expect(problem).toMatch(/^ {2}✖ \S.*: \S.* → \S.*$/);
    }
    expect(output).toContain('  ✖ authToken: is required → add "authToken" (Auth Token), e.g. "<auth-token>"');
    expect(output).toContain(
      '  ✖ disableRiskCheck: must be a boolean, not string → write true or false without quotes (or leave the key out for the default)'
    );
    expect(output.find((line) => line.startsWith('  ✖ accountSID: '))).toMatch(/→ fill in "accountSID"/);
    expect(output.find((line) => line.startsWith('  ✖ timeout: '))).toMatch(/→ write a number without quotes$/);
    // Two templates for one usage type and locale: refused by the config guard itself, as Logto would.
    expect(output.find((line) => line.startsWith('  ✖ templates.3 (Register): '))).toMatch(
      /^ {2}✖ templates\.3 \(Register\): templates has a second entry for usageType "Register" \(the same as templates\.2\): keep one, only one can ever be used → /
    );

    expect(output.filter((line) => line.startsWith('  ⚠ '))).toEqual([
      '  ⚠ authTokn: is not a config key of this connector, so it is ignored: did you mean "authToken"?',
      '  ⚠ templates.0.usageType (Signin): "Signin" is not a usage type Logto sends, so this template is never used: did you mean "SignIn"?',
      '  ⚠ templates: no "Generic" template without a locale: the console\'s Send button (type Generic, no locale) fails with template_not_found',
      '  ⚠ templates: no template for "ForgotPassword", "UserPermissionValidation", "BindNewIdentifier", "MfaVerification", "BindMfa" and no "Generic" fallback without a locale: those sends fail with template_not_found (HTTP 400)',
      '  ⚠ templates: "SignIn" has templates for "fr" only and there is no "Generic" fallback: other languages fail with template_not_found',
    ]);
    expect(output.at(-2)).toBe(
      '✖ invalid: 8 problems, 5 warnings. A send with this config fails with HTTP 400 connector.invalid_config.'
    );
  });

  it.each([
    [
      'tencent',
      {
        accessKeyId: 'AKIDx',
        accessKeySecret: 'k',
        sdkAppId: '1400000000',
        region: 'ap-guangzhuo',
        templates: [{ usageType: 'Generic', templateCode: '1' }],
      },
      'region',
      '→ use "ap-guangzhou"',
    ],
    ['http', { endpoint: 'ftp://gateway.example.com/sms' }, 'endpoint', '→'],
    ['http', { endpoint: 'https://gateway.example.com/sms', authorization: secretToken }, 'authorization', '→'],
  ])('%s: a bad %s is reported with its key path', async (name, config, key, hint) => {
    if (!builtConnectors.includes(name as never)) {
      return;
    }
    const result = await runCli(['validate', '-c', name, '--config', scratch.write(`${name}-${key}.json`, config)]);

    expect(result.code).toBe(1);
    const problem = lines(result.stdout).find((line) => line.startsWith(`  ✖ ${key}: `));
    expect(problem).toBeDefined();
    expect(problem).toContain(hint);
    expect(result.output).not.toContain('tok-SECRET');
  });
});

describe('validate: warnings that do not make a config invalid', () => {
  it('localized-only types, typos of usage types, and Generic fallbacks', async () => {
    if (!builtConnectors.includes('http')) {
      return;
    }
    const config = scratch.write('warn-http.json', {
      endpoint: 'https://gw.example.com/sms',
      templates: [
        { usageType: 'Generic', content: 'Code {{code}}' },
        { usageType: 'MfaVerification', locale: 'de', content: 'Code {{code}}' },
        { usageType: 'Tset', content: 'Code {{code}}' },
      ],
    });
    const result = await runCli(['validate', '-c', 'http', '--config', config]);

    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(1)).toEqual([
      '  ⚠ templates.2.usageType (Tset): "Tset" is not a usage type Logto sends, so this template is never used: did you mean "Test"?',
      '  ⚠ templates: "MfaVerification" has templates for "de" only: other languages, and sends without a locale, get the "Generic" text instead',
      noSendLimitsWarning,
      '✔ valid, 3 warnings',
      '',
    ]);
  });

  it('a config that validates as written but not once Logto saves it (empty values removed)', async () => {
    scratch.write('connector-lists/package.json', { name: 'connector-lists', version: '1.0.0', type: 'module' });
    scratch.write(
      'connector-lists/lib/index.js',
      `import { ConnectorType } from '@logto/connector-kit';
import { z } from 'zod';
export default async () => ({
  metadata: { id: 'acme-lists', target: 'lists', platform: null, name: { en: 'Lists' }, description: { en: 'x' }, logo: './logo.svg', logoDark: null, readme: './README.md' },
  type: ConnectorType.Sms,
  configGuard: z.object({ apiKey: z.string(), allowCountries: z.array(z.string()), strict: z.boolean() }),
  sendMessage: async () => ({}),
});
`
    );
    const config = scratch.write('lists.json', { apiKey: 'k-0123456789', allowCountries: [], strict: false });
    const result = await runCli(['validate', '-c', path.join(scratch.dir, 'connector-lists'), '--config', config]);

    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(1)).toEqual([
      '  ⚠ allowCountries: valid as written, but not once saved: Logto drops empty values (the console also false and 0) when it saves a config, and then: is required',
      '  ⚠ strict: valid as written, but not once saved: Logto drops empty values (the console also false and 0) when it saves a config, and then: is required',
      '✔ valid, 2 warnings',
      '',
    ]);
  });
});

describe('validate: the destination policy in words', () => {
  const twilioExample = () =>
    JSON.parse(readFileSync(path.join(examplesDir, 'twilio.json'), 'utf8')) as Record<string, unknown>;
  const redisPassword = 'redis-PASSWORD-0123';

  it('says which countries, which limits, where they are counted, and never prints the Redis password', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const config = scratch.write('policy-twilio.json', {
      ...twilioExample(),
      allowedCountries: ['US', 'ca', 'GB', 'CN'],
      blockedCountries: ['KP'],
      sendLimits: [
        { by: 'ip', max: 5, windowSeconds: 3600 },
        { by: 'ipCountries', max: 3, windowSeconds: 86400 },
        { by: 'country', max: 200, windowSeconds: 3600 },
        { by: 'prefix', digits: 7, max: 20, windowSeconds: 3600 },
        { by: 'recipient', max: 3, windowSeconds: 600 },
        { by: 'all', max: 1000, windowSeconds: 3600 },
      ],
      redisUrl: `redis://default:${redisPassword}@redis.internal:6379/0`,
      sendLimitsOnStoreError: 'allow',
      sendLimitsMemoryKeys: 100000,
    });
    const result = await runCli(['validate', '-c', 'twilio', '--config', config]);

    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(2)).toEqual([
      '✔ valid, 1 warning',
      'Destination policy:',
      "  countries: only United States (US), Canada (CA), United Kingdom (GB), China (CN); never North Korea (KP) — by the number's own country (+1 868 is Trinidad and Tobago, not the United States); a number whose country cannot be told is refused",
      '  send limits, shared through Redis at redis.internal:6379 by every Logto instance that uses it:',
      '    at most 5 SMS per 1 hour per visitor IP address',
      '    at most 3 destination countries per 24 hours per visitor IP address',
      '    at most 200 SMS per 1 hour per destination country',
      '    at most 20 SMS per 1 hour per number range (the first 7 digits of the number with its country code)',
      '    at most 3 SMS per 10 minutes per phone number',
      '    at most 1000 SMS per 1 hour through this connector in all',
      '  a send past a limit is refused before any request, with HTTP 429 rate_limit_exceeded naming the limit; only sends the provider accepted, or may have accepted, count',
      "  the console's Send button obeys the country lists, not the send limits",
      '  when Redis cannot be reached: sends go on without limits (sendLimitsOnStoreError "allow", the default)',
      '',
    ]);
    expect(result.output).not.toContain(redisPassword);
  });

  it('country lists without sendLimits: the countries, and the warning that nothing limits the sends', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const { sendLimits: _sendLimits, ...withoutLimits } = twilioExample();
    const config = scratch.write('policy-blocked-only.json', {
      ...withoutLimits,
      blockedCountries: ['KP', 'TT'],
      redisUrl: 'rediss://redis.example.net:6380',
      sendLimitsOnStoreError: 'refuse',
    });
    const result = await runCli(['validate', '-c', 'twilio', '--config', config]);

    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(1)).toEqual([
      '  ⚠ endpoint: points at this machine (a sandbox or a local gateway): remove it, or use the real endpoint, before production',
      noSendLimitsWarning,
      '✔ valid, 2 warnings',
      'Destination policy:',
      "  countries: every country; never North Korea (KP), Trinidad and Tobago (TT) — by the number's own country (+1 868 is Trinidad and Tobago, not the United States)",
      '  send limits: none',
      "  the console's Send button obeys the country lists, not the send limits",
      '',
    ]);
  });

  it('sendLimits with "refuse" and a TLS Redis', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const config = scratch.write('policy-refuse.json', {
      ...twilioExample(),
      sendLimits: [{ by: 'recipient', max: 1, windowSeconds: 90 }],
      redisUrl: 'rediss://redis.example.net:6380',
      sendLimitsOnStoreError: 'refuse',
    });
    const result = await runCli(['validate', '-c', 'twilio', '--config', config]);

    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(3)).toEqual([
      'Destination policy:',
      '  countries: every country (no allowedCountries or blockedCountries)',
      '  send limits, shared through Redis at redis.example.net:6380 over TLS by every Logto instance that uses it:',
      '    at most 1 SMS per 90 seconds per phone number',
      '  a send past a limit is refused before any request, with HTTP 429 rate_limit_exceeded naming the limit; only sends the provider accepted, or may have accepted, count',
      "  the console's Send button is never counted or refused by the send limits",
      '  when Redis cannot be reached: sends are refused (sendLimitsOnStoreError "refuse")',
      '',
    ]);
  });

  it('an invalid policy is a problem with its key path, and no policy section is printed', async () => {
    if (!builtConnectors.includes('twilio')) {
      return;
    }
    const config = scratch.write('policy-invalid.json', {
      ...twilioExample(),
      allowedCountries: ['US', 'XX'],
      sendLimits: [{ by: 'visitor', max: 5, windowSeconds: 3600 }],
    });
    const result = await runCli(['validate', '-c', 'twilio', '--config', config]);

    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    expect(output.filter((line) => line.startsWith('  ✖ ')).map((line) => /^ {2}✖ (.+?): /.exec(line)?.[1])).toEqual([
      'allowedCountries.1',
      'sendLimits.0.by',
    ]);
    expect(output).not.toContain('Destination policy:');
    expect(output).not.toContain(noSendLimitsWarning);
  });
});

describe('validate: usage', () => {
  it.each([
    [['-c', 'twilio'], 2, 'error: missing --config (e.g. --config twilio.json)'],
    [
      ['-c', 'nope', '--config', 'x.json'],
      2,
      'error: unknown connector "nope": use one of twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage, router, or the path of a connector package directory',
    ],
    [['-c', 'twilio', '--config', 'missing.json'], 1, 'error: config file not found: missing.json'],
  ])('%j exits %i', async (args, code, message) => {
    const result = await runCli(['validate', ...args]);

    expect(result.code).toBe(code);
    expect(lines(stderrOf(result))[0]).toBe(message);
  });
});

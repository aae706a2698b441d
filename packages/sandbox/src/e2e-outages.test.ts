/**
 * The real connectors (from source, as `@sms-suite/connector-*-sms` resolve in this repository)
 * against a sandbox where one provider is in an outage: the ConnectorError each mode produces for
 * each connector, how many requests the provider received, and that the other providers keep
 * working in the same sandbox — what a failover connector is tested against.
 */
import { TemplateType, type CreateConnector, type SmsConnector } from '@logto/connector-kit';
import aliyun from '@sms-suite/connector-aliyun-sms';
import gatewayapi from '@sms-suite/connector-gatewayapi-sms';
import http from '@sms-suite/connector-http-sms';
import smsaero from '@sms-suite/connector-smsaero-sms';
import tencent from '@sms-suite/connector-tencent-sms';
import twilio from '@sms-suite/connector-twilio-sms';
import vonage from '@sms-suite/connector-vonage-sms';
import { logtoResponseFor } from '@sms-suite/sms-kit';

import { connectorCases } from './connector-cases';
import type { OutageMode } from './outages';
import { startSandbox } from './server';
import { sandboxProviders, type Sandbox, type SandboxProvider } from './types';

const factories: Record<SandboxProvider, CreateConnector<SmsConnector>> = {
  twilio,
  aliyun,
  tencent,
  http,
  smsaero,
  gatewayapi,
  vonage,
};

/** The timeout given to the connectors in these tests, so that no-reply ends quickly. */
const timeout = 300;

const connectors = {} as Record<SandboxProvider, SmsConnector>;
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
  for (const provider of sandboxProviders) {
    // The console's Send button: the config comes as the second argument, getConfig is never used.
    connectors[provider] = await factories[provider]({
      getConfig: async () => {
        throw new Error('getConfig is not used by these tests');
      },
    });
  }
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  sandbox.clearOutage();
  sandbox.resetRequestCounts();
  await fetch(`${sandbox.url}/inbox`, { method: 'DELETE' });
});

const configFor = (provider: SandboxProvider): Record<string, unknown> => {
  const testCase = connectorCases.find((candidate) => candidate.provider === provider);
  if (!testCase) {
    throw new Error(`no connector case for ${provider}`);
  }
  return { ...testCase.config(sandbox), timeout };
};

/** The console test message through `provider`'s connector: what it resolved with, or what it threw. */
const send = async (provider: SandboxProvider): Promise<{ sent: unknown } | { error: unknown }> =>
  connectors[provider]
    .sendMessage({ to: '16502530000', type: TemplateType.Generic, payload: { code: '000000' } }, configFor(provider))
    .then(
      (sent: unknown) => ({ sent }),
      (error: unknown) => ({ error })
    );

/**
 * What a ConnectorError carries besides its code: `data` for described errors, the issue's `params`
 * for config and input errors (which Logto shows as a ZodError).
 */
const detailsOf = (error: unknown): Record<string, unknown> => {
  const data = (error as { data?: unknown }).data;
  const issues = (data as { issues?: Array<{ params?: Record<string, unknown> }> } | undefined)?.issues;
  return issues ? (issues[0]?.params ?? {}) : ((data ?? {}) as Record<string, unknown>);
};

const countsWith = (counts: Partial<Record<SandboxProvider, number>>) => ({
  ...Object.fromEntries(sandboxProviders.map((provider) => [provider, 0])),
  ...counts,
});

type Expectation = { code: string; details?: Record<string, unknown> };

/** What a connector reports in each mode: the same for every connector. */
const expectations: Record<Exclude<OutageMode, 'fraud-block'>, Expectation> = {
  'refuse-credentials': { code: 'invalid_config' },
  'rate-limited': { code: 'rate_limit_exceeded' },
  unavailable: { code: 'general', details: { httpStatus: 503 } },
  'server-error': { code: 'general', details: { httpStatus: 500 } },
  'no-reply': { code: 'general', details: { delivery: 'unknown' } },
  reset: { code: 'general', details: { delivery: 'unknown' } },
};

const modes = Object.keys(expectations) as Array<keyof typeof expectations>;

describe.each(sandboxProviders.map((provider) => [provider]))('%s connector in an outage', (provider) => {
  it.each(modes.map((mode) => [mode, expectations[mode].code]))(
    '%s → %s, after exactly one request to the provider',
    async (mode) => {
      sandbox.setOutage(provider, mode);
      const { code, details = {} } = expectations[mode];

      const started = Date.now();
      const outcome = await send(provider);

      expect(outcome).toHaveProperty('error');
      const { error } = outcome as { error: unknown };
      expect(logtoResponseFor(error).code).toBe(`connector.${code}`);
      expect(detailsOf(error)).toMatchObject({ ...details, provider: expect.any(String) });
      if (mode === 'no-reply') {
        expect(Date.now() - started).toBeGreaterThanOrEqual(timeout - 20);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(logtoResponseFor(error).toast).toContain(`${timeout} ms`);
      }
      expect(sandbox.requestCounts()).toEqual(countsWith({ [provider]: 1 }));
      expect(sandbox.inbox).toEqual([]);
    }
  );

  it('works again once the outage is cleared', async () => {
    sandbox.setOutage(provider, 'unavailable');
    expect(await send(provider)).toHaveProperty('error');
    sandbox.clearOutage(provider);
    expect(await send(provider)).toHaveProperty('sent');
    expect(sandbox.inbox.map((entry) => entry.provider)).toEqual([provider]);
    expect(sandbox.requestCounts()).toEqual(countsWith({ [provider]: 2 }));
  });
});

describe('Twilio fraud-block', () => {
  // The Twilio connector's reading of 30450 may change (a row in its error table); whatever it
  // becomes, the send fails and says which Twilio code failed it.
  it('fails the send with providerCode 30450, after one request, with nothing in the inbox', async () => {
    sandbox.setOutage('twilio', 'fraud-block');
    const outcome = await send('twilio');

    expect(outcome).toHaveProperty('error');
    const { error } = outcome as { error: unknown };
    expect(logtoResponseFor(error).code).toMatch(/^connector\./);
    expect(detailsOf(error)).toMatchObject({ providerCode: 30450, httpStatus: 201 });
    expect(logtoResponseFor(error).toast).toContain('Message delivery blocked');
    expect(sandbox.requestCounts()).toEqual(countsWith({ twilio: 1 }));
    expect(sandbox.inbox).toEqual([]);
  });
});

describe('one provider down, the others up', () => {
  it.each(sandboxProviders.map((provider) => [provider]))(
    'with %s refusing credentials, every other connector sends through the same sandbox',
    async (down) => {
      sandbox.setOutage(down, 'refuse-credentials');
      for (const provider of sandboxProviders) {
        const outcome = await send(provider);
        expect([provider, Object.keys(outcome)]).toEqual([provider, [provider === down ? 'error' : 'sent']]);
      }
      expect(sandbox.inbox.map((entry) => entry.provider).sort()).toEqual(
        sandboxProviders.filter((provider) => provider !== down).sort()
      );
      expect(sandbox.requestCounts()).toEqual(countsWith(Object.fromEntries(sandboxProviders.map((p) => [p, 1]))));
    }
  );

  it('a send that tries providers in order lands on the first one not in an outage', async () => {
    sandbox.setOutage('twilio', 'reset');
    sandbox.setOutage('vonage', 'rate-limited');
    const order: SandboxProvider[] = ['twilio', 'vonage', 'gatewayapi', 'aliyun'];
    const failures: string[] = [];
    let deliveredBy: SandboxProvider | undefined;
    for (const provider of order) {
      const outcome = await send(provider);
      if ('sent' in outcome) {
        deliveredBy = provider;
        break;
      }
      failures.push(`${provider}: ${logtoResponseFor(outcome.error).code}`);
    }

    expect(deliveredBy).toBe('gatewayapi');
    expect(failures).toEqual(['twilio: connector.general', 'vonage: connector.rate_limit_exceeded']);
    expect(sandbox.requestCounts()).toEqual(countsWith({ twilio: 1, vonage: 1, gatewayapi: 1 }));
    expect(sandbox.inbox.map((entry) => entry.provider)).toEqual(['gatewayapi']);
  });
});

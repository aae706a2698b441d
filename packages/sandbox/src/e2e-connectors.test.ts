/**
 * The built connectors (`lib/index.js`, loaded the way Logto loads them) against the sandbox: the
 * console's Send button (config as second argument, `Generic`, code 000000) lands in the inbox, and
 * every magic failure reaches the admin as the error Logto would show.
 *
 * A connector whose package does not exist yet is skipped (named in the test title); one that exists
 * but is not built fails with "run `npx --yes pnpm@10 build` first".
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { TemplateType, type SmsConnector } from '@logto/connector-kit';
import { logtoResponseFor } from '@sms-suite/sms-kit';

import { connectorCases as cases, connectorSecretKeys as secretKeys } from './connector-cases';
import { magicNumbers, type MagicOutcome } from './magic';
import { startSandbox } from './server';
import type { Sandbox, SandboxProvider } from './types';

const packagesDirectory = new URL('../../', import.meta.url);

const exists = (directory: string) => existsSync(new URL(`${directory}/src/index.ts`, packagesDirectory));

const loadConnector = async (directory: string): Promise<SmsConnector> => {
  const lib = new URL(`${directory}/lib/index.js`, packagesDirectory);
  if (!existsSync(lib)) {
    throw new Error(`${directory}/lib/index.js is missing: run \`npx --yes pnpm@10 build\` first`);
  }
  const { default: createConnector } = (await import(pathToFileURL(lib.pathname).href)) as {
    default: (options: { getConfig: () => Promise<unknown> }) => Promise<SmsConnector>;
  };
  // The console's Send button: getConfig is never used, the config comes as the second argument.
  return createConnector({
    getConfig: async () => {
      throw new Error('getConfig is not used by the console test');
    },
  });
};

/** The error code Logto would answer for each magic outcome, per connector (providers.md §0.2). */
const expectedCodes: Record<Exclude<MagicOutcome, 'no-reply'>, string> = {
  'rate-limited': 'rate_limit_exceeded',
  'invalid-number': 'invalid_request_parameters',
  unapproved: 'invalid_config',
  'insufficient-balance': 'usage_limit_exceeded',
  'server-error': 'general',
  'non-json': 'invalid_response',
};

/** Where a connector deliberately differs from the table above, and why. */
const exceptions: Partial<Record<SandboxProvider, Partial<Record<MagicOutcome, string>>>> = {
  // The HTTP connector's contract: any 2xx means sent, whatever the body.
  http: { 'non-json': 'sent' },
  // Twilio has no balance code on the create response: a suspended account answers 20005 "Account not
  // active", which the Twilio connector reports as general (its description says so).
  twilio: { 'insufficient-balance': 'general' },
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await fetch(`${sandbox.url}/inbox`, { method: 'DELETE' });
});

const send = async (connector: SmsConnector, config: Record<string, unknown>, to: string) =>
  connector.sendMessage({ to, type: TemplateType.Generic, payload: { code: '000000' } }, config);

describe.each(cases.map((testCase) => [testCase.provider, testCase]))(
  '%s connector against the sandbox',
  (provider, testCase) => {
    const available = exists(testCase.directory);
    const test = available ? it : it.skip;
    const suffix = available ? '' : ` (skipped: packages/${testCase.directory} does not exist yet)`;

    test(`the console test message lands in the inbox${suffix}`, async () => {
      const connector = await loadConnector(testCase.directory);
      const result = (await send(connector, testCase.config(sandbox), '16502530000')) as
        { messageId?: string } | undefined;

      const inbox = sandbox.inbox;
      expect(inbox).toEqual([
        { id: expect.any(String), provider, receivedAt: expect.any(String), ...testCase.entry, raw: expect.anything() },
      ]);
      expect(result?.messageId).toBe(inbox[0]?.id);
    });

    test(`wrong credentials come back as invalid_config${suffix}`, async () => {
      const connector = await loadConnector(testCase.directory);
      const config = testCase.config(sandbox);
      const error: unknown = await send(
        connector,
        { ...config, [secretKeys[provider]]: 'Bearer wrong-secret-value-1234' },
        '16502530000'
      ).catch((caught: unknown) => caught);
      expect(logtoResponseFor(error)).toMatchObject({ status: 400, code: 'connector.invalid_config' });
      expect(JSON.stringify(logtoResponseFor(error))).not.toContain('wrong-secret-value-1234');
      expect(sandbox.inbox).toEqual([]);
    });

    const failures = magicNumbers.filter(({ outcome }) => outcome !== 'no-reply');
    test.each(failures.map((magic) => [magic.number, magic.outcome]))(
      `magic number %s (%s) reaches the admin as the right error${suffix}`,
      async (number, outcome) => {
        const connector = await loadConnector(testCase.directory);
        const expected = exceptions[provider]?.[outcome] ?? expectedCodes[outcome as Exclude<MagicOutcome, 'no-reply'>];
        if (expected === 'sent') {
          await expect(send(connector, testCase.config(sandbox), number.slice(1))).resolves.toEqual({});
          expect(sandbox.inbox).toEqual([]);
          return;
        }
        const error: unknown = await send(connector, testCase.config(sandbox), number.slice(1)).then(
          () => new Error('the send resolved'),
          (caught: unknown) => caught
        );
        const response = logtoResponseFor(error);
        expect(response.code).toBe(`connector.${expected}`);
        expect(response.status).toBe(
          expected === 'rate_limit_exceeded' || expected === 'usage_limit_exceeded' ? 429 : 400
        );
        expect(sandbox.inbox).toEqual([]);
      }
    );

    test.each(magicNumbers.filter(({ outcome }) => outcome === 'no-reply').map(({ number }) => [number]))(
      `magic number %s (no reply) ends in the connector's timeout as general${suffix}`,
      async (number) => {
        const connector = await loadConnector(testCase.directory);
        const started = Date.now();
        const error: unknown = await send(
          connector,
          { ...testCase.config(sandbox), timeout: 100 },
          number.slice(1)
        ).catch((caught: unknown) => caught);
        expect(Date.now() - started).toBeLessThan(5000);
        const response = logtoResponseFor(error);
        expect(response.code).toBe('connector.general');
        expect(response.toast).toContain('100 ms');
      }
    );
  }
);

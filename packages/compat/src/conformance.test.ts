/**
 * What every connector of the catalog must do, whatever its provider: run from source for each
 * catalog row, so a new row is covered with no change here and each connector's own tests hold only
 * its provider's facts (the exact request, the code table). Sends go to real servers on 127.0.0.1:
 * the sandbox (which checks credentials and signatures like the provider) and small servers that
 * echo, stall or answer HTML.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import {
  ConnectorError,
  ConnectorErrorCodes,
  ConnectorType,
  connectorMetadataGuard,
  type SendMessageData,
  type SmsConnector,
} from '@logto/connector-kit';
import { catalog, officialConnectorIds, routerEntry, type CatalogEntry, type ProviderName } from '@sms-suite/catalog';
import { startSandbox, type InboxEntry, type Sandbox } from '@sms-suite/sandbox';
import { providerSecrets, sharedConfigKeys, templateTypes, wireFormsOf } from '@sms-suite/sms-kit';
import { ZodError } from 'zod';

import { repositoryRoot } from './harness';

const rows = catalog.map((row): [ProviderName, CatalogEntry] => [row.name, row]);

/** What Logto passes as getConfig when the console tests a connector: calling it throws. */
const notImplemented = async (): Promise<never> => {
  throw new ConnectorError(ConnectorErrorCodes.NotImplemented);
};

const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => new Error(`the send resolved with ${JSON.stringify(value)}`),
    (error: unknown) => error
  );

const expectConnectorError = (error: unknown, code: ConnectorErrorCodes): ConnectorError => {
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).code).toBe(code);
  return error as ConnectorError;
};

/** Two templates, so that the Generic fallback is visible: one for SignIn, one Generic for the rest. */
const templatesFor = ({ provider }: CatalogEntry) =>
  provider.templates.kind === 'code'
    ? [
        { usageType: 'SignIn', templateCode: '1000001' },
        { usageType: 'Generic', templateCode: '1000002' },
      ]
    : [
        { usageType: 'SignIn', content: 'SignIn {{code}}' },
        { usageType: 'Generic', content: 'Generic {{code}}' },
      ];

/** `<ExampleCo>` → `ExampleCo`: what an admin does to the documentation's placeholders. */
const filledIn = (example: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(
    Object.entries(example).map(([key, value]) => [
      key,
      typeof value === 'string' ? value.replace(/^<(.+)>$/, '$1') : value,
    ])
  );

/** The official example config, filled in, pointed at `endpoint` with the sandbox's credentials and our two templates. */
const configFor = (row: CatalogEntry, endpoint: string): Record<string, unknown> => ({
  ...filledIn(row.officialExample),
  ...row.sandboxCredentials,
  endpoint,
  templates: templatesFor(row),
});

const message = (type: string, to = '16502530000'): SendMessageData =>
  ({ to, type, payload: { code: '123456', locale: 'en' } }) as SendMessageData;

/** What the inbox shows of the template used: its rendered text, or its code. */
const templateShown = (row: CatalogEntry, entry: InboxEntry | undefined) =>
  row.provider.templates.kind === 'code' ? entry?.templateCode : entry?.text;

type Recorded = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

/** A server on 127.0.0.1 that records each request and answers with `answer` (or never, with `stall`). */
const startServer = async (answer: 'echo' | 'stall' | 'html') => {
  const requests: Recorded[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      if (answer === 'echo') {
        // A provider that quotes the whole request back in its refusal: credentials, signature, body.
        // The credentials first: a connector shows an excerpt of an unreadable reply.
        const { authorization, ...headers } = request.headers;
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end(JSON.stringify({ authorization, body: recorded.body, url: recorded.url, headers }));
      } else if (answer === 'html') {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html><body>Bad gateway</body></html>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

it('the catalog lists every connector package of the repository, each once (the router apart)', () => {
  const folders = readdirSync(path.join(repositoryRoot, 'packages')).filter((folder) =>
    /^connector-.+-sms$/.test(folder)
  );
  expect([...catalog.map(({ name }) => `connector-${name}-sms`), `connector-${routerEntry.name}-sms`].sort()).toEqual(
    folders.sort()
  );
  const ids = [...catalog.map(({ metadata }) => metadata.id), routerEntry.metadata.id];
  expect(new Set(ids).size).toBe(ids.length);
  expect(officialConnectorIds.has(routerEntry.metadata.id)).toBe(false);
});

describe.each(rows)('%s', (name, row) => {
  const connector = async (getConfig: (id: string) => Promise<unknown> = notImplemented) =>
    row.createConnector({ getConfig }) as Promise<SmsConnector>;

  describe('package and metadata', () => {
    it('is the package the catalog names, with valid metadata and an id of its own', async () => {
      const manifest = JSON.parse(
        readFileSync(path.join(repositoryRoot, 'packages', `connector-${name}-sms`, 'package.json'), 'utf8')
      ) as { name: string };
      expect(manifest.name).toBe(row.packageName);

      const created = await connector();
      expect(created.type).toBe(ConnectorType.Sms);
      expect(created.metadata).toBe(row.metadata);
      expect(connectorMetadataGuard.safeParse(created.metadata).success).toBe(true);
      expect(created.metadata.id).toMatch(/^sms-suite-/);
      expect(officialConnectorIds.has(created.metadata.id)).toBe(false);
    });

    it('leaves the shared fields to the kit, and its form shows each field once, confidential where secret', () => {
      const ownKeys = Object.keys(row.provider.fields);
      for (const key of sharedConfigKeys) {
        expect(ownKeys).not.toContain(key);
      }
      const formKeys = (row.metadata.formItems ?? []).map(({ key }) => key);
      expect(new Set(formKeys).size).toBe(formKeys.length);
      expect([...formKeys].sort()).toEqual(
        [...ownKeys.filter((key) => formKeys.includes(key)), ...sharedConfigKeys].sort()
      );
      for (const item of row.metadata.formItems ?? []) {
        expect([...ownKeys, ...sharedConfigKeys]).toContain(item.key);
        if (item.isConfidential) {
          // redisUrl (shared, may hold a password) is a secret of every connector.
          expect([...row.provider.secretKeys, 'redisUrl']).toContain(item.key);
        }
      }
      for (const key of row.provider.secretKeys) {
        expect(ownKeys).toContain(key);
      }
    });

    it("accepts the official connector's documented config unchanged", async () => {
      const { configGuard } = await connector();
      const result = configGuard.safeParse(row.officialExample);
      expect(result.error?.issues).toBeUndefined();
      expect(result.data).toEqual(row.officialExample);
    });
  });

  describe('against the sandbox', () => {
    beforeEach(async () => {
      await fetch(`${sandbox.url}/inbox`, { method: 'DELETE' });
    });

    it('serves all nine template types: SignIn with its own template, every other type with Generic', async () => {
      const created = await connector();
      const config = configFor(row, sandbox.endpointFor(name));
      for (const type of templateTypes) {
        await created.sendMessage(message(type), config);
      }
      const expected = templatesFor(row).map((template) =>
        'content' in template ? template.content.replace('{{code}}', '123456') : template.templateCode
      );
      expect(sandbox.inbox.map((entry) => templateShown(row, entry))).toEqual(
        templateTypes.map((type) => (type === 'SignIn' ? expected[0] : expected[1]))
      );
    });

    it("the console's Send: the unsaved config as second argument, getConfig never called", async () => {
      const ids: string[] = [];
      const created = await connector(async (id) => {
        ids.push(id);
        return notImplemented();
      });
      await created.sendMessage(message('Generic'), configFor(row, sandbox.endpointFor(name)));
      expect(ids).toEqual([]);
      expect(sandbox.inbox).toHaveLength(1);
    });

    it('a sign-in: the stored config read with its own id', async () => {
      const ids: string[] = [];
      const created = await connector(async (id) => {
        ids.push(id);
        return configFor(row, sandbox.endpointFor(name));
      });
      await created.sendMessage(message('SignIn'));
      expect(ids).toEqual([row.metadata.id]);
      expect(templateShown(row, sandbox.inbox[0])).toBe(
        row.provider.templates.kind === 'code' ? '1000001' : 'SignIn 123456'
      );
    });
  });

  describe('destination policy', () => {
    // A number of its own per connector: counts are per connector id, but keep the rows apart anyway.
    const recipient = `1650253${String(1000 + rows.findIndex(([rowName]) => rowName === name)).padStart(4, '0')}`;

    it('refuses a country outside allowedCountries before any request, the console test included', async () => {
      const server = await startServer('echo');
      try {
        const created = await connector();
        const config = { ...configFor(row, server.url), allowedCountries: ['CA', 'GB'] };
        const error = expectConnectorError(
          await rejectionOf(created.sendMessage(message('SignIn', recipient), config)),
          ConnectorErrorCodes.InvalidRequestParameters
        );
        expect(JSON.stringify(error.data)).toContain('United States (US) is not in allowedCountries (CA, GB).');
        expect(server.requests).toHaveLength(0);
      } finally {
        await server.close();
      }
    });

    it('refuses a send past a limit with no request; the console test neither counts nor is refused', async () => {
      await fetch(`${sandbox.url}/inbox`, { method: 'DELETE' });
      const config = {
        ...configFor(row, sandbox.endpointFor(name)),
        sendLimits: [{ by: 'recipient', max: 1, windowSeconds: 600 }],
      };
      const created = await connector(async () => config);
      await created.sendMessage({ ...message('SignIn', recipient), ip: '203.0.113.7' });
      const error = expectConnectorError(
        await rejectionOf(created.sendMessage({ ...message('SignIn', recipient), ip: '203.0.113.7' })),
        ConnectorErrorCodes.RateLimitExceeded
      );
      expect(error.data).toMatchObject({
        errorDescription: expect.stringContaining('the per-number limit (1 SMS per 10 minutes) was reached for +1 650'),
        limit: { by: 'recipient', max: 1, windowSeconds: 600 },
      });
      expect(JSON.stringify(error.data)).not.toContain(recipient.slice(1));
      // The console's Send button with the same config still sends.
      await created.sendMessage(message('Generic', recipient), config);
      expect(sandbox.inbox).toHaveLength(2);
    });

    it('counts what the provider may have delivered (a timeout), not what it refused', async () => {
      const refusing = await startServer('echo');
      const stalling = await startServer('stall');
      try {
        const limits = { sendLimits: [{ by: 'recipient', max: 1, windowSeconds: 600 }], timeout: 300 };
        const to = `${recipient.slice(0, -4)}9${recipient.slice(-3)}`;
        const refused = await connector(async () => ({ ...configFor(row, refusing.url), ...limits }));
        await rejectionOf(refused.sendMessage(message('SignIn', to)));
        await rejectionOf(refused.sendMessage(message('SignIn', to)));
        expect(refusing.requests).toHaveLength(2);

        const timedOut = await connector(async () => ({ ...configFor(row, stalling.url), ...limits }));
        expectConnectorError(
          await rejectionOf(timedOut.sendMessage(message('SignIn', to))),
          ConnectorErrorCodes.General
        );
        expectConnectorError(
          await rejectionOf(timedOut.sendMessage(message('SignIn', to))),
          ConnectorErrorCodes.RateLimitExceeded
        );
        expect(stalling.requests).toHaveLength(1);
      } finally {
        await refusing.close();
        await stalling.close();
      }
    });
  });

  describe('failures', () => {
    it('sends no request for a number that cannot be an SMS recipient', async () => {
      const server = await startServer('echo');
      try {
        const created = await connector();
        const error = await rejectionOf(created.sendMessage(message('SignIn', '12'), configFor(row, server.url)));
        expectConnectorError(error, ConnectorErrorCodes.InvalidRequestParameters);
        expect(server.requests).toHaveLength(0);
      } finally {
        await server.close();
      }
    });

    it('never shows a secret, the Authorization value or a signature, even when the provider quotes the request', async () => {
      const server = await startServer('echo');
      try {
        const created = await connector();
        const config = configFor(row, server.url);
        const error = await rejectionOf(created.sendMessage(message('SignIn'), config));
        expect(error).toBeInstanceOf(ConnectorError);
        expect(server.requests).toHaveLength(1);
        const shown = `${(error as Error).message} ${JSON.stringify((error as ConnectorError).data)}`;
        expect(shown).toContain('[redacted]');

        const [request] = server.requests;
        const secrets = [
          ...(providerSecrets(
            row.provider,
            (await created.configGuard.parseAsync(config)) as Record<string, unknown>
          ) as string[]),
          ...Object.entries(request!.headers)
            .filter(([header]) => /authorization|signature|token|key|secret/i.test(header))
            .map(([, value]) => String(value)),
        ].filter((secret) => secret && secret.length >= 6);
        expect(secrets.length).toBeGreaterThan(0);
        for (const secret of secrets) {
          for (const form of wireFormsOf(secret)) {
            expect(shown).not.toContain(form);
          }
        }
      } finally {
        await server.close();
      }
    });

    it('ends at its timeout as general, saying the message may have been delivered, with one request', async () => {
      const server = await startServer('stall');
      try {
        const created = await connector();
        const error = await rejectionOf(
          created.sendMessage(message('SignIn'), { ...configFor(row, server.url), timeout: 300 })
        );
        const connectorError = expectConnectorError(error, ConnectorErrorCodes.General);
        expect(connectorError.data).toMatchObject({ delivery: 'unknown' });
        expect(JSON.stringify(connectorError.data)).toContain('300 ms');
        expect(server.requests).toHaveLength(1);
      } finally {
        await server.close();
      }
    });

    it('says in data.delivery what became of the message: refused (400), may have been delivered (502), not sent (refused connection)', async () => {
      const deliveryOf = (error: unknown) => {
        const { data } = expectConnectorError(error, (error as ConnectorError).code);
        const details = data instanceof ZodError ? data.issues[0] : undefined;
        return ((details && 'params' in details ? details.params : data) as { delivery?: string }).delivery;
      };
      const refusing = await startServer('echo');
      const failing = await startServer('html');
      const closed = await startServer('echo');
      await closed.close();
      try {
        const created = await connector();
        const deliveries = await Promise.all(
          [refusing, failing, closed].map(async (server) =>
            deliveryOf(await rejectionOf(created.sendMessage(message('SignIn'), configFor(row, server.url))))
          )
        );
        expect(deliveries).toEqual(['refused', 'unknown', 'notSent']);
        expect([refusing.requests.length, failing.requests.length, closed.requests.length]).toEqual([1, 1, 0]);
      } finally {
        await refusing.close();
        await failing.close();
      }
    });

    it('turns an HTML error page into a readable general error', async () => {
      const server = await startServer('html');
      try {
        const created = await connector();
        const error = await rejectionOf(created.sendMessage(message('SignIn'), configFor(row, server.url)));
        const connectorError = expectConnectorError(error, ConnectorErrorCodes.General);
        expect(JSON.stringify(connectorError.data)).toMatch(/502/);
        expect(server.requests).toHaveLength(1);
      } finally {
        await server.close();
      }
    });
  });
});

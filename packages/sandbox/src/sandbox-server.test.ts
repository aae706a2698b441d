import { once } from 'node:events';
import { createServer } from 'node:net';

import { sandboxCredentials, startSandbox, type Sandbox } from './index';
import { inboxLimit, maximumRequestBytes } from './server';
import { getInbox, messagingServiceSid, twilioSend, basic } from './test-support';

const hangingTwilioRequest = (sandbox: Sandbox, signal?: AbortSignal) => {
  const { accountSID, authToken } = sandboxCredentials.twilio as { accountSID: string; authToken: string };
  return fetch(`${sandbox.endpointFor('twilio')}/2010-04-01/Accounts/${accountSID}/Messages.json`, {
    method: 'POST',
    headers: { authorization: basic(accountSID, authToken), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ To: '+16505550106', MessagingServiceSid: messagingServiceSid, Body: 'x' }).toString(),
    ...(signal && { signal }),
  });
};

describe('sandbox server', () => {
  let sandbox: Sandbox;
  const logs: string[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ log: (line) => logs.push(line) });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    logs.length = 0;
  });

  it('listens on 127.0.0.1 and gives each provider its endpoint', () => {
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
    expect(sandbox.port).toBeGreaterThan(0);
    expect(
      Object.fromEntries(
        (['twilio', 'aliyun', 'tencent', 'http', 'smsaero', 'gatewayapi', 'vonage'] as const).map((provider) => [
          provider,
          sandbox.endpointFor(provider),
        ])
      )
    ).toEqual({
      twilio: `${sandbox.url}/twilio`,
      aliyun: `${sandbox.url}/aliyun`,
      tencent: sandbox.url,
      http: `${sandbox.url}/http-sms`,
      smsaero: `${sandbox.url}/smsaero/v2`,
      gatewayapi: `${sandbox.url}/gatewayapi/rest/mtsms`,
      vonage: `${sandbox.url}/vonage`,
    });
  });

  it('serves an index at GET / and a 404 with the same index elsewhere', async () => {
    const index = await fetch(`${sandbox.url}/`);
    expect(index.status).toBe(200);
    const body = (await index.json()) as { endpoints: Record<string, string>; inbox: string; magicNumbers: unknown[] };
    expect(body.endpoints.twilio).toBe(sandbox.endpointFor('twilio'));
    expect(body.inbox).toBe(`${sandbox.url}/inbox`);
    expect(body.magicNumbers).toHaveLength(14);
    const missing = await fetch(`${sandbox.url}/nothing-here`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'Nothing is served at POST /nothing-here.' });
  });

  it('GET /inbox lists accepted messages as JSON, DELETE /inbox clears them, other methods get 405', async () => {
    await twilioSend(sandbox, { to: '+16502530000' });
    await twilioSend(sandbox, { to: '+16502530001' });
    const inbox = await fetch(`${sandbox.url}/inbox`);
    expect(inbox.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await inbox.json()) as Array<{ to: string }>).map(({ to }) => to)).toEqual([
      '+16502530000',
      '+16502530001',
    ]);
    const cleared = await fetch(`${sandbox.url}/inbox`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ cleared: 2 });
    expect(await getInbox(sandbox)).toEqual([]);
    expect(sandbox.inbox).toEqual([]);
    expect(logs).toContain('sandbox    inbox cleared (2 messages)');
    expect((await fetch(`${sandbox.url}/inbox`, { method: 'PUT' })).status).toBe(405);
  });

  it(`keeps the newest ${inboxLimit} messages`, async () => {
    const sends = Array.from({ length: inboxLimit + 5 }, (_, index) => `+1650253${String(index).padStart(4, '0')}`);
    // The first five in order (they are the ones dropped), the rest in concurrent batches.
    for (const to of sends.slice(0, 5)) {
      await twilioSend(sandbox, { to });
    }
    for (let start = 5; start < sends.length; start += 50) {
      await Promise.all(sends.slice(start, start + 50).map(async (to) => twilioSend(sandbox, { to })));
    }
    expect(sandbox.inbox).toHaveLength(inboxLimit);
    expect(new Set(sandbox.inbox.map(({ to }) => to))).toEqual(new Set(sends.slice(5)));
    await fetch(`${sandbox.url}/inbox`, { method: 'DELETE' });
  });

  it(`refuses bodies over ${maximumRequestBytes} bytes with 413`, async () => {
    const response = await fetch(`${sandbox.endpointFor('vonage')}/sms/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `text=${'x'.repeat(maximumRequestBytes + 1)}`,
    });
    expect(response.status).toBe(413);
  });

  it('logs when the client of a held request gives up', async () => {
    await expect(hangingTwilioRequest(sandbox, AbortSignal.timeout(50))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs).toEqual([
      'twilio     magic number +16505550106 (no-reply): holding the request open until the client gives up',
      expect.stringMatching(/^twilio {5}client gave up after \d+ ms$/),
    ]);
  });

  it('the exported credentials are frozen: no caller can change what the sandbox accepts', () => {
    expect(Object.isFrozen(sandboxCredentials)).toBe(true);
    expect(Object.isFrozen(sandboxCredentials.twilio)).toBe(true);
  });
});

describe('sandbox lifecycle', () => {
  it('close() ends held requests at once and resolves promptly; nothing is logged afterwards', async () => {
    const logs: string[] = [];
    const sandbox = await startSandbox({ log: (line) => logs.push(line) });
    const pending = hangingTwilioRequest(sandbox);
    const outcome = pending.then(
      () => 'answered',
      (error: unknown) => (error as { name?: string } | undefined)?.name ?? 'rejected'
    );
    // Wait until the sandbox holds the request.
    for (let attempt = 0; attempt < 100 && logs.length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(logs).toHaveLength(1);

    const started = Date.now();
    await sandbox.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await outcome).toBe('TypeError'); // fetch failed: the socket was closed
    expect(logs).toHaveLength(1);
    await expect(fetch(`${sandbox.url}/inbox`)).rejects.toThrow();
    // close() is idempotent.
    await expect(sandbox.close()).resolves.toBeUndefined();
  });

  it('close() does not wait for idle keep-alive connections', async () => {
    const sandbox = await startSandbox();
    await getInbox(sandbox);
    const started = Date.now();
    await sandbox.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('starts on the port asked for, and says so plainly when it is taken', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    await expect(startSandbox({ port })).rejects.toMatchObject({
      message: `Port ${port} on 127.0.0.1 is already in use: choose another port.`,
      code: 'EADDRINUSE',
    });
    blocker.close();
    await once(blocker, 'close');
    const sandbox = await startSandbox({ port });
    expect(sandbox.url).toBe(`http://127.0.0.1:${port}`);
    await sandbox.close();
  });
});

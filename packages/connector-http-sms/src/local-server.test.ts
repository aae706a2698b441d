import type { ServerResponse } from 'node:http';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import { logtoResponseFor, maximumReplyBytes } from '@sms-suite/sms-kit';
import { consoleSend, rejectionOf } from '@sms-suite/sms-kit/testing';

import createConnector from './index';
import { startLocalGateway, type LocalGateway } from '../test/support';

// Real sockets on 127.0.0.1 (no nock): what a misbehaving gateway does to the connector.
const tenMegabytes = 10 * 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 'x');

/** The console's Send to the local gateway. */
const sendTo = async (gateway: LocalGateway, extra: Record<string, unknown> = {}) =>
  consoleSend(
    createConnector,
    { to: '16502530000' },
    { endpoint: gateway.endpoint, authorization: 'Bearer l0cal-t0ken', ...extra }
  );

/** Streams `total` bytes, honouring backpressure, and records how far it got before the client hung up. */
const streamBody = (response: ServerResponse, total: number, { end }: { end: boolean }) => {
  const progress = { written: 0, finished: false, closedEarly: false, closed: Promise.resolve() };
  progress.closed = new Promise<void>((resolve) => {
    response.on('close', () => {
      progress.closedEarly = progress.written < total;
      resolve();
    });
  });
  const pump = () => {
    while (progress.written < total && !response.destroyed) {
      progress.written += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    if (progress.written >= total) {
      progress.finished = true;
      if (end) {
        response.end();
      }
    }
  };
  pump();
  return progress;
};

describe('against a real local server', () => {
  let gateway: LocalGateway | undefined;

  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('reads at most 1 MiB of a 10 MB reply that never ends, and reports the send as done', async () => {
    let progress: ReturnType<typeof streamBody> | undefined;
    gateway = await startLocalGateway((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"messageId":"m-1","padding":"');
      // 10 MB and the response is never ended: only a reader that stops at its cap can return.
      progress = streamBody(response, tenMegabytes, { end: false });
    });

    await expect(sendTo(gateway, { timeout: 15_000 })).resolves.toEqual({});
    expect(gateway.received).toHaveLength(1);
    // The connector hung up after its 1 MiB cap instead of waiting for the rest.
    await progress?.closed;
    expect(progress?.closedEarly).toBe(true);
    expect(progress?.written).toBeGreaterThan(maximumReplyBytes);
    expect(progress?.written).toBeLessThan(tenMegabytes);
  });

  it('stops reading a 10 MB error page early and shows 300 characters of it', async () => {
    let progress: ReturnType<typeof streamBody> | undefined;
    gateway = await startLocalGateway((_, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      progress = streamBody(response, tenMegabytes, { end: true });
    });

    const error = await rejectionOf(sendTo(gateway, { timeout: 15_000 }));
    const description = `The SMS gateway at ${gateway.host} answered HTTP 500: ${'x'.repeat(300)}…`;
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription: description,
      provider: 'HTTP SMS gateway',
      httpStatus: 500,
      delivery: 'unknown',
    });
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.general',
      toast: `Error occurred in connector: ${description}`,
    });
    await progress?.closed;
    // The client hung up mid-stream: the 10 MB were never all sent, let alone buffered.
    expect(progress?.closedEarly).toBe(true);
    expect(progress?.finished).toBe(false);
  });

  it('rejects an endpoint that never answers within the configured timeout', async () => {
    gateway = await startLocalGateway(() => {
      // Accepts the request, never answers.
    });
    const startedAt = Date.now();

    const error = await rejectionOf(sendTo(gateway, { timeout: 200 }));
    const elapsed = Date.now() - startedAt;
    // The request reached the gateway: it may have sent the SMS, so the kit says so and never retries.
    const description = `HTTP SMS gateway did not answer within 200 ms (${gateway.host}); the message may have been delivered, so it was not retried (a retry could send a second code). Check the provider's status, or raise "timeout" (at most 60000 ms).`;
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({ errorDescription: description, provider: 'HTTP SMS gateway', delivery: 'unknown' });
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.general',
      toast: `Error occurred in connector: ${description}`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(5000);
    expect(gateway.received).toHaveLength(1);
  });

  it('rejects an endpoint that answers the headers and then stalls the body', async () => {
    gateway = await startLocalGateway((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"messageId":');
    });

    const error = await rejectionOf(sendTo(gateway, { timeout: 200 }));
    const description = `HTTP SMS gateway did not answer within 200 ms (${gateway.host}); the message may have been delivered, so it was not retried (a retry could send a second code). Check the provider's status, or raise "timeout" (at most 60000 ms).`;
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({ errorDescription: description, provider: 'HTTP SMS gateway', delivery: 'unknown' });
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.general',
      toast: `Error occurred in connector: ${description}`,
    });
    expect(gateway.received).toHaveLength(1);
  });

  it('names the host when nothing listens there', async () => {
    gateway = await startLocalGateway(() => {
      // Never reached.
    });
    const { endpoint, host } = gateway;
    await gateway.close();
    gateway = undefined;

    const error = await rejectionOf(consoleSend(createConnector, { to: '16502530000' }, { endpoint }));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toEqual({
      errorDescription: expect.stringMatching(
        new RegExp(
          `^Could not reach HTTP SMS gateway at ${host.replace(/\./g, '\\.')} after \\d+ ms: the connection was refused \\(nothing listens on that host and port\\) \\(ECONNREFUSED\\); the message was not sent\\.$`
        )
      ),
      provider: 'HTTP SMS gateway',
      delivery: 'notSent',
    });
    expect(logtoResponseFor(error).status).toBe(400);
  });
});

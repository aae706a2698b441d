import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

import { createClient } from 'redis';

import { describeWithRedis, startRedisServer, type RedisServer } from '../../test/redis-server';
import { closeRedisStores, createRedisStore, redisStoreFor, type RedisCounterStore } from './redis-store';
import type { Counter, ReserveResult } from './store';

const password = 'pa55-w0rd-never-shown';
const t = 1_700_000_000_000;

let server: RedisServer;
let raw: ReturnType<typeof createClient>;
const stores: RedisCounterStore[] = [];

/** A store closed after the file, so no client outlives the tests. */
const storeFor = (url: string, options?: Parameters<typeof createRedisStore>[1]) => {
  const store = createRedisStore(url, options);
  stores.push(store);
  return store;
};

const key = (name: string) => `test:${randomUUID()}:${name}`;
const soon = (ms = 2_000) => Date.now() + ms;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ok = (result: ReserveResult) => {
  if (!result.ok) {
    throw new Error(`expected the reservation to pass, it tripped counter ${result.tripped}`);
  }
  return result.reservation;
};

/** How the reserve settles and how long it took. */
const settle = async (promise: Promise<unknown>) => {
  const started = Date.now();
  try {
    return { value: await promise, elapsed: Date.now() - started };
  } catch (error) {
    return { error: error as Error, elapsed: Date.now() - started };
  }
};

beforeAll(async () => {
  server = await startRedisServer();
  raw = createClient({ url: server.url });
  raw.on('error', () => undefined);
  await raw.connect();
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await closeRedisStores();
  await raw?.disconnect();
  await server?.stop();
});

describeWithRedis('createRedisStore against a real redis-server', () => {
  it('lets exactly one of 20 concurrent reserves through a limit of one', async () => {
    const store = storeFor(server.url);
    const counter: Counter = { key: key('one'), windowMs: 60_000, max: 1 };
    const results = await Promise.all(Array.from({ length: 20 }, () => store.reserve([counter], t, soon())));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual(
      Array.from({ length: 19 }, () => ({ ok: false, tripped: 0 }))
    );
    expect(await raw.zCard(counter.key)).toBe(1);
    expect(store.name).toBe('Redis');
  });

  it('slides the window on the now it is given: a send at t counts until t + window - 1', async () => {
    const store = storeFor(server.url);
    const counter: Counter = { key: key('window'), windowMs: 1_000, max: 1 };
    ok(await store.reserve([counter], t, soon()));
    expect(await store.reserve([counter], t + 999, soon())).toEqual({ ok: false, tripped: 0 });
    ok(await store.reserve([counter], t + 1_000, soon()));
    expect(await store.reserve([counter], t + 1_999, soon())).toEqual({ ok: false, tripped: 0 });
  });

  it('counts a distinct member once: a known one passes at max, a new one is refused, a released new one is gone', async () => {
    const store = storeFor(server.url);
    const countries = (country: string): Counter[] => [
      { key: key('unused'), windowMs: 60_000, max: 100 },
      { key: countriesKey, windowMs: 60_000, max: 2, distinct: country },
    ];
    const countriesKey = key('countries');
    ok(await store.reserve(countries('FR'), t, soon()));
    const germany = ok(await store.reserve(countries('DE'), t + 1, soon()));
    const franceAgain = ok(await store.reserve(countries('FR'), t + 2, soon()));
    expect(await store.reserve(countries('US'), t + 3, soon())).toEqual({ ok: false, tripped: 1 });
    // FR's time was refreshed by the second send.
    expect(await raw.zScore(countriesKey, 'FR')).toBe(t + 2);

    // FR was already there: its release leaves it counted.
    await franceAgain.release();
    expect(await raw.zRange(countriesKey, 0, -1)).toEqual(['DE', 'FR']);
    // DE was new: its release takes it out, which makes room for US.
    await germany.release();
    expect(await raw.zRange(countriesKey, 0, -1)).toEqual(['FR']);
    ok(await store.reserve(countries('US'), t + 4, soon()));
    expect(await raw.zCard(countriesKey)).toBe(2);
  });

  it('takes released plain counts back out, once', async () => {
    const store = storeFor(server.url);
    const counter: Counter = { key: key('plain'), windowMs: 60_000, max: 2 };
    const first = ok(await store.reserve([counter], t, soon()));
    ok(await store.reserve([counter], t, soon()));
    expect(await store.reserve([counter], t, soon())).toEqual({ ok: false, tripped: 0 });
    await first.release();
    await first.release();
    expect(await raw.zCard(counter.key)).toBe(1);
    ok(await store.reserve([counter], t, soon()));
    expect(await store.reserve([counter], t, soon())).toEqual({ ok: false, tripped: 0 });
  });

  it('counts nothing anywhere when a later counter trips', async () => {
    const store = storeFor(server.url);
    const perPhone: Counter = { key: key('phone'), windowMs: 60_000, max: 5 };
    const perIp: Counter = { key: key('ip'), windowMs: 60_000, max: 1 };
    ok(await store.reserve([perIp], t, soon()));
    expect(await store.reserve([perPhone, perIp], t, soon())).toEqual({ ok: false, tripped: 1 });
    expect(await raw.exists(perPhone.key)).toBe(0);
    expect(await raw.zCard(perIp.key)).toBe(1);
    const blocked: Counter = { key: key('blocked'), windowMs: 60_000, max: 0 };
    expect(await store.reserve([blocked, perPhone], t, soon())).toEqual({ ok: false, tripped: 0 });
    expect(await raw.exists(perPhone.key)).toBe(0);
    // No limit at all.
    ok(await store.reserve([{ key: key('unlimited'), windowMs: 1_000, max: Number.POSITIVE_INFINITY }], t, soon()));
  });

  it('lets every key expire one window after its last send', async () => {
    const store = storeFor(server.url);
    const short: Counter = { key: key('short'), windowMs: 5_000, max: 10 };
    const long: Counter = { key: key('long'), windowMs: 3_600_000, max: 10 };
    const distinct: Counter = { key: key('distinct'), windowMs: 10_000, max: 10, distinct: 'FR' };
    ok(await store.reserve([short, long, distinct], t, soon()));
    for (const { key: counterKey, windowMs } of [short, long, distinct]) {
      const ttl = await raw.pTTL(counterKey);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(windowMs);
    }
  });

  it('runs the script again after SCRIPT FLUSH (EVAL fallback on NOSCRIPT)', async () => {
    const store = storeFor(server.url);
    const counter: Counter = { key: key('flush'), windowMs: 60_000, max: 2 };
    ok(await store.reserve([counter], t, soon()));
    await raw.scriptFlush();
    const reservation = ok(await store.reserve([counter], t, soon()));
    await raw.scriptFlush();
    await reservation.release();
    expect(await raw.zCard(counter.key)).toBe(1);
  });

  it('resolves with nothing to count without touching Redis', async () => {
    const store = storeFor('redis://127.0.0.1:1');
    const result = await store.reserve([], t, soon());
    expect(result.ok).toBe(true);
  });
});

describeWithRedis('deadline', () => {
  it('rejects by the deadline when a connected Redis does not answer, and takes a late count back out', async () => {
    const store = storeFor(server.url);
    const counter: Counter = { key: key('paused'), windowMs: 60_000, max: 5 };
    ok(await store.reserve([{ ...counter, key: key('warm') }], t, soon()));
    await raw.sendCommand(['CLIENT', 'PAUSE', '800', 'ALL']);
    const { error, elapsed } = await settle(store.reserve([counter], t, Date.now() + 300));
    expect(error?.message).toMatch(/^Redis at 127\.0\.0\.1:\d+ did not answer within 3\d\d ms$/);
    expect(elapsed).toBeLessThan(300 + 200);
    // Once Redis answers, the reservation the caller never got is released.
    await sleep(800);
    expect(await raw.exists(counter.key)).toBe(0);
  });

  it('rejects by the deadline when the server accepts the connection and never speaks', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const store = storeFor(`redis://:${password}@127.0.0.1:${port}`);
      const { error, elapsed } = await settle(
        store.reserve([{ key: key('silent'), windowMs: 1, max: 1 }], t, soon(300))
      );
      expect(error?.message).toMatch(/^could not connect to Redis at 127\.0\.0\.1:\d+ within \d+ ms$/);
      expect(error?.message).not.toContain(password);
      expect(elapsed).toBeLessThan(300 + 200);
      await store.close();
    } finally {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rejects at once when nothing listens, saying so', async () => {
    const store = storeFor(`redis://user:${password}@127.0.0.1:1/2`);
    const { error, elapsed } = await settle(
      store.reserve([{ key: key('refused'), windowMs: 1, max: 1 }], t, soon(500))
    );
    expect(error?.message).toMatch(/^could not connect to Redis at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(error?.message).not.toContain(password);
    expect(elapsed).toBeLessThan(500 + 200);
  });

  it('speaks TLS to a rediss:// URL (a plain server then fails the handshake, readably)', async () => {
    const store = storeFor(`rediss://:${password}@127.0.0.1:${server.port}`, { connectTimeoutMs: 200 });
    const { error, elapsed } = await settle(store.reserve([{ key: key('tls'), windowMs: 1, max: 1 }], t, soon(1_000)));
    // The handshake gets no answer from a plain server: the connection attempt times out, before the deadline.
    expect(error?.message).toMatch(/^could not connect to Redis at 127\.0\.0\.1:\d+: Connection timeout$/);
    expect(error?.message).not.toContain(password);
    expect(elapsed).toBeLessThan(1_000);
  });
});

describeWithRedis('a Redis with a password', () => {
  let secured: RedisServer;
  beforeAll(async () => {
    secured = await startRedisServer({ password });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  it('counts with the password and the db of the URL', async () => {
    const store = storeFor(`${secured.url}/3`);
    const counter: Counter = { key: key('db'), windowMs: 60_000, max: 1 };
    ok(await store.reserve([counter], t, soon()));
    const inspector = createClient({ url: `${secured.url}/3` });
    await inspector.connect();
    try {
      expect(await inspector.zCard(counter.key)).toBe(1);
      await inspector.select(0);
      expect(await inspector.exists(counter.key)).toBe(0);
    } finally {
      await inspector.disconnect();
    }
  });

  it('says what went wrong with a wrong password or none, never the password', async () => {
    const wrong = storeFor(secured.url.replace(encodeURIComponent(password), 'not-the-password'));
    const denied = await settle(wrong.reserve([{ key: key('wrong'), windowMs: 1, max: 1 }], t, soon()));
    expect(denied.error?.message).toMatch(/^could not connect to Redis at 127\.0\.0\.1:\d+: WRONGPASS/);
    expect(denied.error?.message).not.toContain('not-the-password');

    const anonymous = storeFor(`redis://127.0.0.1:${secured.port}`);
    const refused = await settle(anonymous.reserve([{ key: key('none'), windowMs: 1, max: 1 }], t, soon()));
    expect(refused.error?.message).toMatch(/^Redis at 127\.0\.0\.1:\d+ answered with an error: NOAUTH/);
  });

  it('rejects by the deadline while Redis is down, and works again once it is back, in the same process', async () => {
    const store = storeFor(secured.url);
    const counter = (): Counter => ({ key: key('restart'), windowMs: 60_000, max: 1 });
    ok(await store.reserve([counter()], t, soon()));

    await secured.stop();
    for (const budget of [500, 300]) {
      const { error, elapsed } = await settle(store.reserve([counter()], t, Date.now() + budget));
      // `connect ECONNREFUSED …` once the client noticed, `Socket closed unexpectedly` when it just does.
      expect(error?.message).toMatch(/^(could not connect to Redis|Redis) at 127\.0\.0\.1:\d+:? /);
      expect(error?.message).not.toContain(password);
      expect(error?.message).not.toContain(encodeURIComponent(password));
      expect(elapsed).toBeLessThan(budget + 200);
    }

    await secured.restart();
    const started = Date.now();
    let result: ReserveResult | undefined;
    while (!result && Date.now() - started < 5_000) {
      result = await store.reserve([counter()], t, soon(500)).catch(async () => {
        await sleep(100);
        return undefined;
      });
    }
    expect(result?.ok).toBe(true);
  });
});

describeWithRedis('setup errors', () => {
  it('rejects an invalid URL without repeating it', async () => {
    for (const url of [
      `http://user:${password}@example.com`,
      `not a url ${password}`,
      `redis://:${password}@127.0.0.1:${server.port}/not-a-db`,
    ]) {
      const { error } = await settle(storeFor(url).reserve([{ key: key('url'), windowMs: 1, max: 1 }], t, soon()));
      expect(error?.message).toMatch(/^the Redis URL is not valid/);
      expect(error?.message).not.toContain(password);
    }
  });

  it('says when the redis package cannot be loaded, and tries again on the next reserve', async () => {
    let loads = 0;
    const store = storeFor(server.url, {
      loadClient: async () => {
        loads += 1;
        if (loads === 1) {
          throw new Error("Cannot find package 'redis'");
        }
        return import('redis');
      },
    });
    const counter: Counter = { key: key('load'), windowMs: 60_000, max: 1 };
    const { error } = await settle(store.reserve([counter], t, soon()));
    expect(error?.message).toBe(
      "could not load the redis package from Logto's node_modules: Cannot find package 'redis'"
    );
    ok(await store.reserve([counter], t, soon()));
  });

  it('refuses a counter without a window', async () => {
    const { error } = await settle(storeFor(server.url).reserve([{ key: key('bad'), windowMs: 0, max: 1 }], t, soon()));
    expect(error?.message).toMatch(/windowMs/);
  });
});

describeWithRedis('redisStoreFor', () => {
  it('keeps one store per URL for the process, on the runtime import of redis', async () => {
    const store = redisStoreFor(server.url);
    expect(redisStoreFor(server.url)).toBe(store);
    expect(redisStoreFor(`${server.url}/1`)).not.toBe(store);
    const counter: Counter = { key: key('cached'), windowMs: 60_000, max: 1 };
    ok(await store.reserve([counter], t, soon()));
    expect(await redisStoreFor(server.url).reserve([counter], t, soon())).toEqual({ ok: false, tripped: 0 });
    await closeRedisStores();
    expect(redisStoreFor(server.url)).not.toBe(store);
  });
});

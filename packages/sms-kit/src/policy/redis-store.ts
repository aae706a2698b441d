/**
 * The Redis counter store: send counts shared by every Logto instance that points at the same Redis.
 *
 * Each counter is a sorted set whose members are the counted sends (a unique reservation id, or the
 * distinct member) scored by the time they were counted. One Lua script checks and counts every
 * counter of a send in one round trip, atomically (Redis runs a script alone), so two instances at the
 * same instant cannot both pass a limit of one.
 *
 * Times are the `now` the caller passes, not Redis's TIME: tests inject a clock, and instances agree
 * on a window to within their clock skew (keep Logto's hosts on NTP). Key expiry (PEXPIRE) runs on
 * Redis's clock and only removes a key once its newest send has left the window.
 *
 * Keys of one send may hash to different slots: this is a single-node store (Logto's `redis://` and
 * `rediss://` URLs, with user, password and db in the URL), not a Redis Cluster one.
 *
 * `redis` (node-redis 4, which Logto core ships) is not bundled: it is imported at runtime, from the
 * Logto instance's node_modules, and only when a Redis URL is in use.
 */
import { createHash, randomUUID } from 'node:crypto';

import { createRedactor } from '../redact';
import type { Counter, CounterStore, Reservation, ReserveResult } from './store';

type RedisModule = typeof import('redis');

export type RedisStoreOptions = {
  /** How long one connection attempt may take before it counts as failed (default 1 000 ms). */
  connectTimeoutMs?: number;
  /** Where node-redis comes from (tests); by default the Logto instance's `redis`. */
  loadClient?: () => Promise<RedisModule>;
};

export type RedisCounterStore = CounterStore & {
  /** Disconnects; the next reserve connects again. */
  close: () => Promise<void>;
};

/** The part of a node-redis client this store uses. */
type Client = {
  readonly isReady: boolean;
  connect: () => Promise<unknown>;
  disconnect: () => Promise<void>;
  unref: () => void;
  sendCommand: (args: string[]) => Promise<unknown>;
  on: (event: 'error' | 'ready' | 'end', listener: (error: Error) => void) => unknown;
};

type Script = { text: string; sha: string };

const script = (text: string): Script => ({ text, sha: createHash('sha1').update(text).digest('hex') });

/**
 * KEYS: the counters' keys. ARGV[1]: now (epoch ms); ARGV[2]: the reservation id; then four values per
 * key: windowMs, max (-1: no limit), '1' when the counter is distinct, the distinct member.
 *
 * For each key in order: drop the sends that left the window (score <= now - windowMs); a distinct
 * member already in the set passes; otherwise a set already holding max members trips, and the script
 * returns { index (1-based) } having counted nothing. When no key trips, every key gets its member
 * (the reservation id, or the distinct member, whose time is refreshed when it was there) at score
 * now, and expires windowMs after this send; the script returns { 0, added... }, where added[i] is 1
 * when the member of key i was not there before (what a release takes back out).
 */
const reserveScript = script(`
local now = tonumber(ARGV[1])
local members = {}
local added = {0}
for i, key in ipairs(KEYS) do
  local at = 3 + (i - 1) * 4
  local window = tonumber(ARGV[at])
  local max = tonumber(ARGV[at + 1])
  local distinct = ARGV[at + 2] == '1'
  local member = ARGV[2]
  if distinct then member = ARGV[at + 3] end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local present = distinct and redis.call('ZSCORE', key, member)
  if not present and max >= 0 and redis.call('ZCARD', key) >= max then
    return {i}
  end
  members[i] = member
  if present then added[i + 1] = 0 else added[i + 1] = 1 end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[1], members[i])
  redis.call('PEXPIRE', key, ARGV[3 + (i - 1) * 4])
end
return added
`);

/** KEYS: keys; ARGV[i]: the member this reservation added to KEYS[i]. */
const releaseScript = script(`
for i, key in ipairs(KEYS) do
  redis.call('ZREM', key, ARGV[i])
end
return 0
`);

const defaultConnectTimeoutMs = 1_000;
/** A release that Redis does not answer in this time is given up (it never throws nor hangs). */
const releaseTimeoutMs = 2_000;
/** Reconnection backoff: 50 ms, doubling, at most 2 s between attempts, for ever. */
const reconnectDelay = (retries: number) => Math.min(50 * 2 ** retries, 2_000);

/**
 * A client nobody used for this long stops reconnecting to a Redis that went away (its timers would
 * keep a process such as the CLI or a test runner alive for ever); the next send opens a new one.
 */
const idleReconnectMs = 5_000;

const noReservation: Reservation = { release: async () => undefined };

/**
 * What of a Redis URL must never be shown: the URL itself and its password, as written and decoded.
 * Never throws (a `%zz` in a password is not an escape: only the raw form is kept).
 */
export const redisUrlSecrets = (url: unknown): string[] => {
  if (typeof url !== 'string' || !URL.canParse(url)) {
    return [];
  }
  const { password } = new URL(url);
  const secrets = [url];
  if (password) {
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // A malformed escape: the raw form is all there is.
    }
  }
  return secrets;
};

/** Where the URL points (`host:port`), without throwing; undefined for anything but redis:// and rediss://. */
const describeUrl = (url: string) => {
  if (!URL.canParse(url)) {
    return undefined;
  }
  const parsed = new URL(url);
  return parsed.protocol === 'redis:' || parsed.protocol === 'rediss:'
    ? { target: `${parsed.hostname}:${parsed.port || '6379'}` }
    : undefined;
};

/**
 * An error's own words. Duck-typed, not `instanceof`: errors may come from another realm (Node's
 * socket errors under a VM sandbox); Node's multi-address connect failures (AggregateError) have no
 * message of their own.
 */
const reasonOf = (error: unknown): string => {
  if (typeof error !== 'object' || error === null) {
    return String(error);
  }
  const { message, code, name, errors } = error as {
    message?: unknown;
    code?: unknown;
    name?: unknown;
    errors?: unknown;
  };
  if (Array.isArray(errors) && errors.length > 0 && !message) {
    return [...new Set(errors.map(reasonOf))].join('; ');
  }
  for (const candidate of [message, code, name]) {
    if (typeof candidate === 'string' && candidate !== '') {
      return candidate;
    }
  }
  return String(error);
};

const isErrorReply = (error: unknown) =>
  typeof error === 'object' && error !== null && error.constructor.name === 'ErrorReply';

const evalScript = async (client: Client, { text, sha }: Script, keys: readonly string[], args: readonly string[]) => {
  const rest = [String(keys.length), ...keys, ...args];
  try {
    return await client.sendCommand(['EVALSHA', sha, ...rest]);
  } catch (error) {
    if (!reasonOf(error).startsWith('NOSCRIPT')) {
      throw error;
    }
    return client.sendCommand(['EVAL', text, ...rest]);
  }
};

const counterArgs = ({ windowMs, max, distinct }: Counter) => [
  String(windowMs),
  max === Number.POSITIVE_INFINITY ? '-1' : String(max),
  distinct === undefined ? '0' : '1',
  distinct ?? '',
];

const invalidCounter = ({ windowMs, max }: Counter) =>
  !Number.isFinite(windowMs) || windowMs <= 0 || Number.isNaN(max) || max < 0;

export const createRedisStore = (url: string, options: RedisStoreOptions = {}): RedisCounterStore => {
  const { connectTimeoutMs = defaultConnectTimeoutMs, loadClient = () => import('redis') } = options;
  const described = describeUrl(url);
  const target = described?.target ?? 'an invalid URL';
  // Every wire form of the URL and its password (the kit's redactor), even for a URL that is not valid.
  const redact = createRedactor(url === '' ? [] : [url, ...redisUrlSecrets(url)]);
  const failure = (message: string) => new Error(redact(message));
  const couldNotConnect = (error: unknown) => failure(`could not connect to Redis at ${target}: ${reasonOf(error)}`);

  let client: Promise<Client> | undefined;
  /** The client events are about; a closed one's late events change nothing. */
  let current: Client | undefined;
  /** The last connection error since the client was last ready: reserves fail fast until it is again. */
  let lastError: unknown;
  /** When a reserve or release last used the client. */
  let lastUsed = Date.now();
  /** Reserves waiting for the first connection. */
  const waiters = new Set<{ resolve: () => void; reject: (error: unknown) => void }>();

  const open = (): Promise<Client> => {
    lastUsed = Date.now();
    return (client ??= (async () => {
      if (!described) {
        throw failure('the Redis URL is not valid: expected redis://[user:password@]host[:port][/db] or rediss://…');
      }
      let redis: RedisModule;
      try {
        redis = await loadClient();
      } catch (error) {
        throw failure(`could not load the redis package from Logto's node_modules: ${reasonOf(error)}`);
      }
      let created: Client;
      try {
        created = redis.createClient({
          url,
          // Commands fail at once while disconnected instead of queueing until the connection is back.
          disableOfflineQueue: true,
          socket: {
            connectTimeout: connectTimeoutMs,
            reconnectStrategy: (retries: number) =>
              Date.now() - lastUsed > idleReconnectMs ? false : reconnectDelay(retries),
          },
        });
      } catch (error) {
        // node-redis's own URL checks (a db that is not a number).
        throw failure(`the Redis URL is not valid: ${reasonOf(error)}`);
      }
      current = created;
      // Without a listener, an 'error' event (Redis down, a reset connection) would crash Logto.
      created.on('error', (error: unknown) => {
        if (current !== created) {
          return;
        }
        lastError = error;
        if (!created.isReady) {
          for (const waiter of waiters) {
            waiter.reject(error);
          }
          waiters.clear();
        }
      });
      // Given up (idle while Redis is away): the next reserve starts over with a new client.
      created.on('end', () => {
        if (current === created) {
          current = undefined;
          client = undefined;
          lastError = undefined;
        }
      });
      created.on('ready', () => {
        if (current !== created) {
          return;
        }
        lastError = undefined;
        for (const waiter of waiters) {
          waiter.resolve();
        }
        waiters.clear();
      });
      // The connection alone never keeps a process (the CLI) alive; a pending reserve's timer does.
      created.unref();
      // Retries in the background while the store is in use; errors arrive as events.
      created.connect().catch((error: unknown) => {
        if (current === created) {
          lastError = error;
        }
      });
      return created;
    })().catch((error: unknown) => {
      client = undefined;
      throw error;
    }));
  };

  const whenReady = (ready: Client, cleanups: Array<() => void>) => {
    if (ready.isReady) {
      return Promise.resolve();
    }
    if (lastError !== undefined) {
      return Promise.reject(couldNotConnect(lastError));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject: (error: unknown) => reject(couldNotConnect(error)) };
      waiters.add(waiter);
      cleanups.push(() => waiters.delete(waiter));
    });
  };

  const release = async (added: ReadonlyArray<readonly [key: string, member: string]>) => {
    if (added.length === 0) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const connected = await open();
      await Promise.race([
        evalScript(
          connected,
          releaseScript,
          added.map(([key]) => key),
          added.map(([, member]) => member)
        ),
        new Promise((resolve) => {
          timer = setTimeout(resolve, releaseTimeoutMs);
        }),
      ]);
    } catch {
      // Never throws: the counts then leave with their window.
    } finally {
      clearTimeout(timer);
    }
  };

  const reservationOf = (added: ReadonlyArray<readonly [string, string]>): Reservation => {
    let released: Promise<void> | undefined;
    return { release: () => (released ??= release(added)) };
  };

  const attempt = async (
    counters: readonly Counter[],
    now: number,
    state: { answering: boolean; timedOut: boolean },
    cleanups: Array<() => void>
  ): Promise<ReserveResult> => {
    const connected = await open();
    await whenReady(connected, cleanups);
    if (state.timedOut) {
      // Too late: the caller already has its rejection; count nothing.
      throw failure('too late');
    }
    state.answering = true;
    const id = randomUUID();
    let reply: unknown;
    try {
      reply = await evalScript(
        connected,
        reserveScript,
        counters.map(({ key }) => key),
        [String(now), id, ...counters.flatMap(counterArgs)]
      );
    } catch (error) {
      throw isErrorReply(error)
        ? failure(`Redis at ${target} answered with an error: ${reasonOf(error)}`)
        : failure(`Redis at ${target} is unreachable: ${reasonOf(lastError ?? error)}`);
    }
    const [first, ...flags] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (typeof first !== 'number' || first < 0 || first > counters.length) {
      throw failure(`Redis at ${target} answered the reservation unexpectedly`);
    }
    if (first > 0) {
      return { ok: false, tripped: first - 1 };
    }
    const added = counters.flatMap((counter, index): Array<readonly [string, string]> =>
      flags[index] === 1 ? [[counter.key, counter.distinct ?? id]] : []
    );
    return { ok: true, reservation: reservationOf(added) };
  };

  return {
    name: 'Redis',
    reserve: (counters, now, deadline) => {
      if (counters.length === 0) {
        return Promise.resolve({ ok: true, reservation: noReservation });
      }
      if (counters.some(invalidCounter)) {
        return Promise.reject(new Error('a counter needs a positive windowMs and a max of 0 or more'));
      }
      const budget = Math.max(0, Math.round(deadline - Date.now()));
      const state = { answering: false, timedOut: false };
      const cleanups: Array<() => void> = [];
      const pending = attempt(counters, now, state, cleanups);
      return new Promise<ReserveResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          state.timedOut = true;
          for (const cleanup of cleanups) {
            cleanup();
          }
          reject(
            failure(
              state.answering
                ? `Redis at ${target} did not answer within ${budget} ms`
                : `could not connect to Redis at ${target} within ${budget} ms`
            )
          );
          // The caller was told nothing was counted: a reservation that lands after the deadline is
          // taken back out.
          pending.then(
            (result) => (result.ok ? result.reservation.release() : undefined),
            () => undefined
          );
        }, budget);
        pending.then(
          (result) => {
            if (!state.timedOut) {
              clearTimeout(timer);
              resolve(result);
            }
          },
          (error: unknown) => {
            if (!state.timedOut) {
              clearTimeout(timer);
              reject(failure(reasonOf(error)));
            }
          }
        );
      });
    },
    close: async () => {
      const closing = client;
      client = undefined;
      current = undefined;
      lastError = undefined;
      for (const waiter of waiters) {
        waiter.reject(new Error('closed'));
      }
      waiters.clear();
      try {
        await (await closing)?.disconnect();
      } catch {
        // Already closed, or never opened.
      }
    },
  };
};

/**
 * One store (one client) per URL for the whole process: Logto may create the connector on every send,
 * so the cache lives at module level. The client connects on the first reserve and reconnects in the
 * background.
 */
const stores = new Map<string, RedisCounterStore>();

export const redisStoreFor = (url: string): RedisCounterStore => {
  let store = stores.get(url);
  if (!store) {
    store = createRedisStore(url);
    stores.set(url, store);
  }
  return store;
};

/** Disconnects every cached store (a short-lived process such as the CLI, tests). */
export const closeRedisStores = async () => {
  const all = [...stores.values()];
  stores.clear();
  await Promise.all(all.map((store) => store.close()));
};

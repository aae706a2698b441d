import { defaultMemoryKeys } from './config';
import type { Counter, CounterStore, ReserveResult } from './store';

/**
 * One counter: the times of the sends it counted, oldest first, from `head` on (the ones before
 * `head` have left the window); for a distinct counter, the time each member was last counted.
 */
type CounterState = { times: number[]; ids: string[]; head: number; members: Map<string, number> };

const newState = (): CounterState => ({ times: [], ids: [], head: 0, members: new Map() });

const prune = (state: CounterState, since: number) => {
  while (state.head < state.times.length && state.times[state.head]! <= since) {
    state.head += 1;
  }
  // Drop the expired front once it is most of the arrays: amortised O(1) per send.
  if (state.head > 64 && state.head * 2 > state.times.length) {
    state.times.splice(0, state.head);
    state.ids.splice(0, state.head);
    state.head = 0;
  }
  for (const [member, time] of state.members) {
    if (time <= since) {
      state.members.delete(member);
    }
  }
};

const countOf = (state: CounterState) => state.times.length - state.head + state.members.size;

/**
 * Send counts in this process. One instance per process (module level): Logto may create the
 * connector on every send, and counts must outlive that.
 *
 * Memory stays bounded under a flood of distinct IPs: counters live in two generations of at most
 * `maxKeys / 2` each; when the current one is full it becomes the previous one and the old previous
 * one is dropped whole, and a counter used again moves back into the current one. So at most `maxKeys`
 * counters are kept, the least recently used go first, and the counters every send touches (`all`,
 * `country`) are never the ones dropped. A counter holds at most `max` entries, since a send past
 * `max` is refused.
 */
export const createMemoryStore = (maxKeys = defaultMemoryKeys) => {
  let current = new Map<string, CounterState>();
  let previous = new Map<string, CounterState>();
  let generationSize = Math.max(1, Math.floor(maxKeys / 2));
  // Reservation ids only need to be unique within this store.
  let sequence = 0;

  const stateOf = (key: string): CounterState => {
    const found = current.get(key);
    if (found) {
      return found;
    }
    const state = previous.get(key) ?? newState();
    previous.delete(key);
    if (current.size >= generationSize) {
      previous = current;
      current = new Map();
    }
    current.set(key, state);
    return state;
  };

  const reserveNow = (list: readonly Counter[], now: number): ReserveResult => {
    const states = list.map((counter) => {
      const state = stateOf(counter.key);
      prune(state, now - counter.windowMs);
      return state;
    });
    for (const [index, counter] of list.entries()) {
      const state = states[index]!;
      const alreadyCounted = counter.distinct !== undefined && state.members.has(counter.distinct);
      if (!alreadyCounted && countOf(state) >= counter.max) {
        return { ok: false, tripped: index };
      }
    }
    sequence += 1;
    const id = `r${sequence}`;
    const added: Array<() => void> = [];
    for (const [index, counter] of list.entries()) {
      const state = states[index]!;
      const { distinct } = counter;
      if (distinct === undefined) {
        state.times.push(now);
        state.ids.push(id);
        added.push(() => {
          const at = state.ids.indexOf(id, state.head);
          if (at >= 0) {
            state.times.splice(at, 1);
            state.ids.splice(at, 1);
          }
        });
      } else {
        if (!state.members.has(distinct)) {
          added.push(() => state.members.delete(distinct));
        }
        state.members.set(distinct, now);
      }
    }
    return {
      ok: true,
      reservation: {
        release: async () => {
          for (const undo of added) {
            undo();
          }
        },
      },
    };
  };

  const store: CounterStore & { readonly size: number; resize: (maxKeys: number) => void } = {
    name: 'memory',
    reserve: async (list, now) => reserveNow(list, now),
    get size() {
      return current.size + previous.size;
    },
    resize: (keys: number) => {
      generationSize = Math.max(1, Math.floor(keys / 2));
    },
  };
  return store;
};

/** This process's store, shared by every send of the connector that this bundle is. */
export const processMemoryStore = createMemoryStore();

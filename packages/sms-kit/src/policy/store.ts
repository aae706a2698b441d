/**
 * Where send counts live. Every limit of a send is checked and reserved in one atomic step, so two
 * sends (or two Logto instances) at the same instant cannot both pass a limit of one; a reservation is
 * released when the provider refused the message, because only sends the provider accepted (or may
 * have accepted) count.
 *
 * Windows slide: a send counted at `t` stops counting at `t + windowMs`.
 */
export type Counter = {
  /** Namespaced and hashed: never a phone number or an IP address in clear. */
  key: string;
  windowMs: number;
  max: number;
  /**
   * Counted once per window, whatever the number of sends (`ipCountries`: the destination country).
   * A member already counted passes even at `max`; only a new one past `max` is refused. Absent:
   * every send counts.
   */
  distinct?: string;
};

export type Reservation = {
  /** Takes the counted sends back out (the provider refused the message). Never throws. */
  release: () => Promise<void>;
};

export type ReserveResult =
  | { ok: true; reservation: Reservation }
  /** `tripped`: the index in `counters` of the first limit the send would exceed; nothing was counted. */
  | { ok: false; tripped: number };

export type CounterStore = {
  /** `store` in messages: `memory`, `Redis`. */
  name: string;
  /**
   * Checks every counter and, when none would be exceeded, counts the send in all of them, atomically.
   * Rejects (with any error) when the store cannot answer by `deadline` (epoch ms); the caller decides
   * whether the send goes on.
   */
  reserve: (counters: readonly Counter[], now: number, deadline: number) => Promise<ReserveResult>;
};

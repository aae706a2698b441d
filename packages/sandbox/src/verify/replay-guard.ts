/**
 * Remembers values (nonces, webhook ids) for a time window and tells whether one comes back.
 * Entries are kept in insertion order with their expiry, so expired ones are dropped from the front
 * as new ones arrive: memory stays bounded by the traffic of one window.
 */
export class ReplayGuard {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True when `value` was already seen within the window; otherwise records it and returns false. */
  seen(value: string, nowMs: number): boolean {
    this.purge(nowMs);
    const expiry = this.expiries.get(value);
    if (expiry !== undefined && expiry > nowMs) {
      return true;
    }
    this.expiries.delete(value);
    this.expiries.set(value, nowMs + this.windowMs);
    return false;
  }

  get size(): number {
    return this.expiries.size;
  }

  private purge(nowMs: number) {
    for (const [value, expiry] of this.expiries) {
      if (expiry > nowMs) {
        return;
      }
      this.expiries.delete(value);
    }
  }
}

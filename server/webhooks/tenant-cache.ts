/**
 * A small bounded map with expiry, for the webhook receiver's tenant lookups (secret → tenant,
 * campaign → tenant, email → tenant). It is a speed-up, never a source of truth:
 * - only positive answers are cached, so a tenant or campaign created a moment ago is found at once;
 * - entries live one minute, which bounds how long a rotated secret or a deactivated tenant keeps
 *   being accepted by a process that saw it before;
 * - each process has its own copy, and a miss simply asks the database.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    // Map keeps insertion order: deleting first moves the key to the young end, and the oldest
    // entry is evicted when full.
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}

// The in-process cache in front of key lookups: a hit is a Map lookup. Entries live `ttlMs`, which bounds
// how long a key revoked on another replica keeps working here; a revocation on this replica clears the
// cache at once. Bounded in size so random bearer tokens cannot grow it.
export interface CacheEntry<T> {
  value: T;
  until: number;
}

export class TtlCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > now) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T, now: number): void {
    // Maps iterate in insertion order: dropping the first entry evicts the oldest.
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: now + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

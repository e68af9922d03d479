// A bounded in-process cache whose entries live `ttlMs`; a hit is a Map lookup, and past `maxEntries` the
// oldest entry goes. Used in front of key lookups (store/keys.ts: the TTL bounds how long a key revoked on
// another replica keeps working here, and random bearer tokens cannot grow it) and for failed-auth windows
// per client address (server/auth-failures.ts).
interface CacheEntry<T> {
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

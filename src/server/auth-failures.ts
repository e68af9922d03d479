// Failed authentication per client address: past `limit` failures in a minute, an address's requests with
// anything but the admin key are refused (429) without a key lookup until its window ends. This bounds the
// database lookups a flood of made-up keys can cause from one address (each unknown well-formed key costs
// one, before it is cached as unknown). The admin key is checked first and never refused here, so an
// operator behind the same proxy keeps access. Windows live in a TtlCache (lib/ttl-cache.ts, also in front of
// key lookups): at most `maxAddresses`, the oldest dropped first, each gone when its window ends.
import { TtlCache } from "../lib/ttl-cache.js";

export interface AuthFailuresOptions {
  /** Failures an address may have in one window before it is refused; 0 turns the throttle off. */
  limit: number;
  windowMs?: number;
  maxAddresses?: number;
  now?: () => number;
}

interface Window {
  start: number;
  failures: number;
}

export class AuthFailures {
  private readonly windows: TtlCache<Window>;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: AuthFailuresOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.windows = new TtlCache(this.windowMs, options.maxAddresses ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfter(address: string): number {
    if (this.limit <= 0) return 0;
    const now = this.now();
    const w = this.windows.get(address, now);
    if (w === undefined || w.failures < this.limit) return 0;
    return Math.ceil((w.start + this.windowMs - now) / 1000);
  }

  /** Counts one failed authentication from the address. */
  fail(address: string): void {
    if (this.limit <= 0) return;
    const now = this.now();
    let w = this.windows.get(address, now);
    if (w === undefined) {
      w = { start: now, failures: 0 };
      this.windows.set(address, w, now);
    }
    w.failures++;
  }

  /** Addresses currently tracked (tests, metrics). */
  get size(): number {
    return this.windows.size;
  }
}

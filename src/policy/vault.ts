// Where a conversation's placeholder mapping lives between the request and its answer, and across turns.
// Async-capable so a Redis implementation (encrypted, shared by replicas) can live elsewhere; the memory
// one answers synchronously.
import type { PseudonymEntries } from "./pseudonym-table.js";

export interface Vault {
  get(conversation: string): PseudonymEntries | undefined | Promise<PseudonymEntries | undefined>;
  /** Stores the mapping for `ttlMs` from now (replacing any older one). */
  put(conversation: string, entries: PseudonymEntries, ttlMs: number): void | Promise<void>;
}

export interface MemoryVaultOptions {
  /** Conversations kept at most; the least recently used go first. */
  maxConversations?: number;
  /** Clock, injectable for tests. Expiry is checked on access: no timers. */
  now?: () => number;
}

export class MemoryVault implements Vault {
  private readonly map = new Map<string, { entries: PseudonymEntries; expires: number }>();
  private readonly max: number;
  private readonly now: () => number;

  constructor(options: MemoryVaultOptions = {}) {
    this.max = options.maxConversations ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get(conversation: string): PseudonymEntries | undefined {
    const hit = this.map.get(conversation);
    if (hit === undefined) return undefined;
    this.map.delete(conversation);
    if (hit.expires <= this.now()) return undefined;
    this.map.set(conversation, hit); // most recently used last
    return hit.entries;
  }

  put(conversation: string, entries: PseudonymEntries, ttlMs: number): void {
    this.map.delete(conversation);
    this.map.set(conversation, { entries, expires: this.now() + ttlMs });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number {
    return this.map.size;
  }
}

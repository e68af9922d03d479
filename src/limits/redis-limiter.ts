// Limits shared by every replica through Redis: one script call per admission (rpm, concurrency, tpm and
// budget together) and one per release. Keys are namespaced and hash-tagged by API key id, so a Redis
// Cluster keeps each key's counters in one slot.
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { randomBase62 } from "../lib/ids.js";
import { periodEnd, periodStart } from "./budget-period.js";
import { CONCURRENCY_RETRY_MS } from "./memory-limiter.js";
import { deny, limitOf, NO_LIMITS_LEASE } from "./denial.js";
import { ADMIT_SCRIPT, RELEASE_SCRIPT } from "./redis-scripts.js";
import { EXACT_RPM_MAX } from "./second-buckets.js";
import type { Admission, AdmitInput, BudgetSeed, Denial, Lease, Limiter, LimiterStats } from "./types.js";

const DAY_MS = 86_400_000;
/** A "total" budget counter idle this long is dropped and later re-seeded from the usage table. */
const TOTAL_BUDGET_TTL_MS = 30 * DAY_MS;

export interface RedisLimiterOptions {
  url: string;
  /** Namespace for every Redis key (default "inhouse:lim:"); tests use a fresh one per run. */
  prefix?: string;
  seedBudget?: BudgetSeed;
  /**
   * A concurrency slot not released within this time is freed anyway (a replica that died mid-request
   * must not hold it for ever). Longer than the longest request. Default 10 minutes.
   */
  leaseMs?: number;
  /** Per-command timeout; a slower Redis counts as down. Default 1000 ms. */
  commandTimeoutMs?: number;
  /**
   * When Redis is down or slow: "allow" serves requests without limits (counted in stats().errors),
   * "deny" refuses them with a 429. Default "allow": an outage of the limiter is not an outage of the API.
   */
  onBackendError?: "allow" | "deny";
}

type ScriptReply = [number, number];

export class RedisLimiter implements Limiter {
  private readonly prefix: string;
  private readonly seedBudget: BudgetSeed;
  private readonly leaseMs: number;
  private readonly onBackendError: "allow" | "deny";
  private readonly idPrefix = randomBase62(10);
  private counter = 0;
  private readonly seeding = new Map<string, Promise<number>>();
  private readonly counts: LimiterStats = { admitted: 0, denied: 0, errors: 0 };
  private readonly admitSha = sha1(ADMIT_SCRIPT);
  private readonly releaseSha = sha1(RELEASE_SCRIPT);

  private constructor(
    private readonly redis: Redis,
    options: RedisLimiterOptions,
  ) {
    this.prefix = options.prefix ?? "inhouse:lim:";
    this.seedBudget = options.seedBudget ?? (async () => 0);
    this.leaseMs = options.leaseMs ?? 600_000;
    this.onBackendError = options.onBackendError ?? "allow";
  }

  /** Connects first, so a wrong URL fails at startup rather than on the first request. */
  static async connect(options: RedisLimiterOptions): Promise<RedisLimiter> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      // While disconnected, fail fast instead of queueing requests behind a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Admissions from concurrent requests in one event-loop tick leave in one write: measured, a write per
      // command (writeUtf8String) was the largest cost of the Redis limiter on the request path.
      enableAutoPipelining: true,
    });
    // Without a listener ioredis reports connection errors as unhandled; they surface through commands.
    redis.on("error", () => {});
    try {
      await redis.connect();
    } catch (err) {
      // Stop the reconnect loop ioredis would otherwise keep running behind a failed start.
      redis.disconnect();
      const where = new URL(options.url).host;
      throw new Error(`cannot connect to Redis at ${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return new RedisLimiter(redis, options);
  }

  async admit(input: AdmitInput): Promise<Admission> {
    const { limits, keyId } = input;
    const rpm = limitOf(limits.rpm);
    const tpm = limitOf(limits.tpm);
    const maxcc = limitOf(limits.max_concurrent);
    const period = limits.budget_period ?? null;
    const budget = period ? limitOf(limits.budget_tokens) : 0;
    if (!rpm && !tpm && !maxcc && !budget) {
      this.counts.admitted++;
      return { ok: true, lease: NO_LIMITS_LEASE };
    }
    const est = Math.max(0, Math.round(input.estimatedTokens));
    const now = Date.now();
    const start = period ? periodStart(period, now) : 0;
    const end = period ? periodEnd(period, now) : 0;
    const budgetTtl = Number.isFinite(end) ? end - now + DAY_MS : TOTAL_BUDGET_TTL_MS;
    const base = `${this.prefix}{${keyId}}:`;
    const bySecond = rpm > EXACT_RPM_MAX;
    const keys = [`${base}${bySecond ? "rps" : "rpm"}`, `${base}cc`, `${base}tpm`, `${base}bud:${start}`];
    const id = `${this.idPrefix}:${++this.counter}`;
    const args = [id, rpm, maxcc, this.leaseMs, tpm, est, budget, budgetTtl, bySecond ? 1 : 0];
    try {
      let [status, value] = await this.run(this.admitSha, ADMIT_SCRIPT, keys, [...args, -1]);
      if (status === -1) {
        // First use of the budget in this period (or its counter expired): seed it from the usage table.
        const seed = Math.round(await this.seedOnce(keyId, start));
        [status, value] = await this.run(this.admitSha, ADMIT_SCRIPT, keys, [...args, seed]);
      }
      switch (status) {
        case 1:
          this.counts.admitted++;
          return { ok: true, lease: this.lease(keys, id, est, tpm, budget, maxcc > 0) };
        case 0:
          return this.denied(deny("rpm", limits, value));
        case 2:
          return this.denied(deny("concurrency", limits, CONCURRENCY_RETRY_MS));
        case 3:
          return this.denied(deny("tpm", limits, value));
        default:
          return this.denied(deny("budget", limits, Number.isFinite(end) ? end - now : undefined));
      }
    } catch {
      this.counts.errors++;
      if (this.onBackendError === "allow") return { ok: true, lease: NO_LIMITS_LEASE };
      const d: Denial = { ok: false, code: "rate_limit_exceeded", limit: "rpm", retryAfterSeconds: 1, message: "Rate limits cannot be checked right now; retry shortly." };
      return this.denied(d);
    }
  }

  /** Requests that all find the budget counter missing share one usage query. */
  private seedOnce(keyId: string, start: number): Promise<number> {
    const k = `${keyId}:${start}`;
    let p = this.seeding.get(k);
    if (!p) {
      p = this.seedBudget(keyId, start).finally(() => this.seeding.delete(k));
      this.seeding.set(k, p);
    }
    return p;
  }

  private lease(keys: string[], id: string, est: number, tpm: number, budget: number, holdsSlot: boolean): Lease {
    let released = false;
    return {
      release: async (actualTokens?: number) => {
        if (released) return;
        released = true;
        const delta = actualTokens === undefined ? 0 : Math.round(actualTokens) - est;
        // Nothing to give back (no slot, no correction): an rpm-only key costs one round trip per request.
        if (!holdsSlot && (delta === 0 || (!tpm && !budget))) return;
        try {
          await this.run(this.releaseSha, RELEASE_SCRIPT, [keys[1]!, keys[2]!, keys[3]!], [id, delta, tpm, budget]);
        } catch {
          // The slot frees itself when its lease expires; only the tpm/budget correction is lost.
          this.counts.errors++;
        }
      },
    };
  }

  private async run(sha: string, script: string, keys: string[], args: (string | number)[]): Promise<ScriptReply> {
    try {
      return (await this.redis.evalsha(sha, keys.length, ...keys, ...args)) as ScriptReply;
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return (await this.redis.eval(script, keys.length, ...keys, ...args)) as ScriptReply;
    }
  }

  private denied(d: Denial): Denial {
    this.counts.denied++;
    return d;
  }

  stats(): LimiterStats {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

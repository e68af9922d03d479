// Limits shared by every replica through Redis: one script call checks and charges every limit of a key
// (rpm, concurrency, tpm and budget together). Keys are namespaced and hash-tagged by API key id, so a Redis
// Cluster keeps each key's counters in one slot.
//
// Far from its limits a busy key is served from local grants: one script call charges k admissions at
// once (k request slots in the rpm window, k concurrency slots, k × the estimate in tpm and budget), the
// replica hands them out without a round trip, and gives back what it did not use when the grant ends
// (after GRANT_MS, or when it no longer covers a request). A grant is given only while every limit keeps at
// least GRANT_RATIO × k admissions of headroom, so no limit is ever exceeded (everything is charged in Redis
// before it is used) and near a limit each request is checked on its own as before. What a grant can cost
// is under-admission: admissions another replica holds unused count against the limit until it ends
// (≤ GRANT_MS), and only while the headroom is at least GRANT_RATIO × k.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { randomBase62 } from "../lib/ids.js";
import { periodEnd, periodStart } from "./budget-period.js";
import { CONCURRENCY_RETRY_MS } from "./memory-limiter.js";
import { deny, limitOf, NO_LIMITS_LEASE } from "./denial.js";
import { ADMIT_SCRIPT, RELEASE_SCRIPT, RETURN_SCRIPT } from "./redis-scripts.js";
import { EXACT_RPM_MAX } from "./second-buckets.js";
import type { Admission, AdmitInput, BudgetSeed, Denial, Lease, Limiter, LimiterStats } from "./types.js";

const DAY_MS = 86_400_000;
/** A grant's life: unused admissions go back to Redis after this. */
const GRANT_MS = 1000;
/** Headroom a limit must keep, in admissions, for each admission granted at once. */
const GRANT_RATIO = 8;
const GRANT_MIN = 2;
const GRANT_MAX = 64;
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
  /** Serve busy keys far from their limits from local grants (default true; false checks every request). */
  grants?: boolean;
}

type ScriptReply = [number, number, number?];

/** What one grant charged in Redis, and how much of it is handed out. */
interface Grant {
  id: string;
  keys: string[];
  size: number;
  /** rpm bucket (second) the grant was charged to for rpm above the exact window; null for the exact window. */
  second: number | null;
  expiresAt: number;
  /** Admissions handed out so far (rpm members id#1..given are used). */
  given: number;
  /** Concurrency slots charged, and how many are held by running requests. */
  slots: number;
  inUse: number;
  /** Slot members already given back (id#c1..returned). */
  slotsReturned: number;
  /** Tokens charged and not yet used (negative after requests used more than their estimate). */
  tokens: number;
  ended: boolean;
  /** After the grant ended: slots and token corrections of requests that finished since, not yet given back. */
  lateSlots: number;
  lateTokens: number;
}

/** Per key and limits: the grant being handed out, and how large the next one should be. */
interface KeyState {
  grant: Grant | undefined;
  /** A grant being fetched: concurrent admissions wait for it instead of asking too (false: none came). */
  pending: Promise<boolean> | undefined;
  want: number;
  limitsKey: string;
  tpm: number;
  budget: number;
  /**
   * Tokens a request of this key has actually used, on average (recent requests weigh more; 0 before the
   * first). A grant reserves max(estimate, this) per admission: estimates count the prompt only, so grants
   * sized by the estimate ran out of tokens at a fraction of their admissions, came back mostly unused and
   * shrank (measured: one script call per 7 requests at 1,650 requests/s, every fetch a wait for the key's
   * concurrent requests).
   */
  tokensPerRequest: number;
}

/** Weight of the newest request in KeyState.tokensPerRequest. */
const TOKENS_EMA_WEIGHT = 1 / 8;

function learnTokens(state: KeyState, actualTokens: number): void {
  state.tokensPerRequest = state.tokensPerRequest === 0 ? actualTokens : state.tokensPerRequest + (actualTokens - state.tokensPerRequest) * TOKENS_EMA_WEIGHT;
}

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
  private readonly returnSha = sha1(RETURN_SCRIPT);
  private readonly states = new Map<string, KeyState>();
  private readonly late = new Map<Grant, KeyState>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly grants: boolean;

  private constructor(
    private readonly redis: Redis,
    options: RedisLimiterOptions,
  ) {
    this.prefix = options.prefix ?? "inhouse:lim:";
    this.seedBudget = options.seedBudget ?? (async () => 0);
    this.leaseMs = options.leaseMs ?? 600_000;
    this.onBackendError = options.onBackendError ?? "allow";
    this.grants = options.grants ?? true;
  }

  /** Connects first, so a wrong URL fails at startup rather than on the first request. */
  static async connect(options: RedisLimiterOptions): Promise<RedisLimiter> {
    // Loaded here, not at startup: a gateway without Redis never pays for the client.
    const { Redis } = await import("ioredis");
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
    let state = this.grants ? this.stateOf(keyId, rpm, tpm, maxcc, period, budget) : undefined;
    // Served from a grant while one covers the request; while a grant is being fetched, wait for it. When
    // the fetch came back without one (the key is near a limit), check this request on its own at once.
    while (state !== undefined) {
      const lease = this.fromGrant(state, est);
      if (lease !== undefined) {
        this.counts.admitted++;
        return { ok: true, lease };
      }
      if (state.pending === undefined) break;
      if (!(await state.pending)) state = undefined;
    }
    const now = Date.now();
    const start = period ? periodStart(period, now) : 0;
    const end = period ? periodEnd(period, now) : 0;
    const budgetTtl = Number.isFinite(end) ? end - now + DAY_MS : TOTAL_BUDGET_TTL_MS;
    const base = `${this.prefix}{${keyId}}:`;
    const bySecond = rpm > EXACT_RPM_MAX;
    const keys = [`${base}${bySecond ? "rps" : "rpm"}`, `${base}cc`, `${base}tpm`, `${base}bud:${start}`];
    const id = `${this.idPrefix}:${++this.counter}`;
    const want = state?.want ?? 0;
    // What a grant reserves per admission (the request itself is checked against its estimate).
    const perGrant = Math.max(est, Math.ceil(state?.tokensPerRequest ?? 0));
    const args = [id, rpm, maxcc, this.leaseMs, tpm, est, budget, budgetTtl, bySecond ? 1 : 0];
    let settle: ((granted: boolean) => void) | undefined;
    if (state !== undefined) state.pending = new Promise<boolean>((resolve) => (settle = resolve));
    let granted = false;
    try {
      let [status, value, second] = await this.run(this.admitSha, ADMIT_SCRIPT, keys, [...args, -1, want, GRANT_RATIO, perGrant]);
      if (status === -1) {
        // First use of the budget in this period (or its counter expired): seed it from the usage table.
        const seed = Math.round(await this.seedOnce(keyId, start));
        [status, value, second] = await this.run(this.admitSha, ADMIT_SCRIPT, keys, [...args, seed, want, GRANT_RATIO, perGrant]);
      }
      switch (status) {
        case 5: {
          const grant: Grant = { id, keys, size: value, second: bySecond ? (second ?? 0) : null, expiresAt: Date.now() + GRANT_MS, given: 0, slots: maxcc > 0 ? value : 0, inUse: 0, slotsReturned: 0, tokens: value * perGrant, ended: false, lateSlots: 0, lateTokens: 0 };
          state!.grant = grant;
          granted = true;
          this.startSweeper();
          this.counts.admitted++;
          return { ok: true, lease: this.fromGrant(state!, est)! };
        }
        case 1:
          this.counts.admitted++;
          return { ok: true, lease: this.lease(keys, id, est, tpm, budget, maxcc > 0, state) };
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
    } finally {
      if (state !== undefined) {
        state.pending = undefined;
        settle!(granted);
      }
    }
  }

  private stateOf(keyId: string, rpm: number, tpm: number, maxcc: number, period: string | null, budget: number): KeyState {
    const limitsKey = `${rpm}|${tpm}|${maxcc}|${period}|${budget}`;
    let state = this.states.get(keyId);
    if (state === undefined || state.limitsKey !== limitsKey) {
      // New limits (an administrator changed the key): what the old grant holds goes back.
      if (state?.grant !== undefined) void this.endGrant(state, state.grant);
      state = { grant: undefined, pending: undefined, want: GRANT_MIN, limitsKey, tpm, budget, tokensPerRequest: 0 };
      this.states.set(keyId, state);
    }
    return state;
  }

  /** A lease from the key's grant if it covers this request, else undefined (and an exhausted grant ends). */
  private fromGrant(state: KeyState, est: number): Lease | undefined {
    const g = state.grant;
    if (g === undefined) return undefined;
    const countsTokens = state.tpm > 0 || state.budget > 0;
    const now = Date.now();
    if (now >= g.expiresAt || g.given >= g.size || (g.slots > 0 && g.inUse >= g.slots) || (countsTokens && g.tokens < est)) {
      // Used up in less than its life: ask for twice as many next time. Ended with most of it unused: half.
      if (g.given >= g.size && now < g.expiresAt) state.want = Math.min(GRANT_MAX, state.want * 2);
      else if (g.given * 2 < g.size) state.want = Math.max(GRANT_MIN, Math.floor(state.want / 2));
      void this.endGrant(state, g);
      return undefined;
    }
    g.given++;
    g.inUse++;
    if (countsTokens) g.tokens -= est;
    let released = false;
    return {
      release: (actualTokens?: number) => {
        if (released) return DONE;
        released = true;
        g.inUse--;
        if (actualTokens !== undefined && countsTokens) learnTokens(state, actualTokens);
        const delta = actualTokens === undefined || !countsTokens ? 0 : Math.round(actualTokens) - est;
        if (!g.ended) {
          g.tokens -= delta;
          return DONE;
        }
        // The grant has ended (used up while this request ran): its slot and token correction go back with
        // the others that finish in the same sweep, one call per grant rather than one per request.
        if (g.slots === 0 && delta === 0) return DONE;
        if (g.slots > 0) g.lateSlots++;
        g.lateTokens -= delta;
        this.late.set(g, state);
        this.startSweeper();
        return DONE;
      },
    };
  }

  /** Ends a grant: unused admissions, free slots and unused tokens go back to Redis in one call. */
  private endGrant(state: KeyState, g: Grant): Promise<void> {
    if (state.grant === g) state.grant = undefined;
    if (g.ended) return DONE;
    g.ended = true;
    const rpmFrom = g.given < g.size ? g.given + 1 : 0;
    const free = g.slots - g.inUse;
    const slotFrom = free > 0 ? g.slotsReturned + 1 : 0;
    g.slotsReturned += free;
    return this.giveBack(g, rpmFrom, g.size, slotFrom, g.slotsReturned, g.tokens, state);
  }

  private async giveBack(g: Grant, rpmFrom: number, rpmTo: number, slotFrom: number, slotTo: number, tokens: number, state: KeyState): Promise<void> {
    const { tpm, budget } = state;
    if (rpmFrom === 0 && slotFrom === 0 && (tokens === 0 || (!tpm && !budget))) return;
    try {
      await this.run(this.returnSha, RETURN_SCRIPT, g.keys, [g.id, rpmFrom, rpmTo, g.second === null ? 0 : 1, g.second ?? 0, slotFrom, slotTo, Math.round(tokens), tpm, budget]);
    } catch {
      // Slots free themselves when their lease expires, rpm entries leave the window; tokens are lost.
      this.counts.errors++;
    }
  }

  /** Gives back what requests of ended grants freed since the last sweep: one call per grant. */
  private flushLate(): Promise<void>[] {
    const calls: Promise<void>[] = [];
    for (const [g, state] of this.late) {
      const slotFrom = g.lateSlots > 0 ? g.slotsReturned + 1 : 0;
      g.slotsReturned += g.lateSlots;
      calls.push(this.giveBack(g, 0, 0, slotFrom, g.slotsReturned, g.lateTokens, state));
      g.lateSlots = 0;
      g.lateTokens = 0;
    }
    this.late.clear();
    return calls;
  }

  /**
   * Every GRANT_MS / 4: ends grants past their life, so what a quiet key holds goes back within about
   * GRANT_MS, and gives back what finished requests of ended grants freed (slots within GRANT_MS / 4).
   */
  private startSweeper(): void {
    if (this.sweeper !== undefined) return;
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [keyId, state] of this.states) {
        if (state.grant !== undefined && now >= state.grant.expiresAt) this.fromGrant(state, 0);
        if (state.grant === undefined && state.pending === undefined) this.states.delete(keyId);
      }
      void Promise.all(this.flushLate());
      if (this.states.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, GRANT_MS / 4);
    this.sweeper.unref();
  }

  /** Gives back every grant, and what ended grants' finished requests freed, now (tests; close). */
  async flushGrants(): Promise<void> {
    const calls: Promise<void>[] = [];
    for (const state of this.states.values()) if (state.grant !== undefined) calls.push(this.endGrant(state, state.grant));
    calls.push(...this.flushLate());
    await Promise.all(calls);
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

  private lease(keys: string[], id: string, est: number, tpm: number, budget: number, holdsSlot: boolean, state: KeyState | undefined): Lease {
    let released = false;
    return {
      release: async (actualTokens?: number) => {
        if (released) return;
        released = true;
        if (state !== undefined && actualTokens !== undefined && (tpm || budget)) learnTokens(state, actualTokens);
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
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    await this.flushGrants();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

const DONE: Promise<void> = Promise.resolve();

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

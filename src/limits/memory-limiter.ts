// Limits for a single replica, in process memory. rpm is an exact sliding window up to EXACT_RPM_MAX (a
// ring of the last `rpm` admission times: admit when the oldest is over a minute old), and above it 60
// one-second buckets (memory stays constant however large the limit); tpm a token bucket refilled at
// tpm per minute, charged the estimate at admit and corrected at release; concurrency a counter; the
// budget a per-period counter seeded from the usage table the first time a key is seen in a period.
import { periodEnd, periodStart } from "./budget-period.js";
import { deny, limitOf, NO_LIMITS_LEASE } from "./denial.js";
import { EXACT_RPM_MAX, SecondBuckets } from "./second-buckets.js";
import type { Admission, AdmitInput, BudgetSeed, KeyLimits, Lease, Limiter, LimiterStats } from "./types.js";

const WINDOW_MS = 60_000;
/** How soon a client refused for concurrency should try again: a slot frees when any request ends. */
export const CONCURRENCY_RETRY_MS = 1000;

interface KeyState {
  ring: Float64Array | null;
  buckets: SecondBuckets | null;
  head: number;
  tpmLevel: number;
  tpmAt: number;
  inflight: number;
  budgetStart: number;
  /** End of the counted period: the hot path compares against it instead of recomputing the period. */
  budgetEnd: number;
  budgetUsed: number;
  seeding: Promise<void> | null;
}

export interface MemoryLimiterOptions {
  seedBudget?: BudgetSeed;
  /** Injected for tests; Date.now by default. */
  clock?: () => number;
}

export class MemoryLimiter implements Limiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly seedBudget: BudgetSeed;
  private readonly clock: () => number;
  private readonly counts: LimiterStats = { admitted: 0, denied: 0, errors: 0 };

  constructor(options: MemoryLimiterOptions = {}) {
    this.seedBudget = options.seedBudget ?? (async () => 0);
    this.clock = options.clock ?? Date.now;
  }

  async admit(input: AdmitInput): Promise<Admission> {
    const { limits } = input;
    if (!limits.rpm && !limits.tpm && !limits.max_concurrent && !(limits.budget_tokens && limits.budget_period)) {
      this.counts.admitted++;
      return { ok: true, lease: NO_LIMITS_LEASE };
    }
    const state = this.state(input.keyId);
    const budget = limitOf(limits.budget_tokens);
    if (budget > 0 && limits.budget_period) {
      // Only the first request of a key in a period waits for the database; the rest are synchronous.
      if (this.clock() >= state.budgetEnd) await this.seed(input.keyId, state, limits);
    }
    return this.tryAdmit(input, state);
  }

  private tryAdmit(input: AdmitInput, state: KeyState): Admission {
    const { limits, estimatedTokens: est } = input;
    const now = this.clock();
    const rpm = limitOf(limits.rpm);
    const tpm = limitOf(limits.tpm);
    const maxcc = limitOf(limits.max_concurrent);
    const budget = limitOf(limits.budget_tokens);
    // Check everything first, change nothing until all pass: a denied request costs no quota.
    if (budget > 0 && limits.budget_period && state.budgetUsed + est > budget) {
      return this.denied(deny("budget", limits, Number.isFinite(state.budgetEnd) ? state.budgetEnd - now : undefined));
    }
    let ring: Float64Array | null = null;
    if (rpm > EXACT_RPM_MAX) {
      state.buckets ??= new SecondBuckets();
      const wait = state.buckets.waitMs(rpm, now);
      if (wait > 0) return this.denied(deny("rpm", limits, wait));
    } else if (rpm > 0) {
      ring = state.ring?.length === rpm ? state.ring : resize(state, rpm);
      const oldest = ring[state.head]!;
      if (oldest > now - WINDOW_MS) return this.denied(deny("rpm", limits, oldest + WINDOW_MS - now));
    }
    if (maxcc > 0 && state.inflight >= maxcc) return this.denied(deny("concurrency", limits, CONCURRENCY_RETRY_MS));
    if (tpm > 0) {
      refill(state, tpm, now);
      // A request larger than the whole bucket gets in when the bucket is full, and leaves a debt.
      const need = Math.min(est, tpm);
      if (state.tpmLevel < need) return this.denied(deny("tpm", limits, ((need - state.tpmLevel) * WINDOW_MS) / tpm));
    }
    if (ring) {
      ring[state.head] = now;
      state.head = (state.head + 1) % ring.length;
    } else if (rpm > EXACT_RPM_MAX) state.buckets!.add(now);
    if (maxcc > 0) state.inflight++;
    if (tpm > 0) state.tpmLevel -= est;
    if (budget > 0) state.budgetUsed += est;
    this.counts.admitted++;
    return { ok: true, lease: this.lease(state, limits, est, maxcc > 0) };
  }

  private lease(state: KeyState, limits: KeyLimits, est: number, holdsSlot: boolean): Lease {
    return new MemoryLease(state, limitOf(limits.tpm), est, holdsSlot, this.clock);
  }

  private seed(keyId: string, state: KeyState, limits: KeyLimits): Promise<void> {
    if (state.seeding) return state.seeding;
    const now = this.clock();
    const start = periodStart(limits.budget_period!, now);
    const end = periodEnd(limits.budget_period!, now);
    const begin = (used: number) => {
      state.budgetStart = start;
      state.budgetEnd = end;
      state.budgetUsed = used;
    };
    state.seeding = this.seedBudget(keyId, start)
      .then(begin, () => {
        // The usage table is unreachable: count from zero rather than refuse every request, and ask
        // again in a minute rather than at the end of the period.
        this.counts.errors++;
        begin(0);
        state.budgetEnd = Math.min(end, now + WINDOW_MS);
      })
      .finally(() => {
        state.seeding = null;
      });
    return state.seeding;
  }

  private state(keyId: string): KeyState {
    let s = this.keys.get(keyId);
    if (!s) {
      s = { ring: null, buckets: null, head: 0, tpmLevel: Number.NaN, tpmAt: 0, inflight: 0, budgetStart: -1, budgetEnd: 0, budgetUsed: 0, seeding: null };
      this.keys.set(keyId, s);
    }
    return s;
  }

  private denied(d: Admission): Admission {
    this.counts.denied++;
    return d;
  }

  stats(): LimiterStats {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    this.keys.clear();
  }
}

const DONE: Promise<void> = Promise.resolve();

// A class rather than a closure per request, and a shared settled promise: release runs on every request.
class MemoryLease implements Lease {
  private released = false;
  private readonly budgetStart: number;

  constructor(
    private readonly state: KeyState,
    private readonly tpm: number,
    private readonly est: number,
    private readonly holdsSlot: boolean,
    private readonly clock: () => number,
  ) {
    this.budgetStart = state.budgetStart;
  }

  release(actualTokens?: number): Promise<void> {
    if (this.released) return DONE;
    this.released = true;
    const state = this.state;
    if (this.holdsSlot) state.inflight--;
    const delta = (actualTokens ?? this.est) - this.est;
    if (delta === 0) return DONE;
    if (this.tpm > 0) {
      refill(state, this.tpm, this.clock());
      state.tpmLevel -= delta;
    }
    if (state.budgetStart === this.budgetStart) state.budgetUsed += delta;
    return DONE;
  }
}

function resize(state: KeyState, rpm: number): Float64Array {
  // A changed rpm starts a fresh window: rare (keys are immutable today) and errs on the generous side.
  state.ring = new Float64Array(rpm).fill(Number.NEGATIVE_INFINITY);
  state.head = 0;
  return state.ring;
}

function refill(state: KeyState, tpm: number, now: number): void {
  state.tpmLevel = Number.isNaN(state.tpmLevel) ? tpm : Math.min(tpm, state.tpmLevel + ((now - state.tpmAt) * tpm) / WINDOW_MS);
  state.tpmAt = now;
}

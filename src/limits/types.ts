// The limiter contract, shared by the in-memory (one replica) and Redis (many replicas) implementations.
import type { BudgetPeriod } from "./budget-period.js";

/** A key's limits; a store KeyRecord fits as is. null/undefined means no limit of that kind. */
export interface KeyLimits {
  rpm?: number | null;
  tpm?: number | null;
  max_concurrent?: number | null;
  budget_tokens?: number | null;
  budget_period?: BudgetPeriod | null;
}

export interface AdmitInput {
  keyId: string;
  limits: KeyLimits;
  /**
   * Tokens charged now against tpm and the budget, reconciled to the actual count at release. The prompt
   * tokens; add max_tokens for a budget that must never be overshot by one request.
   */
  estimatedTokens: number;
}

export type LimitKind = "rpm" | "tpm" | "concurrency" | "budget";

export interface Denial {
  ok: false;
  code: "rate_limit_exceeded" | "insufficient_quota";
  /** Seconds until a retry can succeed; undefined when waiting will not help (a "total" budget spent). */
  retryAfterSeconds: number | undefined;
  /** Safe to show the client: names the limit, never a secret. */
  message: string;
  limit: LimitKind;
}

/** An admitted request's hold on its key's limits. */
export interface Lease {
  /**
   * Frees the concurrency slot and reconciles tpm and budget to the tokens actually used (prompt +
   * completion; defaults to the estimate). Call exactly once, when the response is over; later calls are
   * ignored. Never throws.
   */
  release(actualTokens?: number): Promise<void>;
}

export type Admission = { ok: true; lease: Lease } | Denial;

/** The tokens a key used from `sinceMs` on, from the usage table: restores budgets after a restart. */
export type BudgetSeed = (keyId: string, sinceMs: number) => Promise<number>;

export interface LimiterStats {
  admitted: number;
  denied: number;
  /** Backend failures (Redis unreachable or slow); what happened then depends on the fail mode. */
  errors: number;
}

export interface Limiter {
  admit(input: AdmitInput): Promise<Admission>;
  stats(): LimiterStats;
  close(): Promise<void>;
}

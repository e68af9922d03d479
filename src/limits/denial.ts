// Denials, built the same way by every limiter so clients see one wording.
import type { Denial, KeyLimits, LimitKind } from "./types.js";

export function deny(limit: LimitKind, limits: KeyLimits, retryAfterMs: number | undefined): Denial {
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000));
  const retry = retryAfterSeconds === undefined ? "" : ` Retry after ${retryAfterSeconds} s.`;
  switch (limit) {
    case "rpm":
      return { ok: false, code: "rate_limit_exceeded", limit, retryAfterSeconds, message: `Rate limit reached: this key allows ${limits.rpm} requests per minute.${retry}` };
    case "tpm":
      return { ok: false, code: "rate_limit_exceeded", limit, retryAfterSeconds, message: `Rate limit reached: this key allows ${limits.tpm} tokens per minute.${retry}` };
    case "concurrency":
      return {
        ok: false,
        code: "rate_limit_exceeded",
        limit,
        retryAfterSeconds,
        message: `Too many concurrent requests: this key allows ${limits.max_concurrent} at a time.${retry}`,
      };
    case "budget": {
      const period = limits.budget_period === "total" ? "in total" : `per ${limits.budget_period}`;
      const when = retryAfterSeconds === undefined ? " Ask an administrator for a larger budget." : ` It renews in ${retryAfterSeconds} s.`;
      return { ok: false, code: "insufficient_quota", limit, retryAfterSeconds, message: `Token budget spent: this key may use ${limits.budget_tokens} tokens ${period}.${when}` };
    }
  }
}

/** A lease with nothing to give back: keys without limits skip all bookkeeping. */
const DONE: Promise<void> = Promise.resolve();
export const NO_LIMITS_LEASE = Object.freeze({ release: () => DONE });

/** Treats null, undefined and non-positive values as "no limit". */
export function limitOf(value: number | null | undefined): number {
  return value != null && value > 0 ? value : 0;
}

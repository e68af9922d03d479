export { createLimiter, type CreateLimiterOptions } from "./create-limiter.js";
export { MemoryLimiter, type MemoryLimiterOptions } from "./memory-limiter.js";
export { RedisLimiter, type RedisLimiterOptions } from "./redis-limiter.js";
export { BUDGET_PERIODS, periodEnd, periodStart, type BudgetPeriod } from "./budget-period.js";
export type * from "./types.js";

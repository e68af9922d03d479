// One entry point: Redis when the config names one (limits hold across replicas), memory otherwise.
import { MemoryLimiter } from "./memory-limiter.js";
import { RedisLimiter, type RedisLimiterOptions } from "./redis-limiter.js";
import type { BudgetSeed, Limiter } from "./types.js";

export interface CreateLimiterOptions extends Partial<Omit<RedisLimiterOptions, "url" | "seedBudget">> {
  redis?: string | undefined;
  seedBudget?: BudgetSeed;
}

export async function createLimiter(options: CreateLimiterOptions): Promise<Limiter> {
  const { redis, ...rest } = options;
  if (redis) return RedisLimiter.connect({ ...rest, url: redis });
  return new MemoryLimiter(options.seedBudget ? { seedBudget: options.seedBudget } : {});
}

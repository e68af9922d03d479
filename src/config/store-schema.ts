// Config for storage and limits: database, redis, retention, usage batching. Strict objects, defaults
// here; composed into the main config schema (schema.ts) by its owner.
import { z } from "zod";
import { parseDuration } from "../lib/duration.js";

export const databaseSchema = z
  .string()
  .refine(
    (v) => v === "sqlite" || v.startsWith("sqlite:") || /^postgres(ql)?:\/\//.test(v),
    'expected "sqlite" (a file in data_dir), "sqlite:<path>" or a postgres://user:pass@host:5432/db URL',
  )
  .default("sqlite");

export const redisSchema = z.string().regex(/^rediss?:\/\//, "expected a redis://host:port URL").optional();

/** Days may arrive as strings after `${ENV}` interpolation. */
const days = z.union([z.number(), z.string().regex(/^\d+$/, "expected a whole number of days").transform(Number)]).pipe(z.number().int().min(1).max(36_500));

export const retentionSchema = z
  .strictObject({
    /** Usage rows older than this are pruned. */
    usage_days: days.default(90),
    /** Audit records older than this are pruned (the chain stays verifiable through its anchor). */
    audit_days: days.default(365),
  })
  .prefault({});

const flushInterval = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined || ms < 10 || ms > 60_000) {
    ctx.addIssue({ code: "custom", message: `expected a duration between 10ms and 60s like "1s", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});

export const usageConfigSchema = z
  .strictObject({
    /** Record one usage row per request (billing, budgets seeded after a restart, `inhouse usage`). */
    enabled: z.boolean().default(true),
    /** How often buffered usage rows are written (ms after parsing): also what a crash can lose at most. */
    flush_interval: flushInterval.default(1000),
    /** Rows that trigger a write before the interval is up. */
    batch_size: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1).max(100_000)).default(500),
  })
  .prefault({});

/** The keys this file owns, for spreading into the main config's strictObject. */
export const storeConfigShape = {
  database: databaseSchema,
  redis: redisSchema,
  retention: retentionSchema,
  usage: usageConfigSchema,
};

export type RetentionConfig = z.output<typeof retentionSchema>;
export type UsageConfig = z.output<typeof usageConfigSchema>;

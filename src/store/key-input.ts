// What a caller may set on a new key: one schema for POST /admin/keys, `inhouse keys create` and the store.
import { z } from "zod";
import { BUDGET_PERIODS } from "../limits/budget-period.js";

const positiveInt = z.number().int().positive();

export const createKeyInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  models: z.array(z.string().min(1).max(200)).max(1000).nullish(),
  rpm: positiveInt.nullish(),
  tpm: positiveInt.nullish(),
  max_concurrent: positiveInt.nullish(),
  budget_tokens: positiveInt.nullish(),
  budget_period: z.enum(BUDGET_PERIODS).nullish(),
  /** ISO 8601 time, or a Date from code. */
  expires_at: z.union([z.iso.datetime({ offset: true }), z.date()]).nullish(),
  in_house_only: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export type CreateKeyInput = z.input<typeof createKeyInputSchema>;

// The embedded backend's config fields: `backends.<name>: { type: embedded, models, threads, ... }`.
// Validated once here; defaults that depend on the machine (threads, memory budget) are filled by the
// engine, which can measure the machine, so the parsed value keeps them undefined when not set.
import { z } from "zod";
import { parseDuration } from "../lib/duration.js";
import { parseSize } from "../lib/size.js";

const count = (min: number, max: number) =>
  z.union([z.number(), z.string().regex(/^\d+$/, "expected a whole number").transform(Number)]).pipe(z.number().int().min(min).max(max));

const keepAlive = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `expected a duration like "30s", "5m" or "1h", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});

const memory = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const bytes = parseSize(v);
  if (bytes === undefined || bytes <= 0) {
    ctx.addIssue({ code: "custom", message: `expected a size like "4gb" or "512mb", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return bytes;
});

export const loraAdapterSchema = z.strictObject({
  path: z.string().min(1, "a LoRA adapter needs the path of its .gguf file"),
  scale: z.number().min(-10).max(10).default(1),
});

/** A model entry: a source string, or a source with LoRA adapters applied on top. */
export const embeddedModelSchema = z
  .union([
    z.string().min(1),
    z.strictObject({
      source: z.string().min(1, "expected a .gguf path, hf: URI, https URL or catalog name"),
      lora: z.array(loraAdapterSchema).default([]),
    }),
  ])
  .transform((v) => (typeof v === "string" ? { source: v, lora: [] as { path: string; scale: number }[] } : v));

export const embeddedSettingsSchema = z.strictObject({
  models: z.record(z.string().regex(/^[^/\s]+$/, "model names may not contain '/' or spaces"), embeddedModelSchema).default({}),
  /** llama.cpp threads per context; default sized from the available cores. */
  threads: count(1, 1024).optional(),
  /** Tokens of context per slot. */
  context_size: count(64, 1_048_576).default(4096),
  /** Parallel sequences per loaded model. */
  slots: count(1, 256).default(4),
  /** Requests waiting for a slot beyond `slots`; more get 503. */
  max_queue: count(0, 100_000).default(64),
  /** How long an idle model stays loaded. */
  keep_alive: keepAlive.default(5 * 60_000),
  /** Bytes all loaded models may use; default: total memory minus 1 GiB. */
  memory_budget: memory.optional(),
  /** Download a missing model on first use. */
  pull: z.boolean().default(true),
});

export const embeddedBackendSchema = embeddedSettingsSchema.extend({
  type: z.literal("embedded"),
  in_house: z.boolean().optional(),
});

export type EmbeddedSettingsInput = z.input<typeof embeddedSettingsSchema>;
export type EmbeddedSettings = z.output<typeof embeddedSettingsSchema>;
export type EmbeddedBackendConfig = z.output<typeof embeddedBackendSchema>;

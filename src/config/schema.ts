// The config file's schema: one place for every key, its type and its default. Objects are strict, so an
// unknown key is an error that names it. Durations ("2s") and sizes ("10mb") are parsed here, once.
import { z } from "zod";
import { parseDuration } from "../lib/duration.js";
import { parseSize } from "../lib/size.js";
import { embeddedSettingsSchema } from "./embedded-schema.js";
import { policySchema } from "./policy-schema.js";
import { storeConfigShape } from "./store-schema.js";
import { telemetrySchema } from "./telemetry-schema.js";

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: `expected a duration like "500ms", "2s", "10m" or "1h", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});

const size = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const bytes = parseSize(v);
  if (bytes === undefined) {
    ctx.addIssue({ code: "custom", message: `expected a size like "512kb" or "10mb", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return bytes;
});

/** Integers may arrive as strings after `${ENV}` interpolation. */
const int = (min: number, max: number) =>
  z.union([z.number(), z.string().regex(/^\d+$/, "expected a whole number").transform(Number)]).pipe(z.number().int().min(min).max(max));

const bool = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const timeoutsSchema = z.strictObject({
  connect: duration.optional(),
  first_token: duration.optional(),
  idle: duration.optional(),
  total: duration.optional(),
});

const remoteBackendSchema = z.strictObject({
  type: z.enum(["openai", "ollama"]).optional(),
  preset: z.string().optional(),
  base_url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }).optional(),
  api_key: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  in_house: bool.optional(),
  timeouts: timeoutsSchema.optional(),
  retries: int(0, 10).optional(),
  max_concurrency: int(1, 100_000).optional(),
  max_queue: int(0, 1_000_000).optional(),
  max_connections: int(1, 10_000).optional(),
  /** Models this backend offers, listed by /v1/models and addressable by name without an alias. */
  models: z.array(z.string().min(1)).optional(),
  /** Overrides of the preset's vendor quirks (see providers/openai-compatible/quirks.ts), e.g. { thinkTags: open }. */
  quirks: z.record(z.string(), z.union([z.string(), z.boolean(), z.array(z.string())])).optional(),
});

/** In-process GGUF models (node-llama-cpp); fields from embedded-schema.ts plus what every backend has. */
const embeddedBackendSchema = embeddedSettingsSchema.extend({
  type: z.literal("embedded"),
  in_house: bool.optional(),
  timeouts: timeoutsSchema.optional(),
  retries: int(0, 10).optional(),
  max_concurrency: int(1, 100_000).optional(),
});

/** Chooses the schema by `type`, keeping each issue's path so errors name the exact key. */
const backendSchema = z.unknown().transform((value, ctx) => {
  const embedded = typeof value === "object" && value !== null && (value as { type?: unknown }).type === "embedded";
  const parsed = embedded ? embeddedBackendSchema.safeParse(value) : remoteBackendSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as z.core.$ZodRawIssue);
  return z.NEVER;
});

export type RemoteBackendConfig = z.output<typeof remoteBackendSchema>;
export type EmbeddedBackendConfig = z.output<typeof embeddedBackendSchema>;


const targetSchema = z.union([
  z.string().regex(/^[^/\s]+\/\S+$/, 'expected "backend/model"'),
  z.strictObject({ backend: z.string().min(1), model: z.string().min(1), weight: z.number().positive().optional() }),
]);

const aliasSchema = z.strictObject({
  targets: z.array(targetSchema).min(1, "an alias needs at least one target"),
  strategy: z.enum(["fallback", "round_robin", "weighted", "least_latency", "by_language"]).default("fallback"),
  retries: int(0, 10).optional(),
  by_language: z.record(z.string(), z.string()).optional(),
  from_eval: z.string().optional(),
});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: int(0, 65535).default(8484),
      body_limit: size.default(10 * 1024 * 1024),
      shutdown_grace: duration.default(30_000),
      /** Bound on reading a request (headers and body) from a client. */
      request_timeout: duration.default(60_000),
      /**
       * Requests with an unknown key one client address may send a minute; past it that address gets 429
       * (the admin key excepted) without a key lookup until the minute ends. 0 turns this off.
       */
      auth_failures_per_minute: int(0, 1_000_000).default(100),
    })
    .prefault({}),
  data_dir: z.string().min(1).default("./.inhouse"),
  ...storeConfigShape,
  admin_key: z.string().min(16, "an admin key needs at least 16 characters").optional(),
  log: z
    .strictObject({
      level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      /** Prompts and completions are never logged unless this is turned on. */
      prompts: bool.default(false),
    })
    .prefault({}),
  /** Without a backends section, one embedded backend named `local` serves catalog models. */
  backends: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, "backend names use letters, digits, _ . -"), backendSchema).prefault({ local: { type: "embedded" } }),
  models: z.record(z.string().min(1), aliasSchema).default({}),
  router: z
    .strictObject({
      timeouts: timeoutsSchema.optional(),
      retries: int(0, 10).default(2),
      /** Detect every chat request's language for the request record (by_language aliases always do). */
      detect_language: bool.default(false),
      circuit_breaker: z
        .strictObject({ failures: int(1, 1000).default(5), cooldown: duration.default(30_000) })
        .prefault({}),
    })
    .prefault({}),
  policy: policySchema.prefault({}),
  limits: z
    .strictObject({
      /** When Redis cannot answer: serve without limits (and count the error), or refuse with 429. */
      on_redis_error: z.enum(["allow", "deny"]).default("allow"),
    })
    .prefault({}),
  /** Traces over OTLP (telemetry-schema.ts); off unless otlp_endpoint is set. */
  telemetry: telemetrySchema.optional(),
});

export type RawConfig = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

// The admin API's answers as the console reads them. Where the gateway has a type without Node imports it
// is used directly (type-only imports vanish from the bundle), so the two cannot drift apart.
export type { StatsPoint, StatsSeries } from "../../src/telemetry/stats.js";
export type { AuditRecord, KeyRecord, UsageSummaryRow as UsageRow } from "../../src/store/types.js";
export type { PolicyTestResult } from "../../src/server/admin/policy-types.js";

export interface TargetView {
  target: string;
  backend: string;
  model: string;
  weight: number;
  in_house: boolean | null;
  breaker: "closed" | "open" | "half_open";
  in_flight: number;
  ttft_ewma_ms: number | null;
}

export interface CatalogView {
  name: string;
  display_name: string;
  family: string;
  publisher: string;
  origin: string;
  license: { id: string; name: string; commercial_use: boolean | string; url: string | null };
  parameters: { total: number; active: number };
  context_length: number | "unknown";
  capabilities: string[];
  languages: string[] | "unknown";
  gguf: { quantization: string; size_gb: number | null } | null;
  hosted_by: string[];
}

export interface ModelsView {
  aliases: { name: string; strategy: string; retries: number; targets: TargetView[] }[];
  backends: { name: string; type: string | null; preset: string | null; base_url: string | null; in_house: boolean | null; models: string[]; max_concurrency: number | null }[];
  catalog: CatalogView[];
  embedded: { backend: string; name: string; bytes: number; active: number; queued: number }[] | null;
}

export interface EvalCell {
  n: number;
  correct: number;
  accuracy: number;
  errors: number;
}

export interface EvalRunSummary {
  run_id: string;
  suite: string;
  started_at: string;
  finished_at: string;
  models: string[];
  langs: string[];
  items: number;
  by_model: Record<string, EvalCell & { latencyMs: { p50: number; p95: number }; tokens: { prompt: number; completion: number } }>;
  by_model_lang: Record<string, Record<string, EvalCell>>;
}

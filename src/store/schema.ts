// The database as Kysely sees it: one schema over SQLite and Postgres. Portable column choices keep the
// two dialects identical to the code above: times are integer milliseconds since the epoch, booleans are
// 0/1 integers, JSON is canonical text. Postgres bigints are parsed to numbers at the driver (connect.ts).
import type { Generated } from "kysely";

export interface KeysTable {
  id: string;
  name: string;
  /** sha256 hex of the secret: secrets are 190+ random bits, so a fast unsalted hash is enough. */
  hash: string;
  /** The first characters of the secret, shown in listings so a person can tell keys apart. */
  prefix: string;
  /** JSON array of model globs, or null for every model. */
  models: string | null;
  rpm: number | null;
  tpm: number | null;
  max_concurrent: number | null;
  budget_tokens: number | null;
  budget_period: string | null;
  expires_at: number | null;
  in_house_only: number;
  /** JSON object, or null. */
  metadata: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface UsageTable {
  id: Generated<number>;
  time: number;
  request_id: string;
  key_id: string | null;
  alias: string | null;
  backend: string | null;
  model: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms: number | null;
  ttft_ms: number | null;
  status: number;
  policy_action: string | null;
  attempts: number;
  language: string | null;
}

export interface AuditTable {
  seq: number;
  time: number;
  actor: string;
  action: string;
  subject: string | null;
  /** Canonical JSON (sorted keys), exactly the text the hash covers. */
  details: string;
  prev_hash: string;
  hash: string;
}

/** Small key/value facts about the store itself, e.g. the audit anchor left behind by pruning. */
export interface MetaTable {
  name: string;
  value: string;
}

/** A finished eval run; JSON columns hold arrays and the summary object. */
export interface EvalRunsTable {
  id: string;
  suite: string;
  started_at: number;
  finished_at: number;
  models: string;
  langs: string;
  summary: string;
  report_dir: string | null;
}

export interface Database {
  eval_runs: EvalRunsTable;
  keys: KeysTable;
  usage: UsageTable;
  audit: AuditTable;
  store_meta: MetaTable;
}

export type Dialect = "sqlite" | "postgres";

// The store's public records: what the admin API and CLI show, in their JSON shape (snake_case, ISO times).
import type { BudgetPeriod } from "../limits/budget-period.js";

export interface KeyRecord {
  id: string;
  name: string;
  /** The first characters of the secret, for display ("ih-AbCdE"). */
  prefix: string;
  /** Model globs the key may call (aliases or catalog names); null means every model. */
  models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  max_concurrent: number | null;
  budget_tokens: number | null;
  budget_period: BudgetPeriod | null;
  expires_at: string | null;
  in_house_only: boolean;
  metadata: Record<string, unknown> | null;
  created_at: string;
  revoked_at: string | null;
}

/** A freshly created key: the only time the secret is ever returned. */
export interface CreatedKey extends KeyRecord {
  key: string;
}

export type KeyLookup =
  | { ok: true; key: KeyRecord }
  | { ok: false; reason: "unknown" | "revoked" | "expired" };

/** One request's usage as the gateway reports it; `time` defaults to when it is recorded. */
export interface UsageInput {
  time?: number;
  request_id: string;
  key_id?: string | null;
  alias?: string | null;
  backend?: string | null;
  model?: string | null;
  prompt_tokens?: number;
  completion_tokens?: number;
  latency_ms?: number | null;
  ttft_ms?: number | null;
  status: number;
  policy_action?: string | null;
  attempts?: number;
  language?: string | null;
}

export type UsageGroupBy = "key" | "model" | "day";

export interface UsageSummaryQuery {
  group_by: UsageGroupBy;
  /** ISO time or ms since the epoch; inclusive. */
  since?: string | number;
  /** ISO time or ms since the epoch; exclusive. */
  until?: string | number;
  key_id?: string;
}

export interface UsageSummaryRow {
  key_id?: string | null;
  model?: string | null;
  /** YYYY-MM-DD (UTC). */
  day?: string;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
}

export interface UsageWriterStats {
  /** Rows waiting in memory for the next flush. */
  buffered: number;
  written: number;
  /** Rows discarded because the buffer was full (the database was down or too slow). */
  dropped: number;
  flushErrors: number;
  lastError: string | null;
}

export interface AuditInput {
  actor: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord {
  seq: number;
  time: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface AuditListQuery {
  since?: string | number;
  action?: string;
  /** Only records with a smaller seq: for paging backwards. */
  before_seq?: number;
  limit?: number;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq?: number;
  /** Why the chain broke at firstBadSeq. */
  reason?: string;
}

export interface PruneOptions {
  usageDays?: number;
  auditDays?: number;
  /** Rows deleted per statement, so a large prune never holds a lock for long. */
  batchSize?: number;
  now?: number;
}

export interface PruneResult {
  usageDeleted: number;
  auditDeleted: number;
}

// Conversion between the keys table and the KeyRecord the API shows.
import type { BudgetPeriod } from "../limits/budget-period.js";
import type { KeysTable } from "./schema.js";
import type { KeyRecord } from "./types.js";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function keyFromRow(row: KeysTable): KeyRecord {
  return Object.freeze({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    models: row.models === null ? null : Object.freeze(JSON.parse(row.models) as string[]),
    rpm: row.rpm,
    tpm: row.tpm,
    max_concurrent: row.max_concurrent,
    budget_tokens: row.budget_tokens,
    budget_period: row.budget_period as BudgetPeriod | null,
    expires_at: iso(row.expires_at),
    in_house_only: row.in_house_only === 1,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    created_at: new Date(row.created_at).toISOString(),
    revoked_at: iso(row.revoked_at),
  }) as KeyRecord;
}

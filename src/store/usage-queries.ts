// Usage read side: summaries for the admin API and the tokens a key used since a time (budgets).
import type { Kysely } from "kysely";
import { sql } from "./kysely.js";
import { GatewayError } from "../errors/index.js";
import type { Database } from "./schema.js";
import { toMs } from "./time-input.js";
import type { UsageSummaryQuery, UsageSummaryRow } from "./types.js";

const DAY_MS = 86_400_000;

export async function usageSummary(db: Kysely<Database>, query: UsageSummaryQuery): Promise<{ rows: UsageSummaryRow[] }> {
  let q = db.selectFrom("usage");
  if (query.since !== undefined) q = q.where("time", ">=", toMs(query.since, "since"));
  if (query.until !== undefined) q = q.where("time", "<", toMs(query.until, "until"));
  if (query.key_id !== undefined) q = q.where("key_id", "=", query.key_id);
  const totals = q.select((eb) => [
    eb.fn.countAll<number>().as("requests"),
    eb.fn.sum<number>("prompt_tokens").as("prompt_tokens"),
    eb.fn.sum<number>("completion_tokens").as("completion_tokens"),
  ]);
  const num = (v: number | string | null) => Number(v ?? 0);
  switch (query.group_by) {
    case "key": {
      const rows = await totals.select("key_id").groupBy("key_id").orderBy("key_id").execute();
      return { rows: rows.map((r) => ({ key_id: r.key_id, requests: num(r.requests), prompt_tokens: num(r.prompt_tokens), completion_tokens: num(r.completion_tokens) })) };
    }
    case "model": {
      const rows = await totals.select("model").groupBy("model").orderBy("model").execute();
      return { rows: rows.map((r) => ({ model: r.model, requests: num(r.requests), prompt_tokens: num(r.prompt_tokens), completion_tokens: num(r.completion_tokens) })) };
    }
    case "day": {
      // Integer division on both dialects (bigint / bigint in Postgres, INTEGER / INTEGER in SQLite).
      const dayNumber = sql<number>`time / ${sql.lit(DAY_MS)}`;
      const rows = await totals.select(dayNumber.as("day")).groupBy(dayNumber).orderBy(dayNumber).execute();
      return {
        rows: rows.map((r) => ({
          day: new Date(num(r.day) * DAY_MS).toISOString().slice(0, 10),
          requests: num(r.requests),
          prompt_tokens: num(r.prompt_tokens),
          completion_tokens: num(r.completion_tokens),
        })),
      };
    }
    default:
      throw new GatewayError("invalid_request", 'group_by must be "key", "model" or "day".', { param: "group_by" });
  }
}

/** Prompt plus completion tokens a key used from `sinceMs` on: what a budget counts. */
export async function tokensUsed(db: Kysely<Database>, keyId: string, sinceMs: number): Promise<number> {
  const row = await db
    .selectFrom("usage")
    .select((eb) => eb.fn.sum<number>(eb("prompt_tokens", "+", eb.ref("completion_tokens"))).as("tokens"))
    .where("key_id", "=", keyId)
    .where("time", ">=", sinceMs)
    .executeTakeFirst();
  return Number(row?.tokens ?? 0);
}

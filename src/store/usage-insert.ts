// The usage batch INSERT, compiled once per batch length and dialect instead of through the query
// builder: building a 1,000-row INSERT through Kysely's AST cost several times the driver's own time,
// and on SQLite all of it runs on the event loop the requests share.
import { CompiledQuery, type Kysely } from "kysely";
import type { Database, Dialect, UsageTable } from "./schema.js";

type Row = Omit<UsageTable, "id">;

const COLUMNS = [
  "time",
  "request_id",
  "key_id",
  "alias",
  "backend",
  "model",
  "prompt_tokens",
  "completion_tokens",
  "latency_ms",
  "ttft_ms",
  "status",
  "policy_action",
  "attempts",
  "language",
] as const satisfies readonly (keyof Row)[];

// Multi-row INSERTs stay under SQLite's 32,766 and Postgres's 65,535 bound parameters.
export const ROWS_PER_STATEMENT = 1000;

const cache = new Map<string, string>();

function statement(dialect: Dialect, rows: number): string {
  const cacheKey = `${dialect}:${rows}`;
  let text = cache.get(cacheKey);
  if (text) return text;
  let n = 0;
  const tuple = () => `(${COLUMNS.map(() => (dialect === "postgres" ? `$${++n}` : "?")).join(",")})`;
  text = `insert into usage (${COLUMNS.join(",")}) values ${Array.from({ length: rows }, tuple).join(",")}`;
  cache.set(cacheKey, text);
  return text;
}

export async function insertUsage(db: Kysely<Database>, dialect: Dialect, rows: readonly Row[]): Promise<void> {
  const params: unknown[] = new Array(rows.length * COLUMNS.length);
  let p = 0;
  for (const row of rows) for (const c of COLUMNS) params[p++] = row[c];
  await db.executeQuery(CompiledQuery.raw(statement(dialect, rows.length), params));
}

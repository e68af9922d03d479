// Migrations defined in code (not files read at runtime), so a bundled or packed build migrates the same.
// Each migration is append-only: never edit one that has shipped; add the next.
import type { Kysely, Migration, MigrationProvider } from "kysely";
import type { Dialect } from "./schema.js";

function migrations(dialect: Dialect): Record<string, Migration> {
  // 64-bit integers: SQLite's INTEGER already is; Postgres needs BIGINT for millisecond times.
  const int64 = dialect === "postgres" ? "bigint" : "integer";
  return {
    "0001_keys_usage_audit": {
      // Kysely<any> is what the Migrator hands in: migrations must not depend on today's Database type.
      async up(db: Kysely<any>): Promise<void> {
        await db.schema
          .createTable("keys")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("hash", "text", (c) => c.notNull().unique())
          .addColumn("prefix", "text", (c) => c.notNull())
          .addColumn("models", "text")
          .addColumn("rpm", "integer")
          .addColumn("tpm", int64)
          .addColumn("max_concurrent", "integer")
          .addColumn("budget_tokens", int64)
          .addColumn("budget_period", "text")
          .addColumn("expires_at", int64)
          .addColumn("in_house_only", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("metadata", "text")
          .addColumn("created_at", int64, (c) => c.notNull())
          .addColumn("revoked_at", int64)
          .execute();

        let usage = db.schema.createTable("usage");
        usage =
          dialect === "postgres"
            ? usage.addColumn("id", "bigserial", (c) => c.primaryKey())
            : usage.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
        await usage
          .addColumn("time", int64, (c) => c.notNull())
          .addColumn("request_id", "text", (c) => c.notNull())
          .addColumn("key_id", "text")
          .addColumn("alias", "text")
          .addColumn("backend", "text")
          .addColumn("model", "text")
          .addColumn("prompt_tokens", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("completion_tokens", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("latency_ms", "integer")
          .addColumn("ttft_ms", "integer")
          .addColumn("status", "integer", (c) => c.notNull())
          .addColumn("policy_action", "text")
          .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(1))
          .addColumn("language", "text")
          .execute();
        // Admin queries: summaries over a time range (by day/model), per-key summaries and budget sums
        // (key_id + time range), and retention (time).
        await db.schema.createIndex("usage_time").on("usage").column("time").execute();
        await db.schema.createIndex("usage_key_time").on("usage").columns(["key_id", "time"]).execute();

        await db.schema
          .createTable("audit")
          .addColumn("seq", int64, (c) => c.primaryKey())
          .addColumn("time", int64, (c) => c.notNull())
          .addColumn("actor", "text", (c) => c.notNull())
          .addColumn("action", "text", (c) => c.notNull())
          .addColumn("subject", "text")
          .addColumn("details", "text", (c) => c.notNull())
          .addColumn("prev_hash", "text", (c) => c.notNull())
          .addColumn("hash", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("audit_time").on("audit").column("time").execute();
        await db.schema.createIndex("audit_action_seq").on("audit").columns(["action", "seq"]).execute();

        await db.schema
          .createTable("store_meta")
          .addColumn("name", "text", (c) => c.primaryKey())
          .addColumn("value", "text", (c) => c.notNull())
          .execute();
      },
    },
    "0002_eval_runs": {
      // One row per finished `inhouse eval` run: the summary (accuracy by model x language) for the
      // console and for comparisons; the full per-item results stay in the report directory.
      async up(db: Kysely<any>): Promise<void> {
        await db.schema
          .createTable("eval_runs")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("suite", "text", (c) => c.notNull())
          .addColumn("started_at", int64, (c) => c.notNull())
          .addColumn("finished_at", int64, (c) => c.notNull())
          .addColumn("models", "text", (c) => c.notNull())
          .addColumn("langs", "text", (c) => c.notNull())
          .addColumn("summary", "text", (c) => c.notNull())
          .addColumn("report_dir", "text")
          .execute();
        await db.schema.createIndex("eval_runs_started").on("eval_runs").column("started_at").execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}

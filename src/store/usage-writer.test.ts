import { test } from "node:test";
import assert from "node:assert/strict";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { migrationProvider } from "./migrations.js";
import type { Database } from "./schema.js";
import { sqliteUsageInserter, type InsertUsage } from "./usage-insert.js";
import { UsageWriter } from "./usage-writer.js";

function memoryDb(): { db: Kysely<Database>; insert: InsertUsage } {
  const handle = new SQLite(":memory:");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return { db, insert: sqliteUsageInserter(db, handle) };
}

test("while the database refuses, rows stay buffered up to the bound and the excess is counted", async () => {
  const { db, insert } = memoryDb(); // no migrations yet: the usage table is missing, every flush fails
  const writer = new UsageWriter(insert, { flushIntervalMs: 60_000, batchSize: 1_000_000, maxBuffered: 5 });
  for (let i = 0; i < 3; i++) writer.record({ request_id: `r${i}`, status: 200 });
  await assert.rejects(writer.flush(), /no such table/);
  for (let i = 3; i < 8; i++) writer.record({ request_id: `r${i}`, status: 200 });
  const stats = writer.stats();
  assert.equal(stats.buffered, 5);
  assert.equal(stats.dropped, 3);
  assert.equal(stats.flushErrors, 1);
  assert.match(stats.lastError ?? "", /no such table/);

  // The database comes back: the buffered rows are written, oldest first, none twice.
  await new Migrator({ db, provider: migrationProvider("sqlite") }).migrateToLatest();
  await writer.close();
  const rows = await db.selectFrom("usage").select("request_id").orderBy("id").execute();
  assert.deepEqual(rows.map((r) => r.request_id), ["r0", "r1", "r2", "r3", "r4"]);
  assert.equal(writer.stats().written, 5);
  await db.destroy();
});

test("record() defaults the optional fields and rounds timings", async () => {
  const { db, insert } = memoryDb();
  await new Migrator({ db, provider: migrationProvider("sqlite") }).migrateToLatest();
  const writer = new UsageWriter(insert, { flushIntervalMs: 60_000 });
  const before = Date.now();
  writer.record({ request_id: "r", status: 429, latency_ms: 12.6 });
  await writer.close();
  const row = await db.selectFrom("usage").selectAll().executeTakeFirstOrThrow();
  assert.ok(row.time >= before && row.time <= Date.now());
  assert.equal(row.latency_ms, 13);
  assert.equal(row.prompt_tokens, 0);
  assert.equal(row.attempts, 1);
  assert.equal(row.key_id, null);
  await db.destroy();
});

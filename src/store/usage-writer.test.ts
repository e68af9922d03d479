import { test } from "node:test";
import assert from "node:assert/strict";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "./kysely.js";
import { migrationProvider } from "./migrations.js";
import type { Database } from "./schema.js";
import { sqliteUsageInserter, type InsertUsage } from "./usage-insert.js";
import { UsageWriter } from "./usage-writer.js";

function memoryDb(chunkRows?: number): { db: Kysely<Database>; handle: SQLite.Database; insert: InsertUsage } {
  const handle = new SQLite(":memory:");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return { db, handle, insert: sqliteUsageInserter(db, handle, chunkRows) };
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

test("a batch is one transaction written in chunks: the event loop runs between chunks, a failure anywhere keeps every row", async () => {
  const { db, handle, insert } = memoryDb(4);
  await new Migrator({ db, provider: migrationProvider("sqlite") }).migrateToLatest();
  const writer = new UsageWriter(insert, { flushIntervalMs: 60_000, batchSize: 1_000_000 });
  // The database refuses the ninth row, in the third chunk, after two chunks went in.
  handle.exec(`create trigger refuse before insert on usage when new.request_id = 'r8' begin select raise(abort, 'disk full'); end`);
  let ticksBetween = 0;
  let ticking = true;
  let countedMidway = -1;
  const tick = () => {
    if (!ticking) return;
    ticksBetween++;
    setImmediate(tick);
  };
  for (let i = 0; i < 10; i++) writer.record({ request_id: `r${i}`, status: 200 });
  setImmediate(tick);
  const flushed = writer.flush();
  // While the batch is open, another query on Kysely's connection waits for it instead of running inside it.
  const midway = db
    .selectFrom("usage")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow()
    .then((r) => (countedMidway = Number(r.n)));
  await assert.rejects(flushed, /disk full/);
  await midway;
  ticking = false;
  assert.ok(ticksBetween >= 2, `other work ran between chunks (${ticksBetween} turns)`);
  assert.equal(countedMidway, 0, "the waiting query ran after the rollback, not inside the transaction");
  assert.equal(handle.inTransaction, false);
  assert.equal(writer.stats().written, 0, "nothing of the failed batch counts as written");
  assert.equal(writer.stats().buffered, 10, "every row of the failed batch is kept");
  const none = await db.selectFrom("usage").select("request_id").execute();
  assert.deepEqual(none, [], "no half-written batch");

  handle.exec("drop trigger refuse");
  writer.record({ request_id: "r10", status: 200 });
  await writer.close();
  const rows = await db.selectFrom("usage").select("request_id").orderBy("id").execute();
  assert.deepEqual(rows.map((r) => r.request_id), Array.from({ length: 11 }, (_, i) => `r${i}`), "every row once, in order");
  assert.equal(writer.stats().written, 11);
  await db.destroy();
});

test("every column lands where it belongs, in 16-row statements and in the single-row rest", async () => {
  const { db, insert } = memoryDb();
  await new Migrator({ db, provider: migrationProvider("sqlite") }).migrateToLatest();
  const writer = new UsageWriter(insert, { flushIntervalMs: 60_000 });
  // 37 rows: two 16-row statements and five single rows; every value differs from row to row and column to column.
  const inputs = Array.from({ length: 37 }, (_, i) => ({
    time: 1_700_000_000_000 + i,
    request_id: `req${i}`,
    key_id: i % 3 ? `key${i}` : null,
    alias: `alias${i}`,
    backend: `backend${i}`,
    model: `model${i}`,
    prompt_tokens: 1000 + i,
    completion_tokens: 2000 + i,
    latency_ms: 3000 + i,
    ttft_ms: i % 2 ? 4000 + i : null,
    status: 200 + i,
    policy_action: i % 4 ? `action${i}` : null,
    attempts: 1 + (i % 5),
    language: `l${i}`,
  }));
  for (const input of inputs) writer.record(input);
  await writer.close();
  const rows = await db.selectFrom("usage").select(["time", "request_id", "key_id", "alias", "backend", "model", "prompt_tokens", "completion_tokens", "latency_ms", "ttft_ms", "status", "policy_action", "attempts", "language"]).orderBy("id").execute();
  assert.deepEqual(rows, inputs);
  await db.destroy();
});

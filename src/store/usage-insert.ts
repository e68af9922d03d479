// Writing a batch of usage rows in one transaction, the fastest way each driver offers. Both skip the
// query builder: building a 1,000-row INSERT through Kysely's AST cost several times the driver's own time.
// - Postgres: multi-row INSERTs (1,000 rows each) with the statement text cached per batch length.
// - SQLite: cached prepared 16-row statements inside one transaction per batch, on the raw better-sqlite3
//   handle while Kysely's connection lock is held (so no Kysely transaction interleaves); better-sqlite3 is
//   synchronous, so the batch goes in chunks with the event loop free between them. Short statements: a
//   1,000-row statement was slower than single-row ones.
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Kysely } from "kysely";
import { CompiledQuery } from "./kysely.js";
import type SQLite from "better-sqlite3";
import type { Database, UsageTable } from "./schema.js";

export type UsageRow = Omit<UsageTable, "id">;
export type InsertUsage = (rows: readonly UsageRow[]) => Promise<void>;

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
] as const satisfies readonly (keyof UsageRow)[];

// Under Postgres's 65,535 bound parameters per statement.
const ROWS_PER_STATEMENT = 1000;

export function postgresUsageInserter(db: Kysely<Database>): InsertUsage {
  const texts = new Map<number, string>();
  const text = (rows: number) => {
    let t = texts.get(rows);
    if (!t) {
      let n = 0;
      const tuple = () => `(${COLUMNS.map(() => `$${++n}`).join(",")})`;
      t = `insert into usage (${COLUMNS.join(",")}) values ${Array.from({ length: rows }, tuple).join(",")}`;
      texts.set(rows, t);
    }
    return t;
  };
  return async (rows) => {
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        const params: unknown[] = [];
        for (const row of chunk) for (const c of COLUMNS) params.push(row[c]);
        await tx.executeQuery(CompiledQuery.raw(text(chunk.length), params));
      }
    });
  };
}

/** Rows per SQLite INSERT statement: one statement (one VDBE run, one bind call) writes this many rows. */
const SQLITE_ROWS_PER_STATEMENT = 16;

/**
 * Rows written between two turns of the event loop. better-sqlite3 is synchronous: a 500-row batch held the
 * loop for 1.6–4.2 ms in one piece (measured, warm), which requests arriving meanwhile waited out; 64 rows at
 * a time kept the longest delay at 0.5–0.8 ms.
 */
const SQLITE_CHUNK_ROWS = 64;

/**
 * One transaction per batch, written SQLITE_CHUNK_ROWS at a time with the event loop free between chunks.
 * A transaction per chunk (as before) committed ~8 times per 500-row batch, and each commit wrote the same
 * half-filled table and index pages to the WAL again. Measured through the UsageWriter, 40,000 rows in
 * 500-row batches after 10,000 of warm-up, three alternated pairs: CPU 8.3 / 9.2 / 8.8 µs a row with a
 * transaction per chunk, 7.3 / 4.1 / 7.5 with one per batch (system time 1.7–2.2 → 0.9 µs: fewer WAL
 * writes); wall time 10.1–11.6 → 4.9–8.7 µs (fewer checkpoints, whose fsyncs run on the event loop).
 * All or nothing: a failure anywhere rolls the batch back and the writer keeps every row of it buffered.
 * Kysely's single SQLite connection stays held (so no audit append or key lookup runs inside this
 * transaction, and none is started while it is open); they wait for the batch, a few ms.
 */
export function sqliteUsageInserter(db: Kysely<Database>, handle: SQLite.Database, chunkRows = SQLITE_CHUNK_ROWS): InsertUsage {
  let statements: SqliteUsageStatements | undefined;
  return async (rows) => {
    await db.connection().execute(async () => {
      statements ??= prepareSqliteInsert(handle);
      const s = statements;
      s.begin.run();
      try {
        for (let at = 0; at < rows.length; at += chunkRows) {
          // Requests run between chunks (rows they record go into the writer's next batch).
          if (at > 0) await nextTurn();
          s.insert(rows, at, Math.min(rows.length, at + chunkRows));
        }
        s.commit.run();
      } catch (err) {
        if (handle.inTransaction) s.rollback.run();
        throw err;
      }
    });
  };
}

interface SqliteUsageStatements {
  begin: SQLite.Statement;
  commit: SQLite.Statement;
  rollback: SQLite.Statement;
  /** Inserts rows[from..to): 16 to a statement, the rest one by one. */
  insert(rows: readonly UsageRow[], from: number, to: number): void;
}

/**
 * Measured (WAL, synchronous NORMAL, the usage table with its two indexes, 64-row transactions, quiet
 * machine): 10.8 µs of CPU a row with a single-row statement, 6.2 µs with 16 rows a statement (64 rows a
 * statement: 6.3 µs).
 */
function prepareSqliteInsert(handle: SQLite.Database): SqliteUsageStatements {
  const tuple = `(${COLUMNS.map(() => "?").join(",")})`;
  const sql = (n: number) => `insert into usage (${COLUMNS.join(",")}) values ${Array.from({ length: n }, () => tuple).join(",")}`;
  const wide = handle.prepare(sql(SQLITE_ROWS_PER_STATEMENT));
  const one = handle.prepare(sql(1));
  const wideParams: unknown[] = new Array(SQLITE_ROWS_PER_STATEMENT * COLUMNS.length);
  const oneParams: unknown[] = new Array(COLUMNS.length);
  return {
    begin: handle.prepare("begin"),
    commit: handle.prepare("commit"),
    rollback: handle.prepare("rollback"),
    insert(rows, from, to) {
      let i = from;
      for (; i + SQLITE_ROWS_PER_STATEMENT <= to; i += SQLITE_ROWS_PER_STATEMENT) {
        for (let k = 0; k < SQLITE_ROWS_PER_STATEMENT; k++) putRow(rows[i + k]!, wideParams, k * COLUMNS.length);
        wide.run(wideParams);
      }
      for (; i < to; i++) {
        putRow(rows[i]!, oneParams, 0);
        one.run(oneParams);
      }
    },
  };
}

/** A row's values in COLUMNS order, written into `out` from `at` on (no per-row allocation). */
function putRow(r: UsageRow, out: unknown[], at: number): void {
  for (let c = 0; c < COLUMNS.length; c++) out[at + c] = r[COLUMNS[c]!];
}

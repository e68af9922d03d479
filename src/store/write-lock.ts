// One writer at a time across every process sharing the database, for writes that read-then-write (the
// audit chain). Postgres: a transaction-scoped advisory lock. SQLite: BEGIN IMMEDIATE takes the write
// lock up front, so two processes never both read the old head and then collide (a deferred transaction
// that upgrades fails with SQLITE_BUSY without waiting).
import type { Kysely } from "kysely";
import { sql } from "./kysely.js";
import type { Database, Dialect } from "./schema.js";

/** Advisory lock ids: "inhouse" in ASCII plus a small number per purpose. */
export const AUDIT_LOCK_ID = 0x696e686f757365n * 16n + 1n;

export async function withWriteLock<T>(
  db: Kysely<Database>,
  dialect: Dialect,
  lockId: bigint,
  fn: (tx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (dialect === "postgres") {
    return db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${sql.lit(lockId.toString())}::bigint)`.execute(tx);
      return fn(tx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

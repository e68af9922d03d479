// Retention: delete usage and audit rows older than their retention, a bounded batch per statement so a
// large backlog never holds the write lock for long. Audit pruning moves the chain's anchor forward to
// the last pruned record, so verify() still checks every record that remains.
import type { Kysely } from "kysely";
import { AUDIT_ANCHOR } from "./audit.js";
import type { Database, Dialect } from "./schema.js";
import type { PruneOptions, PruneResult } from "./types.js";
import { AUDIT_LOCK_ID, withWriteLock } from "./write-lock.js";

const DAY_MS = 86_400_000;

export async function prune(db: Kysely<Database>, dialect: Dialect, options: PruneOptions): Promise<PruneResult> {
  const now = options.now ?? Date.now();
  const batch = options.batchSize ?? 5000;
  let usageDeleted = 0;
  let auditDeleted = 0;
  if (options.usageDays !== undefined) {
    const cutoff = now - options.usageDays * DAY_MS;
    for (;;) {
      const ids = db.selectFrom("usage").select("id").where("time", "<", cutoff).orderBy("id").limit(batch);
      const result = await db.deleteFrom("usage").where("id", "in", ids).executeTakeFirst();
      const n = Number(result.numDeletedRows);
      usageDeleted += n;
      if (n < batch) break;
    }
  }
  if (options.auditDays !== undefined) {
    const cutoff = now - options.auditDays * DAY_MS;
    for (;;) {
      const n = await withWriteLock(db, dialect, AUDIT_LOCK_ID, (tx) => pruneAuditBatch(tx, cutoff, batch));
      auditDeleted += n;
      if (n < batch) break;
    }
  }
  return { usageDeleted, auditDeleted };
}

/** Deletes up to `batch` of the oldest records older than the cutoff, in seq order, and moves the anchor. */
async function pruneAuditBatch(tx: Kysely<Database>, cutoff: number, batch: number): Promise<number> {
  // Stop at the first record that is still young: clocks of two replicas may disagree slightly, and the
  // chain must lose only a prefix.
  const rows = await tx.selectFrom("audit").select(["seq", "hash", "time"]).orderBy("seq").limit(batch).execute();
  let last: { seq: number; hash: string } | undefined;
  for (const row of rows) {
    if (row.time >= cutoff) break;
    last = row;
  }
  if (last === undefined) return 0;
  const value = JSON.stringify({ seq: last.seq, hash: last.hash });
  await tx
    .insertInto("store_meta")
    .values({ name: AUDIT_ANCHOR, value })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value }))
    .execute();
  const result = await tx.deleteFrom("audit").where("seq", "<=", last.seq).executeTakeFirst();
  return Number(result.numDeletedRows);
}

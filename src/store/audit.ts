// The audit log: append-only records chained by hash, verified end to end, pruned without breaking the
// chain (the last pruned record's seq and hash stay behind as the anchor).
import type { Kysely } from "kysely";
import { auditHash, GENESIS_HASH } from "./audit-hash.js";
import { canonicalJson } from "./canonical-json.js";
import { toMs } from "./time-input.js";
import type { AuditTable, Database, Dialect } from "./schema.js";
import type { AuditInput, AuditListQuery, AuditRecord, AuditVerifyResult } from "./types.js";
import { AUDIT_LOCK_ID, withWriteLock } from "./write-lock.js";

export const AUDIT_ANCHOR = "audit_anchor";
const VERIFY_PAGE = 1000;

export interface AuditAnchor {
  seq: number;
  hash: string;
}

interface Pending {
  input: AuditInput;
  time: number;
  resolve: (record: AuditRecord) => void;
  reject: (err: unknown) => void;
}

function toRecord(row: AuditTable): AuditRecord {
  return {
    seq: row.seq,
    time: new Date(row.time).toISOString(),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

export async function readAnchor(db: Kysely<Database>): Promise<AuditAnchor | undefined> {
  const row = await db.selectFrom("store_meta").select("value").where("name", "=", AUDIT_ANCHOR).executeTakeFirst();
  return row && (JSON.parse(row.value) as AuditAnchor);
}

export class AuditLog {
  // Group commit: appends that arrive while a write is in flight go together in the next transaction,
  // so policy events under load cost one locked transaction per batch, not one per record.
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Resolves once the record is committed, with its seq and hash. */
  append(input: AuditInput): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, time: this.clock(), resolve, reject });
      if (this.writing === null) this.writing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const records = await withWriteLock(this.db, this.dialect, AUDIT_LOCK_ID, (tx) => this.writeBatch(tx, batch));
        batch.forEach((p, i) => p.resolve(records[i]!));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.writing = null;
  }

  private async writeBatch(tx: Kysely<Database>, batch: Pending[]): Promise<AuditRecord[]> {
    const head = await tx.selectFrom("audit").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
    let prev = head ?? (await readAnchor(tx)) ?? { seq: 0, hash: GENESIS_HASH };
    const rows: AuditTable[] = [];
    for (const p of batch) {
      const details = JSON.parse(canonicalJson(p.input.details ?? {})) as Record<string, unknown>;
      const content = { seq: prev.seq + 1, time: p.time, actor: p.input.actor, action: p.input.action, subject: p.input.subject ?? null, details };
      const hash = auditHash(prev.hash, content);
      rows.push({ ...content, details: canonicalJson(details), prev_hash: prev.hash, hash });
      prev = { seq: content.seq, hash };
    }
    await tx.insertInto("audit").values(rows).execute();
    return rows.map(toRecord);
  }

  /** Newest first. */
  async list(query: AuditListQuery = {}): Promise<AuditRecord[]> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    let q = this.db.selectFrom("audit").selectAll().orderBy("seq", "desc").limit(limit);
    if (query.since !== undefined) q = q.where("time", ">=", toMs(query.since, "since"));
    if (query.action !== undefined) q = q.where("action", "=", query.action);
    if (query.before_seq !== undefined) q = q.where("seq", "<", query.before_seq);
    return (await q.execute()).map(toRecord);
  }

  /** Walks the chain from the anchor (or genesis) to the head, recomputing every hash. */
  async verify(): Promise<AuditVerifyResult> {
    const anchor = (await readAnchor(this.db)) ?? { seq: 0, hash: GENESIS_HASH };
    let prev = anchor;
    let checked = 0;
    for (;;) {
      const rows = await this.db.selectFrom("audit").selectAll().where("seq", ">", prev.seq).orderBy("seq").limit(VERIFY_PAGE).execute();
      for (const row of rows) {
        const bad = (reason: string): AuditVerifyResult => ({ ok: false, checked, firstBadSeq: row.seq, reason });
        if (row.seq !== prev.seq + 1) return bad(`expected seq ${prev.seq + 1}: records are missing`);
        if (row.prev_hash !== prev.hash) return bad("prev_hash does not match the previous record");
        let details: unknown;
        try {
          details = JSON.parse(row.details);
        } catch {
          return bad("details are not valid JSON");
        }
        if (auditHash(prev.hash, { ...row, details }) !== row.hash) return bad("hash does not match the record's content");
        prev = { seq: row.seq, hash: row.hash };
        checked++;
      }
      if (rows.length < VERIFY_PAGE) break;
    }
    // Rows below the anchor mean someone re-inserted pruned history or moved the anchor.
    const stray = await this.db.selectFrom("audit").select("seq").where("seq", "<=", anchor.seq).limit(1).executeTakeFirst();
    if (stray) return { ok: false, checked, firstBadSeq: stray.seq, reason: "record at or below the prune anchor" };
    return { ok: true, checked };
  }

  /** Resolves when every append made so far is committed (or failed). */
  async settle(): Promise<void> {
    while (this.writing) await this.writing;
  }
}

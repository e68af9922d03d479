// openStore: connect, migrate to the latest schema, and hand back the store's parts. Every replica may
// call it at once: Kysely's migrator takes an advisory lock on Postgres.
import type { Kysely } from "kysely";
import { Migrator } from "./kysely.js";
import { AuditLog } from "./audit.js";
import { connect, type ConnectOptions } from "./connect.js";
import type { CreateKeyInput } from "./key-input.js";
import { KeyRepo } from "./keys.js";
import { migrationProvider } from "./migrations.js";
import { prune } from "./prune.js";
import type { Database, Dialect } from "./schema.js";
import type { CreatedKey, KeyLookup, KeyRecord, PruneOptions, PruneResult, UsageSummaryQuery, UsageSummaryRow } from "./types.js";
import { tokensUsed, usageSummary } from "./usage-queries.js";
import { UsageWriter, type UsageWriterOptions } from "./usage-writer.js";

export interface StoreOptions extends ConnectOptions {
  usage?: UsageWriterOptions;
  /** How long key lookups are cached (default KEY_CACHE_TTL_MS): the bound on cross-replica revocation. */
  keyCacheTtlMs?: number;
  /** The audit log's clock (tests age records with it). */
  clock?: () => number;
}

export interface Store {
  readonly dialect: Dialect;
  readonly location: string;
  /** For tables added later (eval); the rest of the store's API is below. */
  readonly db: Kysely<Database>;
  createKey(input: CreateKeyInput, actor?: string): Promise<CreatedKey>;
  listKeys(options?: { includeRevoked?: boolean }): Promise<KeyRecord[]>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  revokeKey(id: string, actor?: string): Promise<KeyRecord | undefined>;
  findKeyBySecret(secret: string): Promise<KeyLookup>;
  readonly usage: UsageWriter;
  usageSummary(query: UsageSummaryQuery): Promise<{ rows: UsageSummaryRow[] }>;
  /** Tokens (prompt + completion) a key used from sinceMs on, as flushed to the database. */
  tokensUsed(keyId: string, sinceMs: number): Promise<number>;
  readonly audit: AuditLog;
  prune(options: PruneOptions): Promise<PruneResult>;
  /** Flushes usage, waits for audit appends, closes the connection. */
  close(): Promise<void>;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const { db, dialect, location, insertUsage } = await connect(options);
  try {
    const { error, results } = await new Migrator({
      db,
      provider: migrationProvider(dialect),
      // Kysely looks for its own tables in every schema; naming ours keeps parallel schemas apart.
      ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
    }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === "Error")?.migrationName;
      throw new Error(`database migration ${failed ?? ""} failed on ${location}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const audit = new AuditLog(db, dialect, options.clock);
  const keys = new KeyRepo(db, audit, options.keyCacheTtlMs === undefined ? {} : { cacheTtlMs: options.keyCacheTtlMs });
  const usage = new UsageWriter(insertUsage, options.usage);
  return {
    dialect,
    location,
    db,
    createKey: (input, actor) => keys.create(input, actor),
    listKeys: (o) => keys.list(o),
    getKey: (id) => keys.get(id),
    revokeKey: (id, actor) => keys.revoke(id, actor),
    findKeyBySecret: (secret) => keys.findBySecret(secret),
    usage,
    usageSummary: (query) => usageSummary(db, query),
    tokensUsed: (keyId, sinceMs) => tokensUsed(db, keyId, sinceMs),
    audit,
    prune: (o) => prune(db, dialect, o),
    async close() {
      try {
        await usage.close();
        await audit.settle();
      } finally {
        await db.destroy();
      }
    },
  };
}

// Virtual keys: create (secret shown once), list, revoke, and the hot-path lookup by secret.
import type { Kysely } from "kysely";
import { GatewayError } from "../errors/index.js";
import type { AuditLog } from "./audit.js";
import { createKeyInputSchema, type CreateKeyInput } from "./key-input.js";
import { TtlCache } from "../lib/ttl-cache.js";
import { keyFromRow } from "./key-row.js";
import { displayPrefix, generateKeyId, generateSecret, hashSecret, looksLikeSecret } from "./key-secret.js";
import type { Database, KeysTable } from "./schema.js";
import type { CreatedKey, KeyLookup, KeyRecord } from "./types.js";

/**
 * How long a cached lookup is trusted. A key revoked on another replica stops working here within this
 * time; on the replica that revoked it, at once. Expiry is checked on every call, so it is exact.
 */
export const KEY_CACHE_TTL_MS = 5_000;
const KEY_CACHE_MAX_ENTRIES = 50_000;

interface Cached {
  lookup: KeyLookup;
  expiresAtMs: number | null;
}

const UNKNOWN: KeyLookup = Object.freeze({ ok: false, reason: "unknown" });
const REVOKED: KeyLookup = Object.freeze({ ok: false, reason: "revoked" });
const EXPIRED: KeyLookup = Object.freeze({ ok: false, reason: "expired" });

export interface KeyRepoOptions {
  cacheTtlMs?: number;
}

export class KeyRepo {
  private readonly cache: TtlCache<Cached>;
  // Concurrent misses for one secret share one query.
  private readonly inflight = new Map<string, Promise<Cached>>();
  // Bumped by every revocation: a lookup that started before it must not cache what it read.
  private generation = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    options: KeyRepoOptions = {},
  ) {
    this.cache = new TtlCache(options.cacheTtlMs ?? KEY_CACHE_TTL_MS, KEY_CACHE_MAX_ENTRIES);
  }

  async create(input: CreateKeyInput, actor = "admin"): Promise<CreatedKey> {
    const parsed = createKeyInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = issue?.path.join(".") || null;
      throw new GatewayError("invalid_request", `Invalid key settings: ${param ? `${param}: ` : ""}${issue?.message ?? "invalid"}`, { param });
    }
    const v = parsed.data;
    if ((v.budget_tokens == null) !== (v.budget_period == null)) {
      throw new GatewayError("invalid_request", "budget_tokens and budget_period go together: set both or neither.", {
        param: v.budget_tokens == null ? "budget_tokens" : "budget_period",
      });
    }
    const secret = generateSecret();
    const expires = v.expires_at == null ? null : new Date(v.expires_at).getTime();
    const row: KeysTable = {
      id: generateKeyId(),
      name: v.name,
      hash: hashSecret(secret),
      prefix: displayPrefix(secret),
      models: v.models == null ? null : JSON.stringify(v.models),
      rpm: v.rpm ?? null,
      tpm: v.tpm ?? null,
      max_concurrent: v.max_concurrent ?? null,
      budget_tokens: v.budget_tokens ?? null,
      budget_period: v.budget_period ?? null,
      expires_at: expires,
      in_house_only: v.in_house_only ? 1 : 0,
      metadata: v.metadata == null ? null : JSON.stringify(v.metadata),
      created_at: Date.now(),
      revoked_at: null,
    };
    await this.db.insertInto("keys").values(row).execute();
    await this.audit.append({ actor, action: "key.create", subject: row.id, details: { name: row.name, prefix: row.prefix } });
    return { ...keyFromRow(row), key: secret };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<KeyRecord[]> {
    let q = this.db.selectFrom("keys").selectAll().orderBy("created_at", "desc").orderBy("id");
    if (!options.includeRevoked) q = q.where("revoked_at", "is", null);
    return (await q.execute()).map(keyFromRow);
  }

  async get(id: string): Promise<KeyRecord | undefined> {
    const row = await this.db.selectFrom("keys").selectAll().where("id", "=", id).executeTakeFirst();
    return row && keyFromRow(row);
  }

  /** Revokes a key; revoking twice keeps the first time. Returns undefined for an unknown id. */
  async revoke(id: string, actor = "admin"): Promise<KeyRecord | undefined> {
    const result = await this.db
      .updateTable("keys")
      .set({ revoked_at: Date.now() })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) {
      this.generation++;
      this.cache.clear();
      this.inflight.clear();
      await this.audit.append({ actor, action: "key.revoke", subject: id, details: {} });
    }
    return this.get(id);
  }

  /** The hot path: a cache hit is a Map lookup plus an expiry comparison. */
  async findBySecret(secret: string): Promise<KeyLookup> {
    if (!looksLikeSecret(secret)) return UNKNOWN;
    const now = Date.now();
    const hit = this.cache.get(secret, now) ?? (await this.load(secret));
    if (hit.expiresAtMs !== null && hit.expiresAtMs <= now) return EXPIRED;
    return hit.lookup;
  }

  private load(secret: string): Promise<Cached> {
    let pending = this.inflight.get(secret);
    if (pending) return pending;
    pending = this.query(secret).finally(() => this.inflight.delete(secret));
    this.inflight.set(secret, pending);
    return pending;
  }

  private async query(secret: string): Promise<Cached> {
    const generation = this.generation;
    const row = await this.db.selectFrom("keys").selectAll().where("hash", "=", hashSecret(secret)).executeTakeFirst();
    let cached: Cached;
    if (row === undefined) cached = { lookup: UNKNOWN, expiresAtMs: null };
    else if (row.revoked_at !== null) cached = { lookup: REVOKED, expiresAtMs: null };
    else cached = { lookup: Object.freeze({ ok: true, key: keyFromRow(row) }), expiresAtMs: row.expires_at };
    if (generation === this.generation) this.cache.set(secret, cached, Date.now());
    return cached;
  }
}

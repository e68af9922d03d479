// The pseudonym vault in Redis, for many replicas: a conversation's placeholder mapping holds the very
// values the policy keeps from leaving, so it is encrypted (AES-256-GCM, a fresh IV per write, the
// conversation id as associated data) with a key derived from a secret every replica shares (the admin key
// by default). Entries expire with the policy's TTL; Redis never holds a value in clear.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { PseudonymEntries, Vault } from "../policy/index.js";

export interface RedisVaultOptions {
  url: string;
  /** Shared secret the encryption key is derived from (HKDF-SHA256). */
  secret: string;
  prefix?: string;
  /** Milliseconds a Redis call may take before the vault gives up (the request then goes on without it). */
  timeoutMs?: number;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class RedisVault implements Vault {
  private readonly key: Buffer;
  private readonly prefix: string;

  private constructor(
    private readonly redis: Redis,
    options: RedisVaultOptions,
  ) {
    this.key = Buffer.from(hkdfSync("sha256", options.secret, "inhouse-vault-salt", "inhouse pseudonym vault v1", 32));
    this.prefix = options.prefix ?? "inhouse:vault:";
  }

  static async connect(options: RedisVaultOptions): Promise<RedisVault> {
    // Loaded here, not at startup: a gateway without Redis never pays for the client.
    const { Redis } = await import("ioredis");
    const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: options.timeoutMs ?? 500, enableOfflineQueue: false });
    await redis.connect();
    return new RedisVault(redis, options);
  }

  /** The conversation id is hashed: it may itself be something a client considers private. */
  private redisKey(conversation: string): string {
    return this.prefix + createHash("sha256").update(conversation).digest("base64url");
  }

  async get(conversation: string): Promise<PseudonymEntries | undefined> {
    const blob = await this.redis.getBuffer(this.redisKey(conversation));
    if (!blob || blob.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, blob.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(conversation));
      decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString("utf8")) as PseudonymEntries;
    } catch {
      // Written under another secret, or tampered with: start the conversation's mapping afresh.
      return undefined;
    }
  }

  async put(conversation: string, entries: PseudonymEntries, ttlMs: number): Promise<void> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(conversation));
    const body = Buffer.concat([cipher.update(JSON.stringify(entries), "utf8"), cipher.final()]);
    await this.redis.set(this.redisKey(conversation), Buffer.concat([iv, cipher.getAuthTag(), body]), "PX", Math.max(1, Math.round(ttlMs)));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

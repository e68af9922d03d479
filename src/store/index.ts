export { openStore, type Store, type StoreOptions } from "./open-store.js";
export { KEY_CACHE_TTL_MS } from "./keys.js";
export { createKeyInputSchema, type CreateKeyInput } from "./key-input.js";
export { modelAllowed } from "./model-glob.js";
export { isPostgresUrl } from "./connect.js";
export { scheduleRetention, type RetentionSchedule } from "./retention-timer.js";
export type { AuditLog } from "./audit.js";
export type { UsageWriter, UsageWriterOptions } from "./usage-writer.js";
export type * from "./types.js";

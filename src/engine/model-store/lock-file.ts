// models.lock.json: what inhouse pulled (or found placed by hand), with size and sha256, so a later load can tell
// when a file changed under it. Writes are atomic (temp file + rename) and serialised per data dir, so concurrent
// pulls in one process never lose each other's entries.
import { mkdir, readFile, rename, writeFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { GatewayError } from "../../errors/index.js";
import type { VerifiedBy } from "./types.js";

export const LOCK_FILE_NAME = "models.lock.json";

export interface LockEntry {
  /** Catalog name, or the source when pulled by source. */
  name: string;
  /** Canonical source: hf: URI or URL. */
  source: string;
  /** Path relative to the data dir, forward slashes. */
  path: string;
  size: number;
  sha256: string;
  /** ISO time the file was recorded. */
  pulledAt: string;
  verifiedBy: VerifiedBy;
  /** The file was found in place (copied by hand) rather than downloaded. */
  placedByHand?: boolean;
}

export interface LockFile {
  version: 1;
  /** Keyed by `path`. */
  models: Record<string, LockEntry>;
}

const queues = new Map<string, Promise<unknown>>();

export function lockFilePath(dataDir: string): string {
  return join(dataDir, LOCK_FILE_NAME);
}

export async function readLockFile(dataDir: string): Promise<LockFile> {
  const file = lockFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, models: {} };
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError("internal", `${file} is not valid JSON. Fix it, or delete it so inhouse re-records the model files it finds.`);
  }
  if (!isLockFile(parsed)) {
    throw new GatewayError("internal", `${file} does not have the expected shape ({version: 1, models: {...}}). Delete it so inhouse re-records the model files.`);
  }
  return parsed;
}

/** Read-modify-write under a per-directory queue; the mutation sees the latest state. */
export function updateLockFile(dataDir: string, mutate: (lock: LockFile) => void): Promise<LockFile> {
  const key = lockFilePath(dataDir);
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(async () => {
    const lock = await readLockFile(dataDir);
    mutate(lock);
    await writeAtomically(key, `${JSON.stringify(lock, sortedReplacer, 2)}\n`);
    return lock;
  });
  queues.set(key, next);
  // Drop the queue head once settled so the map does not grow with finished work.
  void next.finally(() => {
    if (queues.get(key) === next) queues.delete(key);
  }).catch(() => undefined);
  return next;
}

export async function recordLockEntry(dataDir: string, entry: LockEntry): Promise<void> {
  await updateLockFile(dataDir, (lock) => {
    lock.models[entry.path] = entry;
  });
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(join(file, ".."), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

// Stable key order keeps diffs of the lock file readable.
function sortedReplacer(this: unknown, _key: string, value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
  }
  return value;
}

function isLockFile(v: unknown): v is LockFile {
  if (!v || typeof v !== "object") return false;
  const o = v as { version?: unknown; models?: unknown };
  return o.version === 1 && !!o.models && typeof o.models === "object" && !Array.isArray(o.models);
}

// sha256 of a file on disk, computed once per process per (path, size, mtime): hashing a multi-GB model on
// every load would cost seconds, and a change to the file changes its size or mtime.
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

interface CachedHash {
  size: number;
  mtimeMs: number;
  sha256: string;
}

const cache = new Map<string, CachedHash>();

export interface FileHash {
  sha256: string;
  size: number;
}

export async function hashFileCached(path: string): Promise<FileHash> {
  const st = await stat(path);
  const hit = cache.get(path);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return { sha256: hit.sha256, size: hit.size };
  const hash = createHash("sha256");
  await feedFile(path, hash, st.size);
  const sha256 = hash.digest("hex");
  cache.set(path, { size: st.size, mtimeMs: st.mtimeMs, sha256 });
  return { sha256, size: st.size };
}

/** Remembers a hash computed while downloading, so the first load after a pull does not hash again. */
export async function rememberFileHash(path: string, sha256: string): Promise<void> {
  const st = await stat(path);
  cache.set(path, { size: st.size, mtimeMs: st.mtimeMs, sha256 });
}

/** Streams the first `length` bytes of a file into a hash (used to rehash a resumed `.partial`). */
export async function feedFile(path: string, hash: Hash, length: number, onBytes?: (n: number) => void): Promise<void> {
  if (length <= 0) return;
  const stream = createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
}

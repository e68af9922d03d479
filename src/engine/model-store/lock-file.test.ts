import assert from "node:assert/strict";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { GatewayError } from "../../errors/index.js";
import { readLockFile, recordLockEntry, lockFilePath } from "./lock-file.js";

const entry = (i: number) => ({
  name: `m${i}`,
  source: `hf:o/r/m${i}.gguf`,
  path: `models/hf/o/r/m${i}.gguf`,
  size: i,
  sha256: String(i).padStart(64, "0"),
  pulledAt: new Date(0).toISOString(),
  verifiedBy: "none" as const,
});

test("concurrent writers in one process all land, and no temp files are left", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inhouse-lock-"));
  await Promise.all(Array.from({ length: 25 }, (_, i) => recordLockEntry(dir, entry(i))));
  const lock = await readLockFile(dir);
  assert.equal(Object.keys(lock.models).length, 25);
  assert.deepEqual(await readdir(dir), ["models.lock.json"]);
});

test("a missing lock file reads as empty; a broken one is a clear error naming it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inhouse-lock-"));
  assert.deepEqual(await readLockFile(dir), { version: 1, models: {} });
  await writeFile(lockFilePath(dir), "{not json");
  await assert.rejects(readLockFile(dir), (e: unknown) => e instanceof GatewayError && e.message.includes(lockFilePath(dir)));
  // A failed update does not block later ones.
  await assert.rejects(recordLockEntry(dir, entry(1)));
  await writeFile(lockFilePath(dir), JSON.stringify({ version: 1, models: {} }));
  await recordLockEntry(dir, entry(2));
  assert.ok((await readLockFile(dir)).models["models/hf/o/r/m2.gguf"]);
});

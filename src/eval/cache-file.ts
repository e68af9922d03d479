// A cache in one JSON-lines file: each result is appended as it arrives, so a run killed halfway keeps
// everything it had finished; on open the file is read once and the last line for a key wins.
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CachedCall, EvalCache } from "./cache.js";

interface Line {
  key: string;
  value: CachedCall;
}

export async function createJsonFileCache(path: string): Promise<EvalCache> {
  const map = new Map<string, CachedCall>();
  let text = "";
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    try {
      const line = JSON.parse(raw) as Line;
      if (typeof line.key === "string" && typeof line.value?.content === "string") map.set(line.key, line.value);
    } catch {
      // A line cut short by a crash mid-write is lost; the item is simply asked again.
    }
  }
  await mkdir(dirname(path), { recursive: true });
  // Appends are chained so lines never interleave when workers finish together.
  let writes: Promise<void> = Promise.resolve();
  return {
    get: async (key) => map.get(key),
    set: (key, value) => {
      map.set(key, value);
      writes = writes.then(() => appendFile(path, `${JSON.stringify({ key, value } satisfies Line)}\n`));
      return writes;
    },
  };
}

// The admin key: from config/env, else the one kept in data_dir/admin.key, else generated there (mode 0600)
// and printed once.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBase62 } from "../lib/ids.js";

export interface AdminKey {
  key: string;
  /** True when this start generated it (the caller prints it once). */
  generated: boolean;
  path: string | null;
}

export function ensureAdminKey(configured: string | undefined, dataDir: string): AdminKey {
  if (configured) return { key: configured, generated: false, path: null };
  const path = join(dataDir, "admin.key");
  if (existsSync(path)) {
    const key = readFileSync(path, "utf8").trim();
    if (key.length >= 16) return { key, generated: false, path };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = `ih-admin-${randomBase62(40)}`;
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: "w" });
  return { key, generated: true, path };
}

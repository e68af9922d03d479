// Shared by commands that need the config (and often the store) without running the server.
import { loadConfig, type Config } from "../config/index.js";
import { openStore, type Store } from "../store/index.js";
import { overridesFrom } from "./args.js";

export function configFrom(values: { config?: string | undefined; host?: string | undefined; port?: string | undefined; "data-dir"?: string | undefined }): Config {
  return loadConfig({ ...(values.config ? { file: values.config } : {}), overrides: overridesFrom(values) });
}

export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ database: config.database, dataDir: config.data_dir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A plain table for terminals: columns padded to their widest cell. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? "-" : Array.isArray(v) ? v.join(",") : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join("\n");
}

// The store dialects a contract suite runs over: SQLite always (a temp dir), Postgres when DATABASE_URL is
// set (a fresh schema per store, dropped afterwards, so parallel runs never collide).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { randomBase62 } from "../src/lib/ids.js";
import type { StoreOptions } from "../src/store/index.js";

export interface StoreTarget {
  name: string;
  /** A fresh, empty database location; the same options opened twice reach the same data (two replicas). */
  fresh(): StoreOptions;
  cleanup(): Promise<void>;
}

function sqliteTarget(): StoreTarget {
  const dirs: string[] = [];
  return {
    name: "sqlite",
    fresh() {
      const dir = mkdtempSync(join(tmpdir(), "inhouse-store-"));
      dirs.push(dir);
      return { database: "sqlite", dataDir: dir };
    },
    async cleanup() {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresTarget(url: string): StoreTarget {
  const schemas: string[] = [];
  return {
    name: "postgres",
    fresh() {
      const schema = `t_${randomBase62(12).toLowerCase()}`;
      schemas.push(schema);
      return { database: url, dataDir: tmpdir(), schema };
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

export function storeTargets(): StoreTarget[] {
  const url = process.env.DATABASE_URL;
  return url ? [sqliteTarget(), postgresTarget(url)] : [sqliteTarget()];
}

// Opens the Kysely instance for the configured database: SQLite (the default, one file in the data dir)
// or Postgres (a URL). Dialect-specific set-up lives here and nowhere else.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import type pg from "pg";
import { Kysely, PostgresDialect, SqliteDialect } from "./kysely.js";
import type { Database, Dialect } from "./schema.js";
import { postgresUsageInserter, sqliteUsageInserter, type InsertUsage } from "./usage-insert.js";

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for logs: a file path or the Postgres URL without its password. */
  location: string;
  /** The usage batch write, done the fastest way this driver allows. */
  insertUsage: InsertUsage;
}

export interface ConnectOptions {
  /** "sqlite" (file `inhouse.db` in dataDir), "sqlite:<path>", or a postgres:// URL. */
  database: string;
  dataDir: string;
  /** Postgres only: the schema to use (created when missing), e.g. a fresh one per test run. */
  schema?: string;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

// Counts and millisecond times fit in a double; parsing them here keeps both dialects returning numbers.
function pgTypes(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
      return driver.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
}

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//.test(database);
}

export async function connect(options: ConnectOptions): Promise<Connection> {
  if (isPostgresUrl(options.database)) return connectPostgres(options.database, options.schema);
  return connectSqlite(sqlitePath(options));
}

function sqlitePath(options: ConnectOptions): string {
  if (options.database === "sqlite") {
    mkdirSync(options.dataDir, { recursive: true });
    return join(options.dataDir, "inhouse.db");
  }
  if (options.database.startsWith("sqlite:")) return options.database.slice("sqlite:".length);
  throw new Error(`database must be "sqlite", "sqlite:<path>" or a postgres:// URL, got "${options.database.slice(0, 40)}"`);
}

function connectSqlite(path: string): Connection {
  const database = new SQLite(path);
  // WAL: readers never block the writer; NORMAL sync is durable across process crashes (a power cut may
  // lose the last transactions). busy_timeout: wait for a lock held by another process instead of failing.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: "sqlite", location: path, insertUsage: sqliteUsageInserter(db, database) };
}

async function connectPostgres(url: string, schema: string | undefined): Promise<Connection> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid Postgres schema name "${schema}"`);
  // Imported here, not at startup: a SQLite gateway never loads the driver (≈ 1.4 MB of idle RSS).
  const { default: pg } = await import("pg");
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes(pg),
    // Names the schema too, so an operator (or a test) can tell one store's connections apart.
    application_name: schema === undefined ? "inhouse" : `inhouse:${schema}`,
    // An unreachable database must fail a flush or a lookup, not hang it (and shutdown with it).
    connectionTimeoutMillis: 5000,
    statement_timeout: 30_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection that dies (database restart, failover) is reported here; without a listener the
  // event would crash the process. The pool replaces the connection on the next query.
  pool.on("error", () => {});
  const safe = new URL(url);
  safe.password = "";
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", location: safe.toString(), insertUsage: postgresUsageInserter(db) };
}

// Kysely's values, loaded from its CommonJS build. Node 20 keeps a module record, a load job and URL strings
// for every ES module it loads, and Kysely's ESM build is 263 files: the same code loaded as CommonJS leaves
// ≈ 4 MB less resident at idle. Code takes Kysely's values from here and its types from "kysely" with
// `import type`, so only this copy is loaded; kysely.test.ts fails on any other import of its values.
import { createRequire } from "node:module";
import type * as K from "kysely";

const kysely = createRequire(import.meta.url)("kysely") as typeof K;

export const { CompiledQuery, Migrator, PostgresDialect, SqliteDialect, sql } = kysely;
export const Kysely = kysely.Kysely;
export type Kysely<DB> = K.Kysely<DB>;

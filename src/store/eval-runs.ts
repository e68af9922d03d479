// Eval runs in the database: what `inhouse eval` finished, for the console and for comparing runs.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface EvalRunRecord {
  id: string;
  suite: string;
  started_at: string;
  finished_at: string;
  models: string[];
  langs: string[];
  /** The run's summary as the eval layer computed it (accuracy by model x language, latency, tokens). */
  summary: unknown;
  report_dir: string | null;
}

export interface EvalRunInput {
  runId: string;
  suite: string;
  startedAt: string;
  finishedAt: string;
  models: string[];
  langs: string[];
  summary: unknown;
}

export async function saveEvalRun(db: Kysely<Database>, run: EvalRunInput, reportDir: string | null): Promise<void> {
  const row = {
    id: run.runId,
    suite: run.suite,
    started_at: Date.parse(run.startedAt),
    finished_at: Date.parse(run.finishedAt),
    models: JSON.stringify(run.models),
    langs: JSON.stringify(run.langs),
    summary: JSON.stringify(run.summary),
    report_dir: reportDir,
  };
  await db
    .insertInto("eval_runs")
    .values(row)
    .onConflict((oc) => oc.column("id").doUpdateSet({ finished_at: row.finished_at, summary: row.summary, report_dir: row.report_dir }))
    .execute();
}

function toRecord(r: Database["eval_runs"]): EvalRunRecord {
  return {
    id: r.id,
    suite: r.suite,
    started_at: new Date(r.started_at).toISOString(),
    finished_at: new Date(r.finished_at).toISOString(),
    models: JSON.parse(r.models) as string[],
    langs: JSON.parse(r.langs) as string[],
    summary: JSON.parse(r.summary) as unknown,
    report_dir: r.report_dir,
  };
}

export async function listEvalRuns(db: Kysely<Database>, limit = 50): Promise<EvalRunRecord[]> {
  const rows = await db.selectFrom("eval_runs").selectAll().orderBy("started_at", "desc").limit(Math.min(Math.max(1, limit), 500)).execute();
  return rows.map(toRecord);
}

export async function getEvalRun(db: Kysely<Database>, id: string): Promise<EvalRunRecord | undefined> {
  const row = await db.selectFrom("eval_runs").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

// Writes a run's reports into a directory: report.html, results.json (the whole run, readable by
// compareRuns and by `from_eval`) and summary.txt (the terminal table).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GatewayError } from "../errors/index.js";
import { renderHtmlReport } from "./report-html.js";
import { formatRunTable } from "./report-text.js";
import type { EvalRun } from "./types.js";

export interface WrittenReports {
  html: string;
  json: string;
  text: string;
}

export async function writeReports(run: EvalRun, dir: string): Promise<WrittenReports> {
  await mkdir(dir, { recursive: true });
  const out = { html: join(dir, "report.html"), json: join(dir, "results.json"), text: join(dir, "summary.txt") };
  await writeFile(out.html, renderHtmlReport(run));
  await writeFile(out.json, `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(out.text, formatRunTable(run));
  return out;
}

/** Reads a run back from results.json or the directory holding it (for compare and `from_eval`). */
export async function readRun(path: string): Promise<EvalRun> {
  const file = path.endsWith(".json") ? path : join(path, "results.json");
  let run: Partial<EvalRun>;
  try {
    run = JSON.parse(await readFile(file, "utf8")) as Partial<EvalRun>;
  } catch (err) {
    throw new GatewayError("invalid_request", `cannot read eval results ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof run.runId !== "string" || !Array.isArray(run.models) || !Array.isArray(run.langs) || run.summary === undefined || !Array.isArray(run.items)) {
    throw new GatewayError("invalid_request", `${file} is not an eval results file`);
  }
  return run as EvalRun;
}

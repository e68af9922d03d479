// `strategy: by_language` with `from_eval: <run id or report path>`: the table of targets per language read
// from an eval run. The router sits below eval in the layering, so the CLI resolves the reference with this
// function and hands the router a plain table.
import { access } from "node:fs/promises";
import { join } from "node:path";
import { bestModelOverall, bestModelPerLanguage } from "./summary.js";
import { readRun } from "./write-reports.js";

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/**
 * `{ zh: "qwen", ja: "llama", …, default: <best over all languages> }`. `ref` is a results.json, the report
 * directory holding it, or a run id whose report sits in `<dataDir>/reports/<run id>` (the command's default).
 */
export async function byLanguageTableFromEval(ref: string, dataDir?: string): Promise<Record<string, string>> {
  const byId = dataDir === undefined ? undefined : join(dataDir, "reports", ref);
  const path = !(await exists(ref)) && byId !== undefined && (await exists(byId)) ? byId : ref;
  const run = await readRun(path);
  const table = bestModelPerLanguage(run);
  const fallback = bestModelOverall(run);
  return fallback === undefined ? table : { ...table, default: fallback };
}

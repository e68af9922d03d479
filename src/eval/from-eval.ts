// `strategy: by_language` with `from_eval: <report path>`: the table of targets per language read from an
// eval run. The router sits below eval in the layering, so the CLI resolves the path with this function and
// hands the router a plain table.
import { bestModelOverall, bestModelPerLanguage } from "./summary.js";
import { readRun } from "./write-reports.js";

/** `{ zh: "qwen", ja: "llama", …, default: <best over all languages> }` from results.json or its directory. */
export async function byLanguageTableFromEval(path: string): Promise<Record<string, string>> {
  const run = await readRun(path);
  const table = bestModelPerLanguage(run);
  const fallback = bestModelOverall(run);
  return fallback === undefined ? table : { ...table, default: fallback };
}

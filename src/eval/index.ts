// The evaluation layer's public surface: suites, scorers, the runner, reports, and the CLI command body.
export type * from "./types.js";
export { cacheKey, createMemoryCache, type CachedCall, type EvalCache } from "./cache.js";
export { createJsonFileCache } from "./cache-file.js";
export { compareRuns, type RunComparison } from "./compare.js";
export { evalCommand, EVAL_HELP, type EvalCommandContext } from "./command.js";
export { loadJsonlSuite } from "./load-jsonl.js";
export { loadMgsm, type LoadOptions } from "./load-mgsm.js";
export { loadXcopa } from "./load-xcopa.js";
export { PRESETS } from "./presets.js";
export { renderHtmlReport } from "./report-html.js";
export { formatComparison, formatRunTable } from "./report-text.js";
export { runEval, type EvalCall, type EvalProgress, type RunEvalOptions } from "./runner.js";
export { scoreAnswer, type Score } from "./scorers.js";
export { bestModelOverall, bestModelPerLanguage, summarize } from "./summary.js";
export { readRun, writeReports } from "./write-reports.js";
export { byLanguageTableFromEval } from "./from-eval.js";

// `inhouse eval`: parses the flags, loads the suite, runs it through the `call` the CLI wires to the
// router, shows progress on stderr, writes the reports and prints the table. Returns the exit code.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { templateSetSchema } from "../config/eval-schema.js";
import { isGatewayError } from "../errors/index.js";
import { createMemoryCache } from "./cache.js";
import { createJsonFileCache } from "./cache-file.js";
import { compareRuns } from "./compare.js";
import { loadJsonlSuite } from "./load-jsonl.js";
import { loadMgsm } from "./load-mgsm.js";
import { loadXcopa } from "./load-xcopa.js";
import { PRESETS } from "./presets.js";
import { createProgressBar, type TextSink } from "./progress-bar.js";
import { type EvalCall, runEval } from "./runner.js";
import { formatComparison, formatRunTable } from "./report-text.js";
import { bestModelPerLanguage } from "./summary.js";
import type { Suite, TemplateSet } from "./types.js";
import { readRun, writeReports } from "./write-reports.js";

export interface EvalCommandContext {
  call: EvalCall;
  stdout: TextSink;
  stderr: TextSink;
  /** The gateway's data dir: the answer cache lives there, and reports by default. */
  dataDir: string;
  signal?: AbortSignal;
}

export const EVAL_HELP = `Usage: inhouse eval --suite <mgsm|xcopa|FILE.jsonl> --models a,b [options]

Runs a suite through the gateway's router against several models and writes a report.

  --suite NAME          mgsm, xcopa, or a JSONL file of {id, lang, messages|prompt, expected, assert}
  --models a,b,c        models or aliases to compare (required)
  --lang zh,ja,th       languages (default: every language the suite publishes)
  --limit N             first N items per language
  --data PATH|URL       a file, a directory, or a URL (with {lang}); default: the dataset's public URL
  --split test|val      XCOPA split (default test)
  --templates FILE      prompt templates per language (YAML/JSON: {zh: {user: "...{{question}}"}})
  --grader MODEL        model that grades rubric assertions
  --concurrency N       calls in flight (default 4)
  --max-tokens N        per answer (default 1024)
  --timeout SECONDS     give up on one answer after this long (counted wrong, retried next run)
  --out DIR             report directory (default <data-dir>/reports/<run id>)
  --compare FILE        results.json of an earlier run to compare with
  --no-cache            ask every item again (answers are cached by model + prompt, so reruns are free)
`;

const list = (v: string | undefined): string[] | undefined =>
  v === undefined ? undefined : v.split(",").map((s) => s.trim()).filter((s) => s !== "");

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

class UsageError extends Error {}

async function readTemplates(path: string): Promise<TemplateSet> {
  const raw: unknown = parseYaml(await readFile(path, "utf8"));
  const parsed = templateSetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${path}${issue?.path.length ? ` at "${issue.path.join(".")}"` : ""}: ${issue?.message ?? "invalid templates"}`);
  }
  return parsed.data;
}

async function loadSuite(name: string, langs: string[] | undefined, data: string | undefined, split: string | undefined, limit: number | undefined, signal: AbortSignal | undefined): Promise<Suite> {
  const common = { limit, signal, data };
  if (name === "mgsm") return loadMgsm({ ...common, langs: langs ?? [...PRESETS.mgsm.langs] });
  if (name === "xcopa") {
    if (split !== undefined && split !== "test" && split !== "val") throw new UsageError(`--split must be test or val`);
    return loadXcopa({ ...common, langs: langs ?? [...PRESETS.xcopa.langs], split: split ?? "test" });
  }
  const file = name === "jsonl" ? data : name;
  if (file === undefined || !/\.jsonl?(\?.*)?$/i.test(file)) {
    throw new UsageError(`unknown suite "${name}": use mgsm, xcopa, or a .jsonl file (or --suite jsonl --data FILE)`);
  }
  return loadJsonlSuite({ data: file, langs, limit, signal });
}

export async function evalCommand(argv: string[], ctx: EvalCommandContext): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        suite: { type: "string" }, models: { type: "string" }, lang: { type: "string" }, limit: { type: "string" },
        data: { type: "string" }, split: { type: "string" }, templates: { type: "string" }, grader: { type: "string" },
        concurrency: { type: "string" }, "max-tokens": { type: "string" }, timeout: { type: "string" }, out: { type: "string" },
        compare: { type: "string" }, "no-cache": { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    });
    if (values.help === true) {
      ctx.stdout.write(EVAL_HELP);
      return 0;
    }
    const models = list(values.models);
    if (values.suite === undefined || models === undefined || models.length === 0) throw new UsageError("--suite and --models are required");
    const limit = positiveInt("limit", values.limit);
    const langs = list(values.lang);
    const suite = await loadSuite(values.suite, langs, values.data, values.split, limit, ctx.signal);
    if (suite.items.length === 0) throw new UsageError(`suite ${suite.name} has no items for ${langs?.join(",") ?? "any language"}`);
    const templates = values.templates === undefined ? undefined : await readTemplates(values.templates);
    const cache = values["no-cache"] === true ? createMemoryCache() : await createJsonFileCache(join(ctx.dataDir, "eval-cache.jsonl"));
    const bar = createProgressBar(ctx.stderr);
    const maxTokens = positiveInt("max-tokens", values["max-tokens"]);
    const timeoutS = positiveInt("timeout", values.timeout);
    let run;
    try {
      run = await runEval({
        suite, models, limit, cache, call: ctx.call,
        langs: langs ?? [...new Set(suite.items.map((i) => i.lang))],
        concurrency: positiveInt("concurrency", values.concurrency) ?? 4,
        onProgress: (p) => bar.update(p),
        ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
        ...(templates === undefined ? {} : { templates }),
        ...(values.grader === undefined ? {} : { grader: values.grader }),
        ...(maxTokens === undefined ? {} : { params: { max_tokens: maxTokens } }),
        ...(timeoutS === undefined ? {} : { itemTimeoutMs: timeoutS * 1000 }),
      });
    } finally {
      bar.finish();
    }
    const dir = values.out ?? join(ctx.dataDir, "reports", run.runId);
    const written = await writeReports(run, dir);
    ctx.stdout.write(formatRunTable(run));
    const best = bestModelPerLanguage(run);
    ctx.stdout.write(`\nBest per language: ${Object.entries(best).map(([l, m]) => `${l}=${m}`).join(" ") || "—"}\n`);
    if (values.compare !== undefined) ctx.stdout.write(`\nCompared with ${values.compare}\n${formatComparison(compareRuns(await readRun(values.compare), run))}`);
    ctx.stdout.write(`\nReport: ${written.html}\nResults: ${written.json}\n`);
    const errors = run.items.filter((i) => i.error !== undefined).length;
    if (errors > 0) ctx.stderr.write(`${errors} answers failed (counted wrong, not cached): run the same command again to retry them.\n`);
    return 0;
  } catch (err) {
    if (ctx.signal?.aborted === true) {
      ctx.stderr.write("eval interrupted; finished answers are cached, run the same command to resume.\n");
      return 130;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true) {
      ctx.stderr.write(`inhouse eval: ${(err as Error).message}\n\n${EVAL_HELP}`);
      return 2;
    }
    if (isGatewayError(err)) {
      ctx.stderr.write(`inhouse eval: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

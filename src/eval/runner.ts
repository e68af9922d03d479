// Runs a suite against several models with bounded concurrency. Every model call goes through the cache:
// a rerun of the same suite costs no calls, and a run aborted halfway resumes where it stopped because its
// finished answers are already cached. Failed calls are recorded as wrong, never cached, and retried next run.
import { randomUUID } from "node:crypto";
import type { ChatRequest, ChatResponse } from "../spec/index.js";
import { cacheKey, type CachedCall, type EvalCache, createMemoryCache } from "./cache.js";
import { scoreAnswer } from "./scorers.js";
import { summarize } from "./summary.js";
import { mergeTemplates, renderMessages } from "./templates.js";
import type { EvalItem, EvalRun, ItemResult, Suite, TemplateSet } from "./types.js";

export type EvalCall = (model: string, request: ChatRequest, signal: AbortSignal) => Promise<ChatResponse>;

export interface EvalProgress {
  done: number;
  total: number;
  cached: number;
  errors: number;
  last: ItemResult;
}

export interface RunEvalOptions {
  suite: Suite;
  models: string[];
  /** Languages to run (default: all the suite has). */
  langs?: string[];
  /** First N items per language. */
  limit?: number;
  /** Calls in flight at once (default 4). */
  concurrency?: number;
  call: EvalCall;
  cache?: EvalCache;
  onProgress?: (p: EvalProgress) => void;
  signal?: AbortSignal;
  /** Replace the suite's prompt templates for some languages. */
  templates?: TemplateSet;
  /** Sampling parameters sent with every item (default temperature 0, max_tokens 1024). */
  params?: Partial<Omit<ChatRequest, "model" | "messages">>;
  /** Model that grades rubric assertions; called through `call` like the others. */
  grader?: string;
  /** Abort one call after this many milliseconds (default: no limit beyond the caller's). */
  itemTimeoutMs?: number;
  runId?: string;
}

const DEFAULT_PARAMS = { temperature: 0, max_tokens: 1024 };
const MAX_ANSWER_CHARS = 4000;

function selectItems(suite: Suite, langs: string[], limit: number | undefined): EvalItem[] {
  const count = new Map<string, number>();
  return suite.items.filter((item) => {
    if (!langs.includes(item.lang)) return false;
    const n = count.get(item.lang) ?? 0;
    if (limit !== undefined && n >= limit) return false;
    count.set(item.lang, n + 1);
    return true;
  });
}

function promptText(request: Omit<ChatRequest, "model">): string {
  const user = [...request.messages].reverse().find((m) => m.role === "user");
  const text = typeof user?.content === "string" ? user.content : JSON.stringify(user?.content ?? "");
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/**
 * Each call gets its own signal, linked to the run's and released when the call ends: callers add abort
 * listeners per call, and thousands of them on the one run signal would leak until the run ends.
 */
async function withCallSignal<T>(run: AbortSignal, timeoutMs: number | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  run.throwIfAborted();
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(run.reason);
  run.addEventListener("abort", onAbort, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  try {
    return await fn(controller.signal);
  } finally {
    run.removeEventListener("abort", onAbort);
    if (timer !== undefined) clearTimeout(timer);
  }
}

export async function runEval(options: RunEvalOptions): Promise<EvalRun> {
  const startedAt = new Date().toISOString();
  const langs = options.langs ?? [...new Set(options.suite.items.map((i) => i.lang))];
  const items = selectItems(options.suite, langs, options.limit);
  const templates = mergeTemplates(options.suite.templates, options.templates);
  const cache = options.cache ?? createMemoryCache();
  const params = { ...DEFAULT_PARAMS, ...options.params };
  const runSignal = options.signal ?? new AbortController().signal;

  async function cachedCall(model: string, request: Omit<ChatRequest, "model">): Promise<{ hit: boolean; value: CachedCall }> {
    const key = cacheKey(model, request);
    const hit = await cache.get(key);
    if (hit !== undefined) return { hit: true, value: hit };
    const started = performance.now();
    const res = await withCallSignal(runSignal, options.itemTimeoutMs, (signal) => options.call(model, { ...request, model }, signal));
    const value: CachedCall = {
      content: res.choices[0]?.message.content ?? "",
      latencyMs: Math.round(performance.now() - started),
      tokens: { prompt: res.usage?.prompt_tokens ?? 0, completion: res.usage?.completion_tokens ?? 0 },
    };
    await cache.set(key, value);
    return { hit: false, value };
  }

  async function runOne(model: string, item: EvalItem): Promise<ItemResult> {
    const request = { ...params, messages: renderMessages(item, templates) };
    const base = { model, lang: item.lang, itemId: item.id, expected: item.expected === undefined ? "" : String(item.expected), prompt: promptText(request) };
    let answered: { hit: boolean; value: CachedCall } | undefined;
    try {
      answered = await cachedCall(model, request);
      const grader = options.grader;
      const grade =
        grader === undefined
          ? undefined
          : async (prompt: string) => (await cachedCall(grader, { temperature: 0, max_tokens: 512, messages: [{ role: "user", content: prompt }] })).value.content;
      const score = await scoreAnswer(answered.value.content, item.assert, item.expected, grade === undefined ? { question: base.prompt } : { question: base.prompt, grade });
      const result: ItemResult = {
        ...base,
        correct: score.correct,
        score: score.score,
        answer: answered.value.content.slice(0, MAX_ANSWER_CHARS),
        latencyMs: answered.value.latencyMs,
        tokens: answered.value.tokens,
        cached: answered.hit,
      };
      if (score.extracted !== undefined) result.extracted = score.extracted;
      return result;
    } catch (err) {
      if (runSignal.aborted) throw runSignal.reason;
      return {
        ...base,
        correct: false,
        score: 0,
        answer: answered?.value.content.slice(0, MAX_ANSWER_CHARS) ?? "",
        latencyMs: answered?.value.latencyMs ?? 0,
        tokens: answered?.value.tokens ?? { prompt: 0, completion: 0 },
        cached: answered?.hit ?? false,
        error: (err as Error).message,
      };
    }
  }

  // Items outer, models inner: every model advances together, so an early abort still compares them.
  const tasks = items.flatMap((item) => options.models.map((model) => ({ model, item })));
  const results: ItemResult[] = new Array(tasks.length);
  let next = 0;
  let done = 0;
  let cached = 0;
  let errors = 0;
  async function worker(): Promise<void> {
    while (next < tasks.length && !runSignal.aborted) {
      const index = next++;
      const task = tasks[index];
      if (task === undefined) break;
      const result = await runOne(task.model, task.item);
      results[index] = result;
      done++;
      if (result.cached) cached++;
      if (result.error !== undefined) errors++;
      options.onProgress?.({ done, total: tasks.length, cached, errors, last: result });
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, tasks.length)) }, worker);
  await Promise.all(workers);
  runSignal.throwIfAborted();

  return {
    runId: options.runId ?? `${startedAt.replace(/[-:]/g, "").replace(/\..*$/, "")}-${randomUUID().slice(0, 8)}`,
    suite: options.suite.name,
    startedAt,
    finishedAt: new Date().toISOString(),
    models: options.models,
    langs,
    items: results,
    summary: summarize(results, options.models, langs),
  };
}

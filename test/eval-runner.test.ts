import { test } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bestModelOverall, bestModelPerLanguage, compareRuns, createJsonFileCache, createMemoryCache, formatRunTable,
  loadMgsm, loadXcopa, readRun, renderHtmlReport, runEval, writeReports,
} from "../src/eval/index.js";
import { fakeModels } from "./fixtures/eval/fake-models.js";
import { writeMgsmDir, writeXcopaDir } from "./fixtures/eval/suites.js";

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), "inhouse-eval-"));

// qwen knows Chinese and Thai, llama Japanese and Thai, tiny nothing.
const SKILLS = {
  qwen: { zh: true, ja: false, th: true, vi: true, id: false },
  llama: { zh: false, ja: true, th: true, vi: false, id: true },
  tiny: {},
};

test("a run scores each model per language as its answers deserve, and picks the best model per language", async () => {
  const suite = await loadMgsm({ data: await writeMgsmDir(await tmp()), langs: ["zh", "ja", "th"] });
  const fake = fakeModels(SKILLS);
  const progress: number[] = [];
  const run = await runEval({ suite, models: ["qwen", "llama", "tiny"], call: fake.call, concurrency: 3, onProgress: (p) => progress.push(p.done) });

  assert.equal(run.items.length, 27);
  assert.equal(fake.calls.length, 27);
  assert.deepEqual(progress, Array.from({ length: 27 }, (_, i) => i + 1));
  const acc = (m: string, l: string): number | undefined => run.summary.byModelLang[m]?.[l]?.accuracy;
  assert.equal(acc("qwen", "zh"), 1);
  assert.equal(acc("qwen", "ja"), 0);
  assert.equal(acc("qwen", "th"), 1);
  assert.equal(acc("llama", "zh"), 0);
  assert.equal(acc("llama", "ja"), 1);
  assert.equal(acc("tiny", "th"), 0);
  assert.equal(run.summary.byModel.qwen?.accuracy, 6 / 9);
  // Full-width and Thai digits were read as numbers.
  const jaItem = run.items.find((i) => i.model === "llama" && i.lang === "ja" && i.itemId === "3");
  assert.equal(jaItem?.extracted, "360");
  assert.equal(run.items.find((i) => i.model === "qwen" && i.lang === "th" && i.itemId === "3")?.extracted, "150");
  assert.ok((run.summary.byModel.qwen?.tokens.completion ?? 0) > 0);

  const best = bestModelPerLanguage(run);
  assert.deepEqual(best, { zh: "qwen", ja: "llama", th: best.th });
  assert.ok(best.th === "qwen" || best.th === "llama");
  assert.ok(["qwen", "llama"].includes(bestModelOverall(run) ?? ""));

  const table = formatRunTable(run);
  assert.match(table, /qwen\s+100\.0%\s+0\.0%\s+100\.0%/);
});

test("reports: HTML holds the heatmap values and the missed answers; JSON reads back; compare shows the change", async () => {
  const suite = await loadXcopa({ data: await writeXcopaDir(await tmp()), langs: ["vi", "id"] });
  const fake = fakeModels(SKILLS);
  const run = await runEval({ suite, models: ["qwen", "llama"], call: fake.call });
  const html = renderHtmlReport(run);
  assert.match(html, /<table class="heat">/);
  assert.match(html, /<th>qwen<\/th><td class="best"[^>]*><b>100\.0%<\/b><small>2\/2<\/small><\/td><td style="[^"]*"><b>0\.0%<\/b>/);
  assert.match(html, /Items missed most/);
  assert.match(html, /Cô ấy quên mang ô\./);
  assert.doesNotMatch(html, /<script|https?:\/\//);

  const dir = join(await tmp(), "reports", "x");
  const written = await writeReports(run, dir);
  const back = await readRun(written.json);
  assert.deepEqual(back.summary, run.summary);
  assert.match(await readFile(written.text, "utf8"), /Accuracy/);

  const better = await runEval({ suite, models: ["qwen", "llama"], call: fakeModels({ qwen: { vi: true, id: true }, llama: SKILLS.llama }).call });
  const cmp = compareRuns(run, better);
  assert.deepEqual(cmp.cells.find((c) => c.model === "qwen" && c.lang === "id"), { model: "qwen", lang: "id", a: 0, b: 1, delta: 1 });
  assert.equal(cmp.flipped.length, 2);
  assert.ok(cmp.flipped.every((f) => f.model === "qwen" && f.lang === "id" && f.after));
});

test("cache: a rerun with the JSON-file cache makes no calls and gives the same result", async () => {
  const suite = await loadMgsm({ data: await writeMgsmDir(await tmp()), langs: ["zh", "th"] });
  const path = join(await tmp(), "cache.jsonl");
  const first = fakeModels(SKILLS);
  const a = await runEval({ suite, models: ["qwen", "llama"], call: first.call, cache: await createJsonFileCache(path) });
  assert.equal(first.calls.length, 12);
  const second = fakeModels(SKILLS);
  const b = await runEval({ suite, models: ["qwen", "llama"], call: second.call, cache: await createJsonFileCache(path) });
  assert.equal(second.calls.length, 0);
  assert.ok(b.items.every((i) => i.cached));
  assert.deepEqual(b.summary.byModelLang, a.summary.byModelLang);
  // A changed prompt template is a new question: asked again.
  const third = fakeModels(SKILLS);
  await runEval({ suite, models: ["qwen"], call: third.call, cache: await createJsonFileCache(path), templates: { zh: { user: "请回答：{{question}}" } }, langs: ["zh"] });
  assert.equal(third.calls.length, 3);
});

test("resume: a run aborted halfway keeps its finished answers; the rerun asks only the rest", async () => {
  const suite = await loadMgsm({ data: await writeMgsmDir(await tmp()), langs: ["zh", "ja", "th"] });
  const cache = createMemoryCache();
  const controller = new AbortController();
  const first = fakeModels(SKILLS, { delayMs: 5 });
  await assert.rejects(
    runEval({
      suite, models: ["qwen", "llama"], call: first.call, cache, concurrency: 2, signal: controller.signal,
      onProgress: (p) => { if (p.done === 7) controller.abort(new Error("stopped by test")); },
    }),
    /stopped by test/,
  );
  const finished = cache.size;
  assert.ok(finished >= 7 && finished < 18, `cached ${finished}`);
  const second = fakeModels(SKILLS);
  const run = await runEval({ suite, models: ["qwen", "llama"], call: second.call, cache, concurrency: 2 });
  assert.equal(second.calls.length, 18 - finished);
  assert.equal(run.items.length, 18);
  assert.equal(run.summary.byModelLang.qwen?.zh?.accuracy, 1);
  assert.equal(run.summary.byModelLang.llama?.ja?.accuracy, 1);
});

test("a failed call counts as wrong, is not cached, and is retried by the next run", async () => {
  const suite = await loadMgsm({ data: await writeMgsmDir(await tmp()), langs: ["zh"] });
  const cache = createMemoryCache();
  const flaky = fakeModels(SKILLS, { failOn: (model, prompt) => model === "qwen" && prompt.includes("一本书") });
  const run = await runEval({ suite, models: ["qwen"], call: flaky.call, cache });
  const failed = run.items.find((i) => i.error !== undefined);
  assert.equal(failed?.itemId, "2");
  assert.equal(failed?.correct, false);
  assert.equal(run.summary.byModelLang.qwen?.zh?.errors, 1);
  assert.equal(cache.size, 2);
  const retry = fakeModels(SKILLS);
  const again = await runEval({ suite, models: ["qwen"], call: retry.call, cache });
  assert.equal(retry.calls.length, 1);
  assert.equal(again.summary.byModelLang.qwen?.zh?.accuracy, 1);
});

test("rubric items are graded by the grader model through the same call, and cached too", async () => {
  const suite = {
    name: "support",
    templates: { "*": { user: "{{prompt}}" } },
    items: [{ id: "1", lang: "ja", vars: { prompt: "丁寧に謝罪してください" }, assert: [{ type: "rubric" as const, rubric: "polite apology in Japanese" }] }],
  };
  const seen: string[] = [];
  const call = async (model: string, req: { messages: Array<{ content: unknown }> }) => {
    seen.push(model);
    const content = model === "judge" ? "Polite.\nSCORE: 8" : "申し訳ございません。";
    return { id: "x", object: "chat.completion" as const, created: 0, model, choices: [{ index: 0, message: { role: "assistant" as const, content }, finish_reason: "stop" as const }] };
  };
  const cache = createMemoryCache();
  const run = await runEval({ suite, models: ["qwen"], call, grader: "judge", cache });
  assert.deepEqual(seen, ["qwen", "judge"]);
  assert.equal(run.items[0]?.score, 0.8);
  assert.equal(run.items[0]?.correct, true);
  await runEval({ suite, models: ["qwen"], call, grader: "judge", cache });
  assert.equal(seen.length, 2);
});

test("a call that outlives itemTimeoutMs is aborted and counts as an error; the run's signal keeps no listeners", async () => {
  const suite = await loadMgsm({ data: await writeMgsmDir(await tmp()), langs: ["zh"] });
  const run = new AbortController();
  let listeners = 0;
  const hang = async (_model: string, _req: unknown, signal: AbortSignal) => {
    listeners++;
    return new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
  };
  const result = await runEval({ suite, models: ["slow"], call: hang, itemTimeoutMs: 20, signal: run.signal, concurrency: 3 });
  assert.equal(listeners, 3);
  assert.ok(result.items.every((i) => i.error?.includes("no answer within 20 ms")));
  assert.equal(result.summary.byModel.slow?.errors, 3);
  assert.equal(getEventListeners(run.signal, "abort").length, 0);
});

// strategy: by_language sends each language to its model, from a config table or an eval report; fallback
// still applies within a language's choice.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { runEval, writeReports } from "../src/eval/index.js";
import type { ChatResponse } from "../src/spec/index.js";
import { errorBody, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

let zhUp: FakeUpstream;
let thUp: FakeUpstream;
let enUp: FakeUpstream;
let gw: TestGateway;
const ask = (c: OpenAI, model: string, content: string) => c.chat.completions.create({ model, messages: [{ role: "user", content }] }).withResponse();

before(async () => {
  [zhUp, thUp, enUp] = await Promise.all([startFakeUpstream(), startFakeUpstream(), startFakeUpstream()]);
  gw = await startGateway(`
router: { circuit_breaker: { failures: 1000 }, retries: 0 }
backends:
  qwen: { type: openai, base_url: ${zhUp.url} }
  typhoon: { type: openai, base_url: ${thUp.url} }
  llama: { type: openai, base_url: ${enUp.url} }
models:
  assistant:
    strategy: by_language
    targets: [llama/l, qwen/q, typhoon/t]
    by_language: { zh: qwen, th: typhoon/t, default: llama }
`);
});
after(async () => {
  await gw.close();
  await Promise.all([zhUp.close(), thUp.close(), enUp.close()]);
});

test("each language goes to its model; others to the default", async () => {
  const c = new OpenAI({ apiKey: ADMIN_KEY, baseURL: gw.v1, maxRetries: 0 });
  assert.equal((await ask(c, "assistant", "请问明天北京的天气怎么样？我需要带伞吗？")).response.headers.get("x-inhouse-backend"), "qwen/q");
  assert.equal((await ask(c, "assistant", "พรุ่งนี้ที่กรุงเทพฯ อากาศเป็นอย่างไรบ้าง ต้องพกร่มไหม")).response.headers.get("x-inhouse-backend"), "typhoon/t");
  assert.equal((await ask(c, "assistant", "What will the weather be like in Berlin tomorrow?")).response.headers.get("x-inhouse-backend"), "llama/l");
  await gw.gateway.store.usage.flush();
  const rows = await gw.gateway.store.db.selectFrom("usage").select(["language", "backend"]).execute();
  assert.deepEqual(new Set(rows.map((r) => `${r.language}:${r.backend}`)), new Set(["zh:qwen", "th:typhoon", "en:llama"]));
});

test("fallback still applies within a language's choice", async () => {
  zhUp.respond({ status: 500, json: errorBody("down") });
  try {
    const c = new OpenAI({ apiKey: ADMIN_KEY, baseURL: gw.v1, maxRetries: 0 });
    const { response } = await ask(c, "assistant", "请用中文解释一下量子计算的基本原理。");
    assert.equal(response.headers.get("x-inhouse-backend"), "llama/l");
    assert.equal(response.headers.get("x-inhouse-attempts"), "2");
  } finally {
    zhUp.reset();
  }
});

test("from_eval: an eval run decides which model serves which language", async () => {
  // Fake models: "qwen" answers Chinese items right, "llama" English ones.
  const dir = mkdtempSync(join(tmpdir(), "inhouse-by-lang-"));
  const suite = [
    { id: "zh1", lang: "zh", prompt: "一加一等于几？", expected: "2" },
    { id: "zh2", lang: "zh", prompt: "二加二等于几？", expected: "4" },
    { id: "en1", lang: "en", prompt: "What is one plus one?", expected: "2" },
    { id: "en2", lang: "en", prompt: "What is two plus two?", expected: "4" },
  ];
  writeFileSync(join(dir, "suite.jsonl"), suite.map((s) => JSON.stringify({ ...s, assert: { type: "contains" } })).join("\n"));
  const { loadJsonlSuite } = await import("../src/eval/index.js");
  const items = await loadJsonlSuite({ data: join(dir, "suite.jsonl") });
  const call = async (model: string, req: { messages: { content: unknown }[] }): Promise<ChatResponse> => {
    const text = String(req.messages.at(-1)?.content);
    const item = suite.find((s) => text.includes(s.prompt))!;
    const right = (model === "qwen" && item.lang === "zh") || (model === "llama" && item.lang === "en");
    return { id: "x", object: "chat.completion", created: 0, model, choices: [{ index: 0, message: { role: "assistant", content: right ? item.expected : "7" }, finish_reason: "stop" }] };
  };
  const result = await runEval({ suite: items, models: ["qwen", "llama"], call: call as never, concurrency: 2 });
  await writeReports(result, join(dir, "report"));

  const g = await startGateway(`
backends:
  up-zh: { type: openai, base_url: ${zhUp.url} }
  up-en: { type: openai, base_url: ${enUp.url} }
models:
  qwen: { targets: [up-zh/q] }
  llama: { targets: [up-en/l] }
  smart: { strategy: by_language, targets: [up-en/l, up-zh/q], from_eval: ${join(dir, "report")} }
`);
  try {
    const c = new OpenAI({ apiKey: ADMIN_KEY, baseURL: g.v1, maxRetries: 0 });
    assert.equal((await ask(c, "smart", "请问明天北京的天气怎么样？我需要带伞吗？")).response.headers.get("x-inhouse-backend"), "up-zh/q");
    assert.equal((await ask(c, "smart", "What will the weather be like in Berlin tomorrow?")).response.headers.get("x-inhouse-backend"), "up-en/l");
  } finally {
    await g.close();
  }
});

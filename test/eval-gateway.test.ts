// `inhouse eval` end to end: fake upstreams that answer right in some languages and wrong in others, the real
// binary scoring them through the gateway's router, the report it writes, and `by_language` routing that
// then sends each language to the model that was best at it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { MGSM_FIXTURE, writeMgsmDir } from "./fixtures/eval/suites.js";
import { chatCompletion, startFakeUpstream, type FakeUpstream, type RecordedRequest } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway } from "./helpers/gateway.js";

const BIN = new URL("../bin/inhouse.js", import.meta.url).pathname;

/** An upstream that knows the right answer to every fixture question but gives it only in `good` languages. */
function expert(good: string[]) {
  return (req: RecordedRequest) => {
    const text = JSON.stringify(req.body.messages);
    const item = MGSM_FIXTURE.find((f) => text.includes(JSON.stringify(f.question).slice(1, -1)));
    const right = item !== undefined && good.includes(item.lang);
    return { json: chatCompletion({ content: [`Let me think. Answer: ${right ? item!.answer : "9999"}`] }) };
  };
}

let zhExpert: FakeUpstream;
let jaExpert: FakeUpstream;
/** The two language experts and an alias for each, as the eval run and the gateway both see them. */
const expertsAndAliases = () => `backends:
  zh-lab: { type: openai, base_url: ${zhExpert.url} }
  ja-lab: { type: openai, base_url: ${jaExpert.url} }
models:
  qwen: { targets: [zh-lab/qwen3-8b] }
  llama: { targets: [ja-lab/llama-3.1-8b] }
`;
let dir: string;

before(async () => {
  [zhExpert, jaExpert] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
  zhExpert.respond(expert(["zh", "th"]));
  jaExpert.respond(expert(["ja"]));
  dir = mkdtempSync(join(tmpdir(), "inhouse-eval-e2e-"));
  await writeMgsmDir(join(dir, "mgsm"));
  writeFileSync(
    join(dir, "inhouse.yaml"),
    `data_dir: ${join(dir, "data")}
log: { level: warn }
${expertsAndAliases()}`,
  );
});
after(async () => {
  await Promise.all([zhExpert.close(), jaExpert.close()]);
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, INHOUSE_ADMIN_KEY: ADMIN_KEY }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

test("eval scores each model per language through the gateway, then by_language routes by the report", async () => {
  const out = join(dir, "report");
  const r = await run(["eval", "--config", join(dir, "inhouse.yaml"), "--suite", "mgsm", "--data", join(dir, "mgsm"), "--lang", "zh,ja,th", "--models", "qwen,llama", "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(out, "report.html")));
  const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { summary: { byModelLang: Record<string, Record<string, { accuracy: number }>> } };
  const acc = (m: string, l: string) => results.summary.byModelLang[m]?.[l]?.accuracy;
  assert.deepEqual([acc("qwen", "zh"), acc("qwen", "ja"), acc("qwen", "th")], [1, 0, 1]);
  assert.deepEqual([acc("llama", "zh"), acc("llama", "ja"), acc("llama", "th")], [0, 1, 0]);
  assert.match(r.stdout + r.stderr, /qwen/);
  // Both upstreams were reached through the gateway, 9 items each.
  assert.equal(zhExpert.requests.length, 9);
  assert.equal(jaExpert.requests.length, 9);

  // The run is recorded in the database (the console lists past runs from there).
  const { openStore } = await import("../src/store/index.js");
  const { listEvalRuns } = await import("../src/store/eval-runs.js");
  const store = await openStore({ database: "sqlite", dataDir: join(dir, "data") });
  try {
    const runs = await listEvalRuns(store.db);
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0]!.models, ["qwen", "llama"]);
    assert.equal(runs[0]!.report_dir, out);
  } finally {
    await store.close();
  }

  // A rerun is answered from the cache: no upstream call.
  const again = await run(["eval", "--config", join(dir, "inhouse.yaml"), "--suite", "mgsm", "--data", join(dir, "mgsm"), "--lang", "zh,ja,th", "--models", "qwen,llama", "--out", join(dir, "report2")]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(zhExpert.requests.length + jaExpert.requests.length, 18);

  const gw = await startGateway(`
${expertsAndAliases()}  assistant: { strategy: by_language, targets: [zh-lab/qwen3-8b, ja-lab/llama-3.1-8b], from_eval: ${out} }
`);
  try {
    const c = new OpenAI({ apiKey: ADMIN_KEY, baseURL: gw.v1, maxRetries: 0 });
    const served = async (content: string) =>
      (await c.chat.completions.create({ model: "assistant", messages: [{ role: "user", content }] }).withResponse()).response.headers.get("x-inhouse-backend");
    assert.equal(await served("東京から大阪まで新幹線で何時間かかりますか？教えてください。"), "ja-lab/llama-3.1-8b");
    assert.equal(await served("从北京到上海坐高铁需要多长时间？请告诉我。"), "zh-lab/qwen3-8b");
    assert.equal(await served("จากกรุงเทพไปเชียงใหม่ใช้เวลานานเท่าไร"), "zh-lab/qwen3-8b");
  } finally {
    await gw.close();
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadJsonlSuite, loadMgsm, loadXcopa } from "../src/eval/index.js";
import { renderMessages } from "../src/eval/templates.js";
import { MGSM_FIXTURE, writeJsonl, writeMgsmDir, writeXcopaDir } from "./fixtures/eval/suites.js";
import { serveDirectory } from "./fixtures/eval/static-server.js";

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), "inhouse-eval-"));

test("MGSM: one TSV per language from a directory, native prompt, numeric scoring", async () => {
  const dir = await writeMgsmDir(await tmp());
  const suite = await loadMgsm({ data: dir, langs: ["zh", "th"], limit: 2 });
  assert.equal(suite.name, "mgsm");
  assert.deepEqual(suite.items.map((i) => `${i.lang}/${i.id}`), ["zh/1", "zh/2", "th/1", "th/2"]);
  const first = suite.items[0];
  assert.ok(first);
  assert.equal(first.expected, "8");
  assert.deepEqual(first.assert, [{ type: "numeric" }]);
  const [msg] = renderMessages(first, suite.templates);
  assert.equal(msg?.role, "user");
  assert.match(String(msg?.content), /答案：/);
  assert.match(String(msg?.content), /小明有 3 个苹果/);
  // One file serves one language.
  const one = await loadMgsm({ data: join(dir, "mgsm_ja.tsv"), langs: ["ja"] });
  assert.equal(one.items.length, 3);
  await assert.rejects(loadMgsm({ data: join(dir, "mgsm_ja.tsv"), langs: ["ja", "zh"] }), /exactly one --lang/);
  await assert.rejects(loadMgsm({ data: dir, langs: ["bn"] }), /no file for language "bn"/);
});

test("MGSM: a line without a tab names the file and line", async () => {
  const dir = await tmp();
  await writeFile(join(dir, "mgsm_en.tsv"), "What is 2+2?\t4\nbroken line\n");
  await assert.rejects(loadMgsm({ data: dir, langs: ["en"] }), /mgsm_en\.tsv:2: expected "question<TAB>answer"/);
});

test("XCOPA: upstream nested layout, cause/effect question in the item's language, choice scoring", async () => {
  const dir = await writeXcopaDir(await tmp());
  const suite = await loadXcopa({ data: dir, langs: ["vi", "id"] });
  assert.equal(suite.name, "xcopa-test");
  assert.equal(suite.items.length, 4);
  const vi = suite.items[1];
  assert.ok(vi);
  assert.equal(vi.expected, "2");
  assert.deepEqual(vi.assert, [{ type: "choice", choices: ["1", "2"] }]);
  const text = String(renderMessages(vi, suite.templates)[0]?.content);
  assert.match(text, /Nguyên nhân là gì\?/);
  assert.match(text, /1\. Trời nắng đẹp\.\n2\. Chủ cửa hàng bị ốm\./);
  await writeFile(join(dir, "vi", "test.vi.jsonl"), '{"premise":"x","choice1":"a","choice2":"b","question":"why","label":0}\n');
  await assert.rejects(loadXcopa({ data: dir, langs: ["vi"] }), /test\.vi\.jsonl:1: "question" must be "cause" or "effect"/);
});

test("generic JSONL: prompt or messages, expected and assertions, languages filtered, errors located", async () => {
  const dir = await tmp();
  const file = await writeJsonl(join(dir, "support.jsonl"));
  const all = await loadJsonlSuite({ data: file });
  assert.equal(all.name, "support");
  assert.deepEqual(all.items.map((i) => i.id), ["greet-ja", "json-th", "7"]);
  assert.deepEqual(all.items[2]?.assert, [{ type: "contains" }]);
  assert.equal(renderMessages(all.items[1]!, all.templates)[0]?.content, "Reply in JSON.");
  assert.equal(renderMessages(all.items[0]!, all.templates)[0]?.content, "「こんにちは」を英語に訳してください。");
  const th = await loadJsonlSuite({ data: file, langs: ["th"] });
  assert.deepEqual(th.items.map((i) => i.lang), ["th"]);

  const bad = await writeJsonl(join(dir, "bad.jsonl"), [{ id: "a", lang: "en", prompt: "hi", expected: "x" }, { id: "b", lang: "en", prompt: "hi", expected: "x", asert: [] }]);
  await assert.rejects(loadJsonlSuite({ data: bad }), /bad\.jsonl:2.*asert/);
  const both = await writeJsonl(join(dir, "both.jsonl"), [{ id: "a", lang: "en", prompt: "hi", messages: [{ role: "user", content: "hi" }], expected: "x" }]);
  await assert.rejects(loadJsonlSuite({ data: both }), /both\.jsonl:1.*exactly one of "messages" or "prompt"/);
  const dup = await writeJsonl(join(dir, "dup.jsonl"), [{ id: 1, lang: "en", prompt: "a", expected: "x" }, { id: "1", lang: "en", prompt: "b", expected: "y" }]);
  await assert.rejects(loadJsonlSuite({ data: dup }), /duplicate id "1"/);
});

test("URL loader: a local HTTP server stands in for the public raw URLs", async (t) => {
  const root = await tmp();
  await writeMgsmDir(join(root, "mgsm"));
  await writeXcopaDir(join(root, "data"));
  await writeJsonl(join(root, "own.jsonl"));
  const server = await serveDirectory(root);
  t.after(() => server.close());

  const templated = await loadMgsm({ data: `${server.url}/mgsm/mgsm_{lang}.tsv`, langs: ["ja", "th"] });
  assert.equal(templated.items.length, 6);
  assert.equal(templated.items.find((i) => i.lang === "th")?.expected, MGSM_FIXTURE.find((r) => r.lang === "th")?.answer);
  // A base URL gets the preset's file layout under it.
  const base = await loadMgsm({ data: `${server.url}/mgsm/`, langs: ["zh"] });
  assert.equal(base.items.length, 3);
  const xcopa = await loadXcopa({ data: `${server.url}/data/{lang}/{split}.{lang}.jsonl`, langs: ["id"] });
  assert.deepEqual(xcopa.items.map((i) => i.expected), ["1", "2"]);
  const own = await loadJsonlSuite({ data: `${server.url}/own.jsonl` });
  assert.equal(own.items.length, 3);
  assert.ok(server.requests.includes("/mgsm/mgsm_ja.tsv") && server.requests.includes("/data/id/test.id.jsonl"));
  await assert.rejects(loadMgsm({ data: `${server.url}/mgsm/mgsm_{lang}.tsv`, langs: ["bn"] }), /HTTP 404/);
});

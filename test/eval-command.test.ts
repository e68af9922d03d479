import { test } from "node:test";
import assert from "node:assert/strict";
import { access, mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFile } from "node:fs/promises";
import { byLanguageTableFromEval, evalCommand } from "../src/eval/index.js";
import { fakeModels } from "./fixtures/eval/fake-models.js";
import { writeJsonl, writeMgsmDir } from "./fixtures/eval/suites.js";

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), "inhouse-eval-"));

function sink(): { text: () => string; write: (s: string) => boolean; isTTY?: boolean } {
  let buf = "";
  return { text: () => buf, write: (s: string) => ((buf += s), true) };
}

test("inhouse eval: flags, progress on stderr, reports on disk, table on stdout; the rerun is free", async () => {
  const data = await writeMgsmDir(await tmp());
  const dataDir = await tmp();
  const out = join(dataDir, "reports", "x");
  const fake = fakeModels({ qwen: { zh: true, th: true }, llama: { ja: true } });
  const stdout = sink();
  const stderr = sink();
  const argv = ["--suite", "mgsm", "--lang", "zh,ja,th", "--models", "qwen,llama", "--limit", "2", "--out", out, "--concurrency", "2", "--data", data];
  const code = await evalCommand(argv, { call: fake.call, stdout, stderr, dataDir });
  assert.equal(code, 0, stderr.text());
  assert.equal(fake.calls.length, 12);
  assert.match(stderr.text(), /\[#+\] 12\/12 100%/);
  assert.match(stdout.text(), /qwen\s+100\.0%\s+0\.0%\s+100\.0%/);
  assert.match(stdout.text(), /Best per language: zh=qwen ja=llama th=qwen/);
  await access(join(out, "report.html"));
  const results = JSON.parse(await readFile(join(out, "results.json"), "utf8")) as { items: unknown[] };
  assert.equal(results.items.length, 12);

  const again = fakeModels({});
  const stdout2 = sink();
  const code2 = await evalCommand([...argv.slice(0, -4), "--out", join(dataDir, "reports", "y"), "--data", data, "--compare", join(out, "results.json")], { call: again.call, stdout: stdout2, stderr: sink(), dataDir });
  assert.equal(code2, 0);
  assert.equal(again.calls.length, 0, "answers come from the cache in the data dir");
  assert.match(stdout2.text(), /no item changed verdict/);

  // The table `from_eval` gives the by_language strategy.
  const table = { zh: "qwen", ja: "llama", th: "qwen", default: "qwen" };
  assert.deepEqual(await byLanguageTableFromEval(out), table);
  // By run id: the command's default report directory under the data dir.
  const runId = (JSON.parse(await readFile(join(out, "results.json"), "utf8")) as { runId: string }).runId;
  await evalCommand([...argv.slice(0, -6), "--concurrency", "2", "--data", data], { call: fakeModels({}).call, stdout: sink(), stderr: sink(), dataDir });
  const again2 = await readdir(join(dataDir, "reports"));
  const byDefault = again2.find((d) => d !== "x" && d !== "y");
  assert.ok(byDefault !== undefined && byDefault !== runId);
  assert.deepEqual(await byLanguageTableFromEval(byDefault, dataDir), table);
  await assert.rejects(byLanguageTableFromEval("no-such-run", dataDir), /cannot read eval results/);
});

test("inhouse eval: a JSONL suite file and a templates override file", async () => {
  const dir = await tmp();
  const suite = await writeJsonl(join(dir, "own.jsonl"));
  const templates = join(dir, "templates.yaml");
  await writeFile(templates, '"*":\n  system: "Answer briefly."\n  user: "{{prompt}}"\n');
  const seen: Array<{ model: string; system: unknown }> = [];
  const call = async (model: string, req: { messages: Array<{ role: string; content: unknown }> }) => {
    seen.push({ model, system: req.messages.find((m) => m.role === "system")?.content });
    const user = String(req.messages.at(-1)?.content);
    const content = user.includes("首都") ? "北京。" : user.includes("สมชาย") ? '{"name": "สมชาย", "age": 31}' : "Hello!";
    return { id: "x", object: "chat.completion" as const, created: 0, model, choices: [{ index: 0, message: { role: "assistant" as const, content }, finish_reason: "stop" as const }] };
  };
  const stdout = sink();
  const code = await evalCommand(["--suite", suite, "--models", "m", "--templates", templates, "--no-cache", "--out", join(dir, "r")], { call, stdout, stderr: sink(), dataDir: dir });
  assert.equal(code, 0);
  assert.match(stdout.text(), /m\s+100\.0%\s+100\.0%\s+100\.0%\s+100\.0%/);
  // Prompt items get the override's system message; items with their own messages keep theirs.
  assert.deepEqual(seen.map((s) => s.system).sort(), ["Answer briefly.", "Answer briefly.", "Reply in JSON."]);

  await writeFile(templates, 'zh:\n  usr: "{{prompt}}"\n');
  const stderr = sink();
  assert.equal(await evalCommand(["--suite", suite, "--models", "m", "--templates", templates], { call, stdout: sink(), stderr, dataDir: dir }), 2);
  assert.match(stderr.text(), /templates\.yaml at "zh/);
});

test("inhouse eval: usage errors exit 2 with help; a bad data path exits 1", async () => {
  const dataDir = await tmp();
  const call = fakeModels({}).call;
  const e1 = sink();
  assert.equal(await evalCommand(["--suite", "mgsm"], { call, stdout: sink(), stderr: e1, dataDir }), 2);
  assert.match(e1.text(), /--suite and --models are required/);
  const e2 = sink();
  assert.equal(await evalCommand(["--suite", "mgsm", "--models", "a", "--limit", "0"], { call, stdout: sink(), stderr: e2, dataDir }), 2);
  assert.match(e2.text(), /--limit must be a positive integer/);
  const e3 = sink();
  assert.equal(await evalCommand(["--suite", "mgsm", "--models", "a", "--bogus"], { call, stdout: sink(), stderr: e3, dataDir }), 2);
  const e4 = sink();
  assert.equal(await evalCommand(["--suite", "mgsm", "--models", "a", "--lang", "zh", "--data", join(dataDir, "missing")], { call, stdout: sink(), stderr: e4, dataDir }), 1);
  assert.match(e4.text(), /suite data not found/);
  const help = sink();
  assert.equal(await evalCommand(["--help"], { call, stdout: help, stderr: sink(), dataDir }), 0);
  assert.match(help.text(), /Usage: inhouse eval/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { access, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evalCommand } from "../src/eval/index.js";
import { fakeModels } from "./fixtures/eval/fake-models.js";
import { writeMgsmDir } from "./fixtures/eval/suites.js";

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

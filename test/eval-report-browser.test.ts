// Opens the HTML report in Debian's Chromium, checks what a reader sees, and saves a screenshot under
// test-artifacts/ for a human to look at.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { loadMgsm, runEval, writeReports } from "../src/eval/index.js";
import { fakeModels } from "./fixtures/eval/fake-models.js";
import { writeMgsmDir } from "./fixtures/eval/suites.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;

test("the HTML report renders in Chromium without fetching anything", async (t) => {
  const suite = await loadMgsm({ data: await writeMgsmDir(await mkdtemp(join(tmpdir(), "inhouse-eval-"))), langs: ["zh", "ja", "th"] });
  // No two models tie on a language's accuracy: a tie is settled by measured latency, which a test can't fix.
  const skills = { "qwen3-8b": { zh: true, th: true }, "llama-3.1-8b": { ja: true }, "gemma-3-4b": {} };
  const run = await runEval({ suite, models: Object.keys(skills), call: fakeModels(skills, { delayMs: 2 }).call });
  const { html } = await writeReports(run, join(await mkdtemp(join(tmpdir(), "inhouse-report-")), "r"));

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requested: string[] = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(`file://${html}`);
  assert.deepEqual(requested, [`file://${html}`], "a self-contained report loads nothing else");
  const cells = await page.$$eval("table.heat tr", (rows) => rows.map((r) => [...r.children].map((c) => (c.querySelector("b")?.textContent ?? c.textContent ?? "").trim())));
  assert.deepEqual(cells[0], ["model", "zh", "ja", "th", "all"]);
  assert.deepEqual(cells[1], ["qwen3-8b", "100.0%", "0.0%", "100.0%", "66.7%"]);
  assert.deepEqual(cells[2], ["llama-3.1-8b", "0.0%", "100.0%", "0.0%", "33.3%"]);
  assert.deepEqual(cells[4], ["best", "qwen3-8b", "llama-3.1-8b", "qwen3-8b", ""]);
  assert.ok((await page.$$("section.item")).length > 0);

  await mkdir(ARTIFACTS, { recursive: true });
  const shot = join(ARTIFACTS, "eval-report.png");
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok((await stat(shot)).size > 10_000);
});

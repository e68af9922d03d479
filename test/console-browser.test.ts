// The console in Debian's Chromium (playwright-core, no downloaded browsers) against a real gateway with a
// fake upstream: sign in, stream a playground answer, compare two models, create and revoke a key, run the
// policy tester; a screenshot of every page goes to test-artifacts/console/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { chatChunks, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ensureConsoleBuilt } from "./helpers/console-dist.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";
import { makeContent, startModelServer, type ModelServer } from "./model-store-server.js";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = new URL("../test-artifacts/console/", import.meta.url).pathname;
const ANSWER = ["The ", "quick ", "brown ", "fox ", "jumps."];

let up: FakeUpstream;
let hub: ModelServer;
let gw: TestGateway;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

async function nav(label: string): Promise<void> {
  await page.getByRole("navigation").getByRole("link", { name: label, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: label }).waitFor();
}

async function traffic(model: string, stream: boolean): Promise<void> {
  const res = await fetch(`${gw.v1}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], stream, stream_options: stream ? { include_usage: true } : undefined }),
  });
  await res.text();
}

describe("console in Chromium", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)` }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    up = await startFakeUpstream();
    hub = await startModelServer(makeContent(2 * 1024 * 1024, 5));
    process.env.INHOUSE_HF_ENDPOINT = hub.baseUrl;
    up.respond((req) => {
      const model = String(req.body?.model);
      if (model === "broken") return { status: 500, json: { error: { message: "boom" } } };
      const content = model === "m2" ? ["A ", "different ", "answer ", "from ", "m2."] : ANSWER;
      return req.body?.stream ? { sse: chatChunks({ model, content, delayMs: 120 }, true) } : { json: { id: "x", object: "chat.completion", created: 1, model, choices: [{ index: 0, message: { role: "assistant", content: content.join("") }, finish_reason: "stop" }], usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 } } };
    });
    gw = await startGateway(`
policy: {}
router: { retries: 0, circuit_breaker: { failures: 2, cooldown: 10m } }
backends:
  up: { type: openai, base_url: ${up.url} }
  hosted: { type: openai, base_url: https://api.example.invalid/v1, api_key: sk-hosted-secret, in_house: false }
models:
  chat: { targets: [up/m1, hosted/big-model] }
  fast: { targets: [up/m2], strategy: round_robin }
  broken: { targets: [up/broken] }
`);
    // Some traffic so the overview, models and usage pages have something to show.
    for (let i = 0; i < 4; i++) await traffic("chat", i % 2 === 0);
    await traffic("fast", true);
    await traffic("broken", false);
    await traffic("broken", false);
    const run = join(gw.config.data_dir, "reports", "2026-11-28T10-00-00-mgsm");
    mkdirSync(run, { recursive: true });
    const cell = (acc: number) => ({ n: 10, correct: acc * 10, accuracy: acc, meanScore: acc, errors: 0 });
    const stats = (acc: number) => ({ ...cell(acc), latencyMs: { mean: 900, p50: 850, p95: 1400 }, tokens: { prompt: 900, completion: 1500, meanCompletion: 150 } });
    writeFileSync(
      join(run, "results.json"),
      JSON.stringify({
        runId: "2026-11-28T10-00-00-mgsm",
        suite: "mgsm",
        startedAt: "2026-11-28T10:00:00.000Z",
        finishedAt: "2026-11-28T10:04:00.000Z",
        models: ["chat", "fast"],
        langs: ["th", "sw", "zh"],
        items: [],
        summary: {
          byModel: { chat: stats(0.7), fast: stats(0.5) },
          byModelLang: { chat: { th: cell(0.6), sw: cell(0.7), zh: cell(0.8) }, fast: { th: cell(0.4), sw: cell(0.5), zh: cell(0.6) } },
        },
      }),
    );
    writeFileSync(join(run, "report.html"), "<!doctype html><h1>MGSM report</h1><p>chat 70%, fast 50%</p>");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on("dialog", (d) => void d.accept());
  });

  after(async () => {
    await browser?.close();
    await gw?.close();
    await up?.close();
    await hub?.close();
  });

  test("sign in with the admin key; a wrong key is refused", async () => {
    await page.goto(`${gw.url}/console/`);
    await page.getByLabel("Admin key").fill("wrong-key-000000000000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(/Invalid API key/).waitFor();
    await shot("01-sign-in");
    await page.getByLabel("Admin key").fill(ADMIN_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem("inhouse.adminKey")), ADMIN_KEY);
  });

  test("overview shows the traffic in cards and SVG charts", async () => {
    await page.locator(".stat-value").first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll(".chart svg path[d^='M']").length > 0);
    const cards = await page.locator(".stat").allInnerTexts();
    assert.ok(cards.some((c) => /Requests\/s/i.test(c) && /7 in 15m/.test(c)), cards.join(" | "));
    assert.ok(cards.some((c) => /Errors\s*2\b/i.test(c)), cards.join(" | "));
    assert.ok((await page.locator(".chart").count()) >= 5);
    assert.match(await page.locator(".legend").first().innerText(), /chat/);
    await shot("02-overview");
    await page.getByRole("button", { name: "by backend" }).click();
    assert.match(await page.locator(".legend").first().innerText(), /up/);
  });

  test("playground streams an answer and shows TTFT, tokens/s and tokens", async () => {
    await nav("Playground");
    await page.getByLabel("Model").selectOption("chat");
    await page.getByLabel("System prompt").fill("Answer briefly.");
    await page.getByPlaceholder(/Message/).fill("Tell me about foxes");
    await page.getByPlaceholder(/Message/).press("Enter");
    const text = page.getByTestId("assistant-text");
    // Part of the answer before all of it: the text arrives as a stream.
    await page.waitForFunction(() => {
      const t = document.querySelector("[data-testid=assistant-text]")?.textContent ?? "";
      return t.startsWith("The ") && !t.endsWith("jumps.");
    });
    await page.waitForFunction(() => document.querySelector("[data-testid=assistant-text]")?.textContent === "The quick brown fox jumps.");
    await page.locator("[data-stat=ttft]").waitFor();
    assert.equal(await text.innerText(), ANSWER.join(""));
    assert.match(await page.locator("[data-stat=ttft]").innerText(), /\d+(\.\d+)? (ms|s)/);
    assert.match(await page.locator("[data-stat=tps]").innerText(), /^\d+\.\d$/);
    assert.equal(await page.locator("[data-stat=tokens]").innerText(), "7 in · 5 out");
    assert.equal(await page.locator("[data-stat=backend]").innerText(), "up/m1");
    const sent = up.requests.at(-1)!.body;
    assert.equal(sent.messages[0].content, "Answer briefly.");
    assert.equal(sent.temperature, 0.7);
    assert.equal(sent.max_tokens, 512);
    await shot("03-playground");
  });

  test("compare streams two models side by side", async () => {
    await nav("Compare");
    await page.getByLabel("Model 1").selectOption("chat");
    await page.getByLabel("Model 2").selectOption("fast");
    await page.locator("textarea[name=prompt]").fill("Say something");
    await page.getByRole("button", { name: /^Compare 2 models$/ }).click();
    await page.waitForFunction(() => document.querySelectorAll(".column [data-stat=ttft]").length === 2);
    const columns = await page.locator(".column").allInnerTexts();
    assert.match(columns[0]!, /^chat\s+The quick brown fox jumps\./);
    assert.match(columns[1]!, /^fast\s+A different answer from m2\./);
    for (const c of columns) assert.match(c, /TTFT[\s\S]*tokens\/s[\s\S]*7 in · 5 out/);
    await shot("04-compare");
  });

  test("models page lists aliases with breaker state, backends and the catalog", async () => {
    await nav("Models");
    await page.getByRole("cell", { name: "up/broken" }).waitFor();
    const brokenRow = page.locator("tr", { has: page.getByRole("cell", { name: "up/broken" }) });
    assert.match(await brokenRow.innerText(), /open/);
    const hostedRow = page.locator("tr", { has: page.getByRole("cell", { name: "hosted/big-model" }) });
    assert.match(await hostedRow.innerText(), /external/);
    assert.ok(!(await page.content()).includes("sk-hosted-secret"));
    await page.getByPlaceholder(/Filter by name/).fill("qwen3-0.6b");
    await page.getByRole("cell", { name: "Apache-2.0" }).first().waitFor();
    await page.getByPlaceholder(/Filter by name/).fill("");
    await page.getByLabel("Model to pull").fill("hf:acme/Tiny-GGUF/tiny-Q8_0.gguf");
    await page.getByRole("button", { name: "Pull", exact: true }).first().click();
    await page.getByTestId("pull-progress").getByText(/done · 2\.1 MB · sha256 [0-9a-f]{12}… \(checked against the hub\)/).waitFor();
    await page.getByRole("cell", { name: "hf:acme/Tiny-GGUF/tiny-Q8_0.gguf" }).first().waitFor();
    await page.locator("section", { has: page.getByRole("heading", { name: "Pull a model" }) }).screenshot({ path: join(SHOTS, "05-models-pull.png") });
    await shot("05-models");
  });

  test("keys: create one (shown once), it works, revoke it, it stops working", async () => {
    await nav("Keys");
    await page.getByLabel("Name").fill("team-browser");
    await page.getByLabel("Requests per minute").fill("120");
    await page.getByLabel("Models (globs, comma-separated; empty = all)").fill("chat, fast");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.getByTestId("new-key").innerText()).trim();
    assert.ok(secret.length >= 20);
    const row = page.locator("tr", { hasText: "team-browser" });
    await row.waitFor();
    assert.match(await row.innerText(), /120 rpm/);
    assert.ok(!(await row.innerText()).includes(secret), "the list never shows the secret");
    await shot("06-keys-created");
    const use = () => fetch(`${gw.v1}/models`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);
    assert.equal(await use(), 200);
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.waitFor({ state: "detached" });
    assert.equal(await use(), 401);
    await page.getByLabel("show revoked").check();
    await page.locator("tr.revoked", { hasText: "team-browser" }).waitFor();
    await shot("07-keys-revoked");
  });

  test("usage and audit pages show the records", async () => {
    await gw.gateway.store.usage.flush();
    await nav("Usage");
    await page.getByRole("cell", { name: "m1" }).waitFor();
    await shot("08-usage");
    await page.getByRole("button", { name: "by key" }).click();
    await page.getByRole("cell", { name: "admin key" }).waitFor();
    await nav("Audit");
    await page.locator("tbody .badge", { hasText: "key.revoke" }).first().waitFor();
    await page.getByLabel("Action").selectOption("key.create");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForFunction(() => [...document.querySelectorAll("tbody .badge")].every((b) => b.textContent === "key.create"));
    await page.getByRole("button", { name: "Verify chain" }).click();
    await page.getByText(/Chain intact/).waitFor();
    await shot("09-audit");
  });

  test("policy tester shows what is detected and what an external model would receive", async () => {
    await nav("Policy tester");
    await page.getByLabel("Text to test").fill("Write to mei.ling@example.com about card 4111 1111 1111 1111, thanks.");
    await page.getByRole("button", { name: "Test" }).click();
    const external = await page.getByTestId("policy-external").innerText();
    assert.ok(!external.includes("mei.ling@example.com") && !external.includes("4111"), external);
    assert.match(external, /\[EMAIL_1\]/);
    const result = await page.getByTestId("policy-result").innerText();
    assert.match(result, /pseudonymize/);
    assert.match(result, /email/);
    await shot("10-policy");
  });

  test("eval page shows past runs and the full report", async () => {
    await nav("Eval");
    await page.getByRole("cell", { name: "70.0%" }).first().waitFor();
    await page.getByRole("button", { name: "Show the full report" }).click();
    const frame = page.frameLocator("iframe.report");
    await frame.getByRole("heading", { name: "MGSM report" }).waitFor();
    await shot("11-eval");
  });

  test("narrow screens get a stacked layout", async () => {
    await page.setViewportSize({ width: 420, height: 860 });
    await nav("Overview");
    await page.locator(".chart svg").first().waitFor();
    await shot("12-overview-narrow");
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});

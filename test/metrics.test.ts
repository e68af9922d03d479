// GET /metrics after real traffic through the gateway: the counters, histograms and gauges moved.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { chatChunks, chatCompletion, errorBody, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

let up: FakeUpstream;
let gw: TestGateway;

before(async () => {
  up = await startFakeUpstream();
  up.respond((req) => {
    if (req.body?.model === "flaky") return { status: 500, json: errorBody("boom", "server_error") };
    return req.body?.stream ? { sse: chatChunks({ model: req.body.model, delayMs: 2 }, true) } : { json: chatCompletion({ model: req.body?.model }) };
  });
  gw = await startGateway(`
policy: {}
router: { retries: 0, circuit_breaker: { failures: 1, cooldown: 10m } }
backends:
  up: { type: openai, base_url: ${up.url} }
  ext: { type: openai, base_url: ${up.url}, in_house: false }
models:
  hosted: { targets: [ext/m9] }
  chat: { targets: [up/m1] }
  safe: { targets: [up/flaky, up/m1] }
`);
});
after(async () => {
  await gw.close();
  await up.close();
});

async function scrape(key: string | null = ADMIN_KEY): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${gw.url}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
}

/** The value of one sample line, e.g. value(text, 'inhouse_requests_total', {route: "chat", status: "200"}). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

async function chat(model: string, stream: boolean, content = "hi"): Promise<void> {
  const res = await fetch(`${gw.v1}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content }], stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }),
  });
  await res.text();
}

test("/metrics needs the admin key (a scraper sends it as a bearer token)", async () => {
  assert.equal((await scrape(null)).status, 401);
  const ok = await scrape();
  assert.equal(ok.status, 200);
  assert.match(ok.type ?? "", /^text\/plain; version=0\.0\.4/);
});

test("after traffic the request, token, latency, TTFT, attempt and breaker metrics moved", async () => {
  const before = (await scrape()).text;
  await chat("chat", false);
  await chat("chat", true);
  await chat("chat", true);
  await chat("safe", false); // up/flaky fails (500), falls back to up/m1; flaky's breaker opens
  const { text } = await scrape();
  const moved = (name: string, labels: Record<string, string>) => value(text, name, labels) - value(before, name, labels);
  assert.equal(moved("inhouse_requests_total", { route: "chat", target: "up/m1", status: "200", endpoint: "chat" }), 3);
  assert.equal(moved("inhouse_requests_total", { route: "safe", target: "up/m1", status: "200" }), 1);
  assert.equal(moved("inhouse_tokens_total", { route: "chat", type: "completion" }), 15);
  assert.equal(moved("inhouse_tokens_total", { route: "chat", type: "prompt" }), 21);
  assert.equal(moved("inhouse_request_duration_seconds_count", { route: "chat" }), 3);
  assert.equal(moved("inhouse_time_to_first_token_seconds_count", { route: "chat" }), 2);
  assert.equal(moved("inhouse_generation_tokens_per_second_count", { route: "chat" }), 2);
  assert.equal(moved("inhouse_upstream_attempts_total", { target: "up/flaky", outcome: "upstream_error" }), 1);
  assert.equal(moved("inhouse_upstream_attempts_total", { target: "up/m1", outcome: "ok" }), 4);
  assert.equal(value(text, "inhouse_breaker_state", { target: "up/flaky" }), 2);
  assert.match(text, /inhouse_in_flight_requests\{target="up\/m1"\} 0/);
  assert.match(text, /inhouse_engine_loaded_models 0/);
  assert.match(text, /process_cpu_seconds_total/);
});

test("a model name the client made up is counted under one label, not its own", async () => {
  await chat("made-up-model-123", false);
  const { text } = await scrape();
  assert.ok(!text.includes("made-up-model-123"));
  assert.ok(value(text, "inhouse_requests_total", { route: "(unknown)", status: "404" }) >= 1);
});

test("policy actions and detections are counted by action and kind", async () => {
  const before = (await scrape()).text;
  await chat("hosted", false, "Mail ana@example.com and bo@example.org");
  const { text } = await scrape();
  const moved = (name: string, labels: Record<string, string>) => value(text, name, labels) - value(before, name, labels);
  assert.equal(moved("inhouse_policy_actions_total", { action: "pseudonymize" }), 1);
  assert.equal(moved("inhouse_policy_detections_total", { kind: "email" }), 2);
  assert.ok(!text.includes("ana@example.com"));
});

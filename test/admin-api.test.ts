// The admin API against a real gateway (SQLite store) in front of a fake upstream: auth, models, config
// redaction, stats, breakers, keys, usage, audit, eval reports, errors in the contract's shape.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chatChunks, chatCompletion, errorBody, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

let up: FakeUpstream;
let gw: TestGateway;

async function call(path: string, init: { method?: string; body?: unknown; key?: string | null } = {}) {
  const headers: Record<string, string> = {};
  const key = init.key === undefined ? ADMIN_KEY : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(gw.url + path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

async function chat(model: string, stream: boolean, key = ADMIN_KEY) {
  const res = await fetch(`${gw.v1}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }),
  });
  await res.text();
  return res.status;
}

before(async () => {
  up = await startFakeUpstream();
  up.respond((req) => {
    if (req.body?.model === "broken") return { status: 500, json: errorBody("boom", "server_error") };
    return req.body?.stream ? { sse: chatChunks({ model: req.body.model }, true) } : { json: chatCompletion({ model: req.body?.model }) };
  });
  gw = await startGateway(`
policy: {}
router: { retries: 0, circuit_breaker: { failures: 1, cooldown: 10m } }
backends:
  up: { type: openai, base_url: ${up.url}, api_key: upstream-secret-key-123, headers: { X-Tenant: tenant-secret-value } }
models:
  chat: { targets: [up/m1] }
  fast: { targets: [up/m2, up/m1], strategy: round_robin }
  broken: { targets: [up/broken] }
`);
});
after(async () => {
  await gw.close();
  await up.close();
});

describe("admin auth", () => {
  test("no key is 401 and a virtual key is 403, both in OpenAI's error shape", async () => {
    const none = await call("/admin/models", { key: null });
    assert.equal(none.status, 401);
    assert.equal(none.json.error.type, "authentication_error");
    const created = await call("/admin/keys", { body: { name: "not-admin" } });
    assert.equal(created.status, 201);
    const virtual = await call("/admin/models", { key: created.json.key });
    assert.equal(virtual.status, 403);
    assert.equal(virtual.json.error.type, "permission_error");
    const metrics = await call("/metrics", { key: created.json.key });
    assert.equal(metrics.status, 403);
  });
});

describe("models, config, breakers", () => {
  test("GET /admin/models lists aliases with targets, breaker state and in_house, backends and the catalog", async () => {
    const { status, json } = await call("/admin/models");
    assert.equal(status, 200);
    const fast = json.aliases.find((a: any) => a.name === "fast");
    assert.equal(fast.strategy, "round_robin");
    assert.deepEqual(
      fast.targets.map((t: any) => [t.target, t.breaker, t.in_house]),
      [
        ["up/m2", "closed", true],
        ["up/m1", "closed", true],
      ],
    );
    const backend = json.backends.find((b: any) => b.name === "up");
    assert.equal(backend.in_house, true);
    assert.equal(backend.base_url, up.url);
    assert.ok(json.catalog.length >= 10);
    const qwen = json.catalog.find((m: any) => m.name === "qwen3-0.6b");
    assert.equal(qwen.origin, "CN");
    assert.equal(qwen.license.id, "Apache-2.0");
  });

  test("GET /admin/config shows the config with every secret redacted", async () => {
    const { status, json, text } = await call("/admin/config");
    assert.equal(status, 200);
    assert.ok(!text.includes("upstream-secret-key-123"));
    assert.ok(!text.includes("tenant-secret-value"));
    assert.ok(!text.includes(ADMIN_KEY));
    assert.equal(json.backends.up.api_key, "[redacted]");
    assert.equal(json.backends.up.headers["X-Tenant"], "[redacted]");
    assert.deepEqual(Object.keys(json.models).sort(), ["broken", "chat", "fast"]);
  });

  test("a failing target opens its breaker; /admin/breakers and /admin/models show it", async () => {
    assert.equal(await chat("broken", false), 502);
    const { json } = await call("/admin/breakers");
    assert.equal(json.threshold, 1);
    const b = json.breakers.find((x: any) => x.target === "up/broken");
    assert.equal(b.state, "open");
    assert.ok(b.retry_in_ms > 0);
    const models = await call("/admin/models");
    assert.equal(models.json.aliases.find((a: any) => a.name === "broken").targets[0].breaker, "open");
  });
});

describe("stats", () => {
  test("GET /admin/stats counts requests, errors, tokens and TTFT per alias and backend", async () => {
    const before = (await call("/admin/stats?window=5m")).json;
    assert.equal(await chat("chat", true), 200);
    assert.equal(await chat("chat", false), 200);
    assert.equal(await chat("fast", true), 200);
    assert.equal(await chat("broken", false), 503); // breaker open now: no backend
    const { status, json } = await call("/admin/stats?window=5m");
    assert.equal(status, 200);
    assert.equal(json.bucket_ms, 10_000);
    assert.equal(json.total.length, 30);
    assert.equal(json.summary.requests - before.summary.requests, 4);
    assert.equal(json.summary.errors - before.summary.errors, 1);
    const sum = (points: any[], f: string) => points.reduce((a, p) => a + p[f], 0);
    assert.equal(sum(json.by_alias.chat, "requests"), 2);
    assert.equal(sum(json.by_alias.fast, "requests"), 1);
    assert.equal(sum(json.by_alias.chat, "tokens_out"), 10);
    assert.ok(sum(json.by_backend.up, "requests") >= 3);
    assert.ok(json.by_alias.chat.some((p: any) => p.ttft_p50_ms !== null), "streamed requests report TTFT");
    assert.ok(json.summary.p50_ms !== null && json.summary.p95_ms >= json.summary.p50_ms);
  });

  test("a window beyond the hour kept in memory, or a malformed one, is a 400", async () => {
    const long = await call("/admin/stats?window=2h");
    assert.equal(long.status, 400);
    assert.equal(long.json.error.param, "window");
    assert.equal((await call("/admin/stats?window=abc")).status, 400);
  });
});

describe("keys, usage, audit", () => {
  test("create (key shown once), list, use, revoke; a revoked key gets 401", async () => {
    const created = await call("/admin/keys", { body: { name: "team-a", rpm: 100, models: ["chat"], in_house_only: true } });
    assert.equal(created.status, 201);
    assert.match(created.json.key, /\S{20,}/);
    assert.equal(created.json.rpm, 100);
    const listed = await call("/admin/keys");
    const row = listed.json.keys.find((k: any) => k.id === created.json.id);
    assert.equal(row.name, "team-a");
    assert.equal(row.key, undefined, "the secret is never listed");
    assert.ok(!listed.text.includes(created.json.key));
    assert.equal(await chat("chat", false, created.json.key), 200);
    const revoked = await call(`/admin/keys/${created.json.id}`, { method: "DELETE" });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.json.revoked_at);
    assert.equal(await chat("chat", false, created.json.key), 401);
    assert.equal((await call("/admin/keys")).json.keys.some((k: any) => k.id === created.json.id), false);
    assert.equal((await call("/admin/keys?include_revoked=true")).json.keys.some((k: any) => k.id === created.json.id), true);
  });

  test("bad key settings and unknown ids answer in the error shape", async () => {
    const bad = await call("/admin/keys", { body: { name: "x", rpm: -1 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.type, "invalid_request_error");
    const unknown = await call("/admin/keys/key_doesnotexist", { method: "DELETE" });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, "not_found");
    const notObject = await call("/admin/keys", { body: ["x"] });
    assert.equal(notObject.status, 400);
  });

  test("GET /admin/usage groups by model, key and day once usage is flushed", async () => {
    await gw.gateway.store.usage.flush();
    const byModel = await call("/admin/usage?group_by=model&since=1h");
    assert.equal(byModel.status, 200);
    const m1 = byModel.json.rows.find((r: any) => r.model === "m1");
    assert.ok(m1.requests >= 3);
    assert.ok(m1.completion_tokens >= 15);
    const byKey = await call("/admin/usage?group_by=key");
    assert.ok(byKey.json.rows.some((r: any) => r.key_id === "admin"));
    const byDay = await call("/admin/usage?group_by=day&since=7d");
    assert.equal(byDay.json.rows.at(-1).day, new Date().toISOString().slice(0, 10));
    assert.equal((await call("/admin/usage?group_by=week")).status, 400);
    assert.equal((await call("/admin/usage?since=yesterday")).json.error.param, "since");
  });

  test("GET /admin/audit lists key events newest first, filters by action, and the chain verifies", async () => {
    const all = await call("/admin/audit");
    assert.equal(all.status, 200);
    const actions = all.json.records.map((r: any) => r.action);
    assert.ok(actions.includes("key.create") && actions.includes("key.revoke") && actions.includes("config.load"));
    const seqs = all.json.records.map((r: any) => r.seq);
    assert.deepEqual(seqs, [...seqs].sort((a: number, b: number) => b - a));
    const revokes = await call("/admin/audit?action=key.revoke");
    assert.ok(revokes.json.records.length >= 1);
    assert.ok(revokes.json.records.every((r: any) => r.action === "key.revoke"));
    const verify = await call("/admin/audit/verify");
    assert.equal(verify.json.ok, true);
  });
});

describe("policy tester and eval reports", () => {
  test("POST /admin/policy/test validates its body", async () => {
    const bad = await call("/admin/policy/test", { body: { nope: 1 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.param, "text");
  });

  test("GET /admin/eval lists runs found in the reports directory and serves one run", async () => {
    const dir = join(gw.config.data_dir, "reports", "run-2026-test");
    mkdirSync(dir, { recursive: true });
    const cell = { n: 2, correct: 1, accuracy: 0.5, meanScore: 0.5, errors: 0 };
    const run = {
      runId: "run-2026-test",
      suite: "mgsm",
      startedAt: "2026-11-28T10:00:00.000Z",
      finishedAt: "2026-11-28T10:01:00.000Z",
      models: ["chat"],
      langs: ["th"],
      items: [],
      summary: { byModelLang: { chat: { th: cell } }, byModel: { chat: { ...cell, latencyMs: { mean: 1, p50: 1, p95: 2 }, tokens: { prompt: 1, completion: 1, meanCompletion: 1 } } } },
    };
    writeFileSync(join(dir, "results.json"), JSON.stringify(run));
    writeFileSync(join(dir, "report.html"), "<h1>report</h1>");
    const list = await call("/admin/eval");
    assert.equal(list.json.runs[0].run_id, "run-2026-test");
    assert.equal(list.json.runs[0].by_model_lang.chat.th.accuracy, 0.5);
    const one = await call("/admin/eval/run-2026-test");
    assert.equal(one.json.suite, "mgsm");
    const html = await call("/admin/eval/run-2026-test/html");
    assert.equal(html.text, "<h1>report</h1>");
    assert.match(html.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    assert.equal((await call("/admin/eval/..%2F..%2Fetc")).status, 400);
    assert.equal((await call("/admin/eval/missing-run")).status, 404);
  });
});

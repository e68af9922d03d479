// Virtual keys on the request path: 401/403, limits (429 with Retry-After), in_house_only, usage records,
// and the keys/usage/audit commands of the real binary.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { startFakeUpstream, USAGE, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

let up: FakeUpstream;
let gw: TestGateway;
const msg = [{ role: "user" as const, content: "hi" }];
const BIN = new URL("../bin/inhouse.js", import.meta.url).pathname;

before(async () => {
  up = await startFakeUpstream();
  gw = await startGateway(`
backends:
  lab: { type: openai, base_url: ${up.url}, in_house: true }
  cloud: { type: openai, base_url: ${up.url}, in_house: false }
models:
  chat: { targets: [lab/m] }
  hosted: { targets: [cloud/m] }
  mixed: { targets: [cloud/m, lab/m] }
`);
});
after(async () => {
  await gw.close();
  await up.close();
});

const clientFor = (key: string) => new OpenAI({ apiKey: key, baseURL: gw.v1, maxRetries: 0 });

test("a key may call only its models: 403 names the model; /v1/models lists only those", async () => {
  const { key } = await gw.gateway.store.createKey({ name: "team-a", models: ["chat", "lab/*"] });
  const c = clientFor(key);
  const ok = await c.chat.completions.create({ model: "chat", messages: msg });
  assert.equal(ok.choices[0]?.message.content, "Hello from the fake upstream.");
  await assert.rejects(c.chat.completions.create({ model: "hosted", messages: msg }), (e: unknown) => e instanceof OpenAI.PermissionDeniedError && /hosted/.test(e.message));
  const ids = (await c.models.list()).data.map((m) => m.id);
  assert.ok(ids.includes("chat") && !ids.includes("hosted"), ids.join(","));
});

test("rpm: the limit admits N, then 429 with Retry-After", async () => {
  const { key } = await gw.gateway.store.createKey({ name: "rpm-3", rpm: 3 });
  const send = () =>
    fetch(`${gw.v1}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "chat", messages: msg }),
    });
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push(await send());
  assert.deepEqual(statuses.map((r) => r.status), [200, 200, 200, 429, 429]);
  const denied = statuses[3]!;
  assert.ok(Number(denied.headers.get("retry-after")) >= 1);
  const body = (await denied.json()) as { error: { code: string; type: string } };
  assert.equal(body.error.code, "rate_limit_exceeded");
});

test("budget: a spent token budget answers 429 insufficient_quota", async () => {
  const { key } = await gw.gateway.store.createKey({ name: "tiny-budget", budget_tokens: USAGE.total_tokens, budget_period: "day" });
  const c = clientFor(key);
  await c.chat.completions.create({ model: "chat", messages: msg });
  await assert.rejects(c.chat.completions.create({ model: "chat", messages: msg }), (e: unknown) => e instanceof OpenAI.RateLimitError && e.code === "insufficient_quota");
});

test("max_concurrent: a second simultaneous request is refused", async () => {
  const { key } = await gw.gateway.store.createKey({ name: "one-at-a-time", max_concurrent: 1 });
  up.enqueue({ delay: 300, json: { id: "x", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "slow" }, finish_reason: "stop" }], usage: USAGE } });
  const c = clientFor(key);
  const first = c.chat.completions.create({ model: "chat", messages: msg });
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(c.chat.completions.create({ model: "chat", messages: msg }), (e: unknown) => e instanceof OpenAI.RateLimitError);
  assert.equal((await first).choices[0]?.message.content, "slow");
  await c.chat.completions.create({ model: "chat", messages: msg }); // released
});

test("in_house_only: traffic never leaves, whatever the alias", async () => {
  const { key } = await gw.gateway.store.createKey({ name: "confidential", in_house_only: true });
  const c = clientFor(key);
  up.reset();
  const { response } = await c.chat.completions.create({ model: "mixed", messages: msg }).withResponse();
  assert.equal(response.headers.get("x-inhouse-backend"), "lab/m");
  await assert.rejects(c.chat.completions.create({ model: "hosted", messages: msg }), (e: unknown) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.equal(e.code, "content_policy_violation");
    assert.match(e.message, /hosted/);
    return true;
  });
});

test("revoked and unknown keys get 401 at once on the replica that revoked", async () => {
  const created = await gw.gateway.store.createKey({ name: "short-lived" });
  const c = clientFor(created.key);
  await c.models.list();
  await gw.gateway.store.revokeKey(created.id);
  await assert.rejects(c.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError);
  const expired = await gw.gateway.store.createKey({ name: "expired", expires_at: new Date(Date.now() - 1000).toISOString() });
  await assert.rejects(clientFor(expired.key).models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError);
});

test("usage: one record per request with the tokens the client received", async () => {
  const { id, key } = await gw.gateway.store.createKey({ name: "metered" });
  const c = clientFor(key);
  let promptSeen = 0;
  for (let i = 0; i < 3; i++) promptSeen += (await c.chat.completions.create({ model: "chat", messages: msg })).usage!.prompt_tokens;
  const stream = await c.chat.completions.create({ model: "chat", messages: msg, stream: true, stream_options: { include_usage: true } });
  for await (const chunk of stream) if (chunk.usage) promptSeen += chunk.usage.prompt_tokens;
  await gw.gateway.store.usage.flush();
  const { rows } = await gw.gateway.store.usageSummary({ group_by: "key", key_id: id });
  assert.deepEqual(rows.map((r) => [r.requests, r.prompt_tokens, r.completion_tokens]), [[4, promptSeen, 4 * USAGE.completion_tokens]]);
});

test("CLI: keys create/list/revoke, usage and audit verify on the same data dir", async () => {
  const dir = gw.config.data_dir;
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, "--data-dir", dir], { encoding: "utf8", env: { ...process.env, INHOUSE_CONFIG: "" } });
  const created = run("keys", "create", "--name", "cli-key", "--rpm", "10", "--models", "chat", "--json");
  assert.equal(created.status, 0, created.stderr);
  const key = JSON.parse(created.stdout) as { id: string; key: string; rpm: number };
  assert.equal(key.rpm, 10);
  assert.match(key.key, /^ih-/);
  const listed = run("keys", "list");
  assert.match(listed.stdout, /cli-key/);
  assert.ok(!listed.stdout.includes(key.key), "the secret is never listed");
  assert.equal(run("keys", "revoke", key.id).status, 0);
  assert.equal(run("keys", "revoke", "nope").status, 1);
  assert.equal(run("keys", "create", "--rpm", "x").status, 2);
  const usage = run("usage", "--group-by", "model", "--json");
  assert.equal(usage.status, 0, usage.stderr);
  assert.ok((JSON.parse(usage.stdout) as { rows: { model: string }[] }).rows.some((r) => r.model === "m"));
  const verify = run("audit", "verify");
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /intact/);
  const audit = run("audit", "list", "--json");
  const actions = (JSON.parse(audit.stdout) as { action: string }[]).map((r) => r.action);
  assert.ok(actions.includes("key.create") || actions.some((a) => a.includes("key")), actions.join(","));
});

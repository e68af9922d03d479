import assert from "node:assert/strict";
import { test } from "node:test";
import { policySchema } from "../config/policy-schema.js";
import type { ChatRequest } from "../spec/index.js";
import { createPolicyEngine, policyViolation } from "./engine.js";
import { restoreResponse } from "./response-restore.js";
import { MemoryVault } from "./vault.js";

const request = (): ChatRequest => ({
  model: "chat",
  messages: [
    { role: "system", content: "You are support for Acme. Escalate to ops@acme.example." },
    { role: "user", content: [{ type: "text", text: "My phone is 090-1234-5678, email kenji@example.jp." }, { type: "image_url", image_url: { url: "https://x/y.png" } }] },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: '{"email":"kenji@example.jp","card":"4111 1111 1111 1111"}' } }],
    },
    { role: "tool", tool_call_id: "c1", content: "Customer 11010519491231002X, Project Apollo, phone 090-1234-5678" },
    { role: "user", content: "Thanks. 我的身份证号是11010519491231002X。" },
  ],
});

const engine = createPolicyEngine({ custom: [{ name: "codename", pattern: "Project [A-Z][a-z]+" }, { name: "client", terms: ["Acme", "Globex"] }] });

test("inspect finds values in every part of a chat request, with paths", () => {
  const insp = engine.inspect(request());
  const seen = insp.findings.map((f) => `${f.path} ${f.kind} ${f.value}`);
  assert.deepEqual(seen, [
    "messages[0].content client Acme",
    "messages[0].content email ops@acme.example",
    "messages[1].content[0].text phone 090-1234-5678",
    "messages[1].content[0].text email kenji@example.jp",
    "messages[2].tool_calls[0].function.arguments email kenji@example.jp",
    "messages[2].tool_calls[0].function.arguments payment_card 4111 1111 1111 1111",
    "messages[3].content cn_resident_id 11010519491231002X",
    "messages[3].content codename Project Apollo",
    "messages[3].content phone 090-1234-5678",
    "messages[4].content cn_resident_id 11010519491231002X",
  ]);
  assert.deepEqual(insp.kinds, { client: 1, email: 3, phone: 2, payment_card: 1, cn_resident_id: 2, codename: 1 });
});

test("the end-user id is scanned and pseudonymized too", () => {
  const req: ChatRequest = { model: "m", user: "kenji@example.jp", messages: [{ role: "user", content: "hi, I am kenji@example.jp" }] };
  const { request: out } = engine.pseudonymizeRequest(req, engine.inspect(req));
  assert.equal(out.user, "[EMAIL_1]");
  assert.equal(out.messages[0]!.content, "hi, I am [EMAIL_1]");
});

test("fields passed through unmodelled, tool definitions and response schemas are scanned too", () => {
  const req: ChatRequest = {
    model: "m",
    messages: [{ role: "user", content: "hello" }],
    tools: [{ type: "function", function: { name: "lookup", description: "Escalations go to ops@acme.example", parameters: { type: "object", properties: { owner: { type: "string", enum: ["kenji@example.jp", "none"] } } } } }],
    response_format: { type: "json_schema", json_schema: { name: "r", schema: { type: "object", description: "call 090-1234-5678 if unsure" } } },
    extra: { metadata: { customer: "kenji@example.jp", "ann@example.com": "vip", "a.b": "x", a: { b: "y" } }, prediction: { type: "content", content: "card 4111 1111 1111 1111" } },
  };
  const insp = engine.inspect(req);
  assert.deepEqual(insp.kinds, { email: 4, phone: 1, payment_card: 1 });
  const { request: out, table } = engine.pseudonymizeRequest(req, insp);
  const wire = JSON.stringify(out);
  for (const v of ["kenji@example.jp", "ann@example.com", "ops@acme.example", "090-1234-5678", "4111 1111 1111 1111"]) assert.ok(!wire.includes(v), `${v} leaked: ${wire}`);
  const meta = (out.extra!.metadata as Record<string, unknown>);
  const kenji = meta.customer as string;
  assert.match(kenji, /^\[EMAIL_\d\]$/);
  assert.deepEqual(out.tools![0]!.function.parameters, { type: "object", properties: { owner: { type: "string", enum: [kenji, "none"] } } }, "one value, one placeholder, wherever it is");
  const renamed = Object.keys(meta).find((k) => /^\[EMAIL_\d\]$/.test(k));
  assert.equal(renamed !== undefined && meta[renamed], "vip", "a key that is a value is renamed");
  assert.deepEqual([meta["a.b"], meta.a], ["x", { b: "y" }], "keys with dots keep their own paths");
  assert.equal(table.size, 5);
  // The request the client sent is not modified.
  assert.equal((req.extra!.metadata as Record<string, unknown>).customer, "kenji@example.jp");
});

test("a pass-through field nested deeper than 64 levels is refused with a 400 that does not echo its keys", () => {
  let deep: unknown = "x";
  for (let i = 0; i < 70; i++) deep = { ["secret-key-" + i]: deep };
  assert.throws(
    () => engine.inspect({ model: "m", messages: [{ role: "user", content: "hi" }], extra: { deep } }),
    (err: Error & { code?: string }) => err.message.includes("64 levels") && !err.message.includes("secret-key") && err.code === "invalid_request",
  );
});

test("embeddings input is scanned, token arrays are not", () => {
  assert.equal(engine.inspect({ model: "e", input: ["hello", "mail a.b@example.com"] }).findings[0]?.path, "input[1]");
  assert.equal(engine.inspect({ model: "e", input: [1, 2, 3] }).findings.length, 0);
});

test("pseudonymize: same value, same placeholder across messages; nothing leaks; restore gives values back", () => {
  const req = request();
  const insp = engine.inspect(req);
  const { request: out, table } = engine.pseudonymizeRequest(req, insp);
  const wire = JSON.stringify(out);
  for (const f of insp.findings) assert.ok(!wire.includes(f.value), `${f.value} leaked`);
  assert.match(wire, /My phone is \[PHONE_1\], email \[EMAIL_2\]\./);
  assert.match(wire, /Customer \[ID_1\], \[CODENAME_1\], phone \[PHONE_1\]/);
  assert.match(wire, /我的身份证号是\[ID_1\]。/);
  assert.deepEqual(JSON.parse((out.messages[2]!.tool_calls![0]!.function.arguments)), { email: "[EMAIL_2]", card: "[CARD_1]" });
  // The image part and the original request are untouched.
  assert.deepEqual((out.messages[1]!.content as unknown[])[1], { type: "image_url", image_url: { url: "https://x/y.png" } });
  assert.equal(req.messages[4]!.content, "Thanks. 我的身份证号是11010519491231002X。");

  const answer = restoreResponse(
    {
      id: "r",
      object: "chat.completion",
      created: 0,
      model: "m",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          message: { role: "assistant", content: "I will call [PHONE_1] and write to [email_2].", tool_calls: [{ id: "t", type: "function", function: { name: "send", arguments: '{"to":"[EMAIL_2]"}' } }] },
        },
      ],
    },
    table,
  );
  assert.equal(answer.choices[0]!.message.content, "I will call 090-1234-5678 and write to kenji@example.jp.");
  assert.equal(answer.choices[0]!.message.tool_calls![0]!.function.arguments, '{"to":"kenji@example.jp"}');
});

test("a literal placeholder in the conversation is never given to a value", () => {
  const req: ChatRequest = { model: "m", messages: [{ role: "user", content: "Template says [EMAIL_1]; mine is a@example.com" }] };
  const { request: out, table } = engine.pseudonymizeRequest(req, engine.inspect(req));
  assert.equal(out.messages[0]!.content, "Template says [EMAIL_1]; mine is [EMAIL_2]");
  assert.equal(table.lookup("EMAIL_1"), undefined);
});

test("redact replaces with the label and keeps no mapping", () => {
  const req: ChatRequest = { model: "m", messages: [{ role: "user", content: "Call +86 138 0013 8000 or mail x@example.com" }] };
  const out = engine.redactRequest(req, engine.inspect(req));
  assert.equal(out.messages[0]!.content, "Call [PHONE] or mail [EMAIL]");
});

test("vault: numbering is stable across turns of one conversation and expires with its TTL", async () => {
  let now = 0;
  const vault = new MemoryVault({ now: () => now });
  const short = createPolicyEngine({ vault: { ttl_seconds: 60 } });
  const turn = async (content: string) => {
    const req: ChatRequest = { model: "m", messages: [{ role: "user", content }] };
    const table = await short.loadTable(vault, "conv-1");
    const { request: out } = short.pseudonymizeRequest(req, short.inspect(req), table);
    await short.saveTable(vault, "conv-1", table);
    return out.messages[0]!.content;
  };
  assert.equal(await turn("a@example.com"), "[EMAIL_1]");
  // A later turn whose history was truncated still maps the old value to the old placeholder.
  assert.equal(await turn("b@example.com then a@example.com"), "[EMAIL_2] then [EMAIL_1]");
  now += 61_000;
  assert.equal(await turn("b@example.com"), "[EMAIL_1]");
});

test("decisions: defaults, block list, keep_in_house, audit record without values", () => {
  const def = createPolicyEngine();
  const none = def.inspect({ model: "m", messages: [{ role: "user", content: "hello" }] });
  assert.equal(none.decide(false).action, "allow");
  const pii = def.inspect({ model: "m", messages: [{ role: "user", content: "mail a@example.com" }] });
  assert.deepEqual(pii.decide(false), { action: "pseudonymize", rule: "policy.on_sensitive.external: pseudonymize", kinds: ["email"] });
  assert.equal(pii.decide(true).action, "allow");
  assert.equal(pii.blocked, undefined);
  assert.equal(pii.inHouseOnly, false);

  const strict = createPolicyEngine({ on_sensitive: { external: "keep_in_house" }, block: ["secret"] });
  const key = strict.inspect({ model: "m", messages: [{ role: "user", content: "key AKIAIOSFODNN7EXAMPLE and a@example.com" }] });
  assert.deepEqual(key.blocked, { action: "block", rule: "policy.block: secret", kinds: ["aws_access_key_id"] });
  assert.equal(key.decide(true).action, "block");
  const mail = strict.inspect({ model: "m", messages: [{ role: "user", content: "mail a@example.com" }] });
  assert.equal(mail.inHouseOnly, true);
  assert.equal(mail.decide(false).action, "keep_in_house");
  assert.equal(mail.decide(true).action, "allow");

  const record = key.record(key.blocked!, "lab/qwen");
  assert.deepEqual(record, { kinds: { aws_access_key_id: 1, email: 1 }, action: "block", rule: "policy.block: secret", target: "lab/qwen" });
  const err = policyViolation(key.blocked!, "chat");
  assert.equal(err.code, "content_policy_violation");
  assert.equal(err.status, 400);
  assert.match(err.message, /policy\.block: secret.*aws_access_key_id.*"chat"/);
  assert.ok(!err.message.includes("AKIA"));
  assert.match(policyViolation(mail.decide(false), "chat").message, /no in-house target/);
});

test("policySchema: defaults protect, unknown keys are errors", () => {
  assert.deepEqual(policySchema.parse({}).on_sensitive, { external: "pseudonymize", in_house: "allow" });
  const bad = policySchema.safeParse({ on_sensitive: { external: "redact", inhouse: "allow" }, models: { allow_origin: ["US"] } });
  assert.equal(bad.success, false);
  const paths = bad.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  assert.ok(paths.some((p) => p.startsWith("on_sensitive") && p.includes("inhouse")), paths.join("; "));
  assert.ok(paths.some((p) => p.startsWith("models") && p.includes("allow_origin")), paths.join("; "));
  assert.equal(policySchema.safeParse({ custom: [{ name: "x", pattern: "(" }] }).success, false);
  assert.equal(policySchema.safeParse({ custom: [{ name: "x", terms: ["a"] }, { name: "x", terms: ["b"] }] }).success, false);
});

test("config errors name the key", () => {
  assert.throws(() => createPolicyEngine({ block: ["secrets"] }), /policy\.block: unknown kind or category "secrets"/);
  assert.throws(() => createPolicyEngine({ custom: [{ name: "email", terms: ["x"] }] }), /built-in kind/);
  assert.throws(() => createPolicyEngine({ on_sensitive: { external: "drop" } } as never));
});

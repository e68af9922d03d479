// The data policy end to end: an external upstream never receives a value; the client gets its values back
// (JSON and streamed, with placeholders split across chunks); keep_in_house answers from the in-house
// target; block answers 400 without echoing the value; the audit log records counts, never values.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import OpenAI from "openai";
import { chatChunks, chatCompletion, startFakeUpstream, type FakeUpstream, type RecordedRequest } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

// Values a business must not send out: an e-mail, a Chinese resident ID (valid checksum), a phone number,
// an OpenAI-style key.
const EMAIL = "mei.lin@acme-corp.cn";
const CN_ID = "11010519491231002X";
const PHONE = "+81 90-1234-5678";
const SECRET = "sk-proj-Q8f2Lr0mZx7VbN3cT6yWp1Kd9HsJ4uAe";
const PROMPT = `请联系 ${EMAIL}，身份证号 ${CN_ID}，电话 ${PHONE}。API key: ${SECRET}`;
const VALUES = [EMAIL, CN_ID, PHONE, SECRET];

/** Answers with the last user message it received, so a pseudonymized prompt comes back pseudonymized. */
function echo(req: RecordedRequest, pieceSize = 3) {
  const text = `You said: ${req.body.messages.at(-1).content}`;
  if (req.body.stream) {
    const pieces = [];
    for (let i = 0; i < text.length; i += pieceSize) pieces.push(text.slice(i, i + pieceSize));
    return { sse: chatChunks({ content: pieces }, req.body.stream_options?.include_usage === true) };
  }
  return { json: chatCompletion({ content: [text] }) };
}

let cloud: FakeUpstream;
/** The backends (one external, one in-house) and the aliases over them that every gateway here serves. */
const backendsAndAliases = () => `backends:
  cloud: { type: openai, base_url: ${cloud.url}, in_house: false }
  lab: { type: openai, base_url: ${lab.url}, in_house: true }
models:
  hosted: { targets: [cloud/deepseek-chat] }
  mixed: { targets: [cloud/deepseek-chat, lab/qwen3] }
`;
let lab: FakeUpstream;
let gw: TestGateway;
let client: OpenAI;

before(async () => {
  [cloud, lab] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
  gw = await startGateway(`
router: { circuit_breaker: { failures: 1000 } }
${backendsAndAliases()}  internal: { targets: [lab/qwen3] }
policy:
  on_sensitive: { external: pseudonymize, in_house: allow }
  custom: [{ name: codename, pattern: "Project [A-Z][a-z]+" }]
`);
  client = new OpenAI({ apiKey: ADMIN_KEY, baseURL: gw.v1, maxRetries: 0 });
});
after(async () => {
  await gw.close();
  await Promise.all([cloud.close(), lab.close()]);
});
beforeEach(() => {
  cloud.reset();
  lab.reset();
  cloud.respond((r) => echo(r));
  lab.respond((r) => echo(r));
});

const leaked = (r: RecordedRequest) => VALUES.filter((v) => r.rawBody.includes(v) || r.rawBody.includes(JSON.stringify(v).slice(1, -1)));

describe("pseudonymize for external targets", () => {
  test("non-streaming: the upstream sees placeholders, the client gets its values back", async () => {
    const res = await client.chat.completions.create({ model: "hosted", messages: [{ role: "user", content: PROMPT }] });
    const sent = cloud.requests[0]!;
    assert.deepEqual(leaked(sent), []);
    assert.match(sent.body.messages[0].content, /\[EMAIL_1\]/);
    assert.equal(res.choices[0]?.message.content, `You said: ${PROMPT}`);
  });

  test("streaming: placeholders split across chunks of every size are restored", async () => {
    for (const size of [1, 2, 3, 5, 8]) {
      cloud.respond((r) => echo(r, size));
      const stream = await client.chat.completions.create({ model: "hosted", messages: [{ role: "user", content: PROMPT }], stream: true, stream_options: { include_usage: true } });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      assert.equal(text, `You said: ${PROMPT}`, `piece size ${size}`);
    }
    for (const r of cloud.requests) assert.deepEqual(leaked(r), []);
  });

  test("tool-call arguments, system prompts and multi-part content are covered too", async () => {
    cloud.respond((r) => {
      const arg = JSON.stringify({ to: r.body.messages[0].content.match(/\[EMAIL_\d+\]/)?.[0] });
      return { sse: chatChunks({ toolCalls: [{ id: "c1", name: "send_mail", args: [arg.slice(0, 9), arg.slice(9)] }] }) };
    });
    const stream = client.chat.completions.stream({
      model: "hosted",
      messages: [
        { role: "system", content: `Support for ${EMAIL}` },
        { role: "user", content: [{ type: "text", text: `Mail ${EMAIL} about Project Falcon` }] },
      ],
      tools: [{ type: "function", function: { name: "send_mail", parameters: { type: "object" } } }],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    assert.equal(call?.type === "function" && JSON.parse(call.function.arguments).to, EMAIL);
    const sent = cloud.requests[0]!;
    assert.ok(!sent.rawBody.includes(EMAIL) && !sent.rawBody.includes("Project Falcon"), sent.rawBody);
  });

  test("embeddings input is pseudonymized", async () => {
    cloud.respond({ json: { object: "list", model: "e", data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }], usage: { prompt_tokens: 3, total_tokens: 3 } } });
    await client.embeddings.create({ model: "cloud/embedder", input: `customer ${EMAIL}`, encoding_format: "float" });
    assert.deepEqual(leaked(cloud.requests[0]!), []);
  });

  test("metadata, tool definitions, and a completion's suffix and user never reach an external upstream", async () => {
    await client.chat.completions.create({
      model: "hosted",
      messages: [{ role: "user", content: "hello" }],
      tools: [{ type: "function", function: { name: "notify", description: `Notifies ${EMAIL}`, parameters: { type: "object", properties: {} } } }],
      metadata: { customer: EMAIL },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    assert.deepEqual(leaked(cloud.requests[0]!), []);
    assert.match(cloud.requests[0]!.body.metadata.customer, /^\[EMAIL_\d\]$/, "the field still goes out, pseudonymized");
    cloud.respond({ json: { id: "c", object: "text_completion", created: 1, model: "m", choices: [{ index: 0, text: "ok", finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } } });
    await client.completions.create({ model: "hosted", prompt: "def notify():\n", suffix: `# owner: ${EMAIL}\n`, user: EMAIL });
    assert.deepEqual(leaked(cloud.requests[1]!), []);
    assert.equal(cloud.requests[1]!.body.prompt, "def notify():\n");
    assert.match(cloud.requests[1]!.body.suffix, /^# owner: \[EMAIL_\d\]\n$/);
  });

  test("in-house targets receive the request unchanged (in_house: allow)", async () => {
    await client.chat.completions.create({ model: "internal", messages: [{ role: "user", content: PROMPT }] });
    assert.equal(lab.requests[0]!.body.messages[0].content, PROMPT);
  });

  test("a request without sensitive data goes out byte-for-byte", async () => {
    await client.chat.completions.create({ model: "hosted", messages: [{ role: "user", content: "What is the capital of Vietnam? Version 2.4.1, order #12345, 2026-11-28." }] });
    assert.equal(cloud.requests[0]!.body.messages[0].content, "What is the capital of Vietnam? Version 2.4.1, order #12345, 2026-11-28.");
  });
});

describe("keep_in_house and block", () => {
  let strict: TestGateway;
  before(async () => {
    strict = await startGateway(`
${backendsAndAliases()}policy:
  on_sensitive: { external: keep_in_house }
  block: [secret]
`);
  });
  after(() => strict.close());

  test("keep_in_house answers from the in-house target of the alias", async () => {
    const c = new OpenAI({ apiKey: ADMIN_KEY, baseURL: strict.v1, maxRetries: 0 });
    const { data, response } = await c.chat.completions.create({ model: "mixed", messages: [{ role: "user", content: `Email ${EMAIL}` }] }).withResponse();
    assert.equal(response.headers.get("x-inhouse-backend"), "lab/qwen3");
    assert.equal(data.choices[0]?.message.content, `You said: Email ${EMAIL}`);
    assert.equal(cloud.requests.length, 0);
  });

  test("keep_in_house on an alias with no in-house target: 400 naming the alias and the rule, not the value", async () => {
    const c = new OpenAI({ apiKey: ADMIN_KEY, baseURL: strict.v1, maxRetries: 0 });
    await assert.rejects(c.chat.completions.create({ model: "hosted", messages: [{ role: "user", content: `Email ${EMAIL}` }] }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError);
      assert.equal(e.code, "content_policy_violation");
      assert.match(e.message, /hosted/);
      assert.match(e.message, /keep|in-house/i);
      assert.ok(!e.message.includes(EMAIL));
      return true;
    });
    assert.equal(cloud.requests.length, 0);
  });

  test("block: a secret is refused everywhere with 400, never echoed, and audited without the value", async () => {
    const c = new OpenAI({ apiKey: ADMIN_KEY, baseURL: strict.v1, maxRetries: 0 });
    await assert.rejects(c.chat.completions.create({ model: "mixed", messages: [{ role: "user", content: `key ${SECRET}` }] }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError && e.code === "content_policy_violation");
      assert.ok(!JSON.stringify(e.error).includes(SECRET));
      return true;
    });
    assert.equal(cloud.requests.length + lab.requests.length, 0);
    await strict.gateway.store.audit.settle();
    const records = await strict.gateway.store.audit.list({ action: "policy.block" });
    assert.ok(records.length >= 1);
    assert.ok(!JSON.stringify(records).includes(SECRET));
    assert.ok(Object.keys(records[0]!.details.kinds as object).length >= 1);
  });
});

describe("model provenance rules", () => {
  test("policy.models keeps data away from models whose origin or license is not allowed", async () => {
    const g = await startGateway(`
backends:
  lab: { type: openai, base_url: ${lab.url} }
models:
  any: { targets: [lab/deepseek-r1-distill-qwen-7b, lab/llama-3.1-8b] }
  only-deepseek: { targets: [lab/deepseek-r1-distill-qwen-7b] }
policy:
  models: { deny_origins: [CN] }
`);
    try {
      const c = new OpenAI({ apiKey: ADMIN_KEY, baseURL: g.v1, maxRetries: 0 });
      const { response } = await c.chat.completions.create({ model: "any", messages: [{ role: "user", content: "hi" }] }).withResponse();
      assert.equal(response.headers.get("x-inhouse-backend"), "lab/llama-3.1-8b");
      await assert.rejects(c.chat.completions.create({ model: "only-deepseek", messages: [{ role: "user", content: "hi" }] }), (e: unknown) => e instanceof OpenAI.BadRequestError && /policy\.models/.test(e.message));
    } finally {
      await g.close();
    }
  });
});

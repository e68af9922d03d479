// The embedded engine through the HTTP API with the official openai SDK, on the tiny generated model:
// the default backend a fresh install serves.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { tinyModelFiles } from "./fixtures/gguf-models.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

let gw: TestGateway;
let client: OpenAI;
let fileServer: ReturnType<typeof createServer>;
let fileUrl: string;

before(async () => {
  const files = tinyModelFiles();
  // A local "hub" serving the model file, for pull on first use.
  const bytes = readFileSync(files.model.path);
  fileServer = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length });
    res.end(bytes);
  });
  await new Promise<void>((r) => fileServer.listen(0, "127.0.0.1", r));
  fileUrl = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}/tiny.gguf`;
  gw = await startGateway(`
backends:
  local:
    type: embedded
    threads: 1
    context_size: 1024
    slots: 4
    max_queue: 2
    retries: 0
    models:
      tiny: ${files.model.path}
      tuned: { source: ${files.model.path}, lora: [{ path: ${files.lora}, scale: 1 }] }
      pulled: ${fileUrl}
  solo:
    type: embedded
    threads: 1
    context_size: 512
    slots: 1
    max_queue: 0
    retries: 0
    models: { tiny: ${files.model.path} }
models:
  small: { targets: [local/tiny] }
`);
  client = new OpenAI({ apiKey: ADMIN_KEY, baseURL: gw.v1, maxRetries: 0, timeout: 120_000 });
});
after(async () => {
  await gw.close();
  await new Promise<void>((r) => fileServer.close(() => r()));
});

const user = (content: string) => [{ role: "user" as const, content }];

describe("embedded engine over HTTP", () => {
  test("non-streaming: max_tokens exact, finish_reason length, usage, routing header", async () => {
    const { data, response } = await client.chat.completions.create({ model: "small", messages: user("Hello"), max_tokens: 9, seed: 1 }).withResponse();
    assert.equal(response.headers.get("x-inhouse-backend"), "local/tiny");
    assert.equal(data.choices[0]?.finish_reason, "length");
    assert.equal(data.usage?.completion_tokens, 9);
    assert.ok((data.usage?.prompt_tokens ?? 0) > 0);
  });

  test("streaming with usage", async () => {
    const stream = await client.chat.completions.create({ model: "local/tiny", messages: user("Hello"), max_tokens: 7, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? "";
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    assert.equal(usage?.completion_tokens, 7);
    assert.equal(finish, "length");
    assert.ok(text.length > 0);
  });

  test("four concurrent streams all complete", async () => {
    const one = async (i: number) => {
      const stream = await client.chat.completions.create({ model: "small", messages: user(`Story ${i}`), max_tokens: 16, stream: true, stream_options: { include_usage: true } });
      let tokens = 0;
      for await (const c of stream) if (c.usage) tokens = c.usage.completion_tokens;
      return tokens;
    };
    assert.deepEqual(await Promise.all([0, 1, 2, 3].map(one)), [16, 16, 16, 16]);
  });

  test("json_schema output parses and matches the schema", async () => {
    const schema = { type: "object", properties: { city: { type: "string", maxLength: 12 }, days: { type: "integer" } }, required: ["city", "days"], additionalProperties: false };
    const res = await client.chat.completions.create({
      model: "small",
      messages: user("Plan a trip as JSON"),
      max_tokens: 120,
      response_format: { type: "json_schema", json_schema: { name: "trip", schema, strict: true } },
    });
    const parsed = JSON.parse(res.choices[0]!.message.content!) as { city: unknown; days: unknown };
    assert.equal(typeof parsed.city, "string");
    assert.ok(Number.isInteger(parsed.days));
    assert.deepEqual(Object.keys(parsed).sort(), ["city", "days"]);
  });

  test("a schema the grammar cannot express is a clear 400", async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: "small",
        messages: user("x"),
        response_format: { type: "json_schema", json_schema: { name: "p", schema: { type: "object", properties: { code: { type: "string", pattern: "^[A-Z]{3}$" } } } } },
      }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && /pattern/.test(e.message),
    );
  });

  test("embeddings, float and base64", async () => {
    const f = await client.embeddings.create({ model: "local/tiny", input: ["hello", "xin chào"], encoding_format: "float" });
    assert.equal(f.data.length, 2);
    assert.ok(f.data[0]!.embedding.length > 0);
    const b = await client.embeddings.create({ model: "local/tiny", input: "hello" });
    assert.equal(b.data[0]!.embedding.length, f.data[0]!.embedding.length);
    b.data[0]!.embedding.forEach((x, i) => assert.ok(Math.abs(x - f.data[0]!.embedding[i]!) < 1e-5));
  });

  test("a LoRA adapter changes the output of the same base model", async () => {
    const ask = (model: string) => client.chat.completions.create({ model, messages: user("Say something"), max_tokens: 24, temperature: 0 });
    const [base, tuned] = [await ask("local/tiny"), await ask("local/tuned")];
    assert.notEqual(tuned.choices[0]?.message.content, base.choices[0]?.message.content);
    assert.equal((await ask("local/tiny")).choices[0]?.message.content, base.choices[0]?.message.content, "greedy output is stable");
  });

  test("queue overflow: past slots + max_queue, 503 with Retry-After", async () => {
    const send = () =>
      fetch(`${gw.v1}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "local/tiny", messages: user("long"), max_tokens: 200 }),
      });
    const results = await Promise.all(Array.from({ length: 9 }, send));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 6, statuses.join(","));
    const refused = results.filter((r) => r.status === 503);
    assert.equal(refused.length, 3);
    assert.ok(Number(refused[0]!.headers.get("retry-after")) >= 1);
  });

  test("a client that aborts frees its slot at once", async () => {
    const ac = new AbortController();
    const stream = await client.chat.completions.create({ model: "solo/tiny", messages: user("go on"), max_tokens: 400, stream: true }, { signal: ac.signal });
    for await (const _ of stream) {
      ac.abort();
      break;
    }
    // With one slot and no queue, this succeeds only if the aborted request released its slot.
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      const r = await client.chat.completions.create({ model: "solo/tiny", messages: user("hi"), max_tokens: 3 }).catch((e: unknown) => e);
      ok = !(r instanceof Error);
      if (!ok) await new Promise((res) => setTimeout(res, 25));
    }
    assert.ok(ok, "the slot was freed");
  });

  test("a model is pulled on first use from its URL, then served", async () => {
    const res = await client.chat.completions.create({ model: "local/pulled", messages: user("hi"), max_tokens: 3 });
    assert.equal(res.usage?.completion_tokens, 3);
  });

  test("an unknown embedded model is 404", async () => {
    await assert.rejects(client.chat.completions.create({ model: "local/nope", messages: user("hi") }), (e: unknown) => e instanceof OpenAI.NotFoundError);
  });
});

// The embedded engine through the ChatModel API on the tiny generated model: chat (streaming and not),
// exact max_tokens and usage, stop sequences, JSON under a schema, tools, completions, embeddings.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GatewayError } from "../src/errors/index.js";
import type { ChatChunk, ChatRequest } from "../src/spec/index.js";
import { callOptions, tinyBackend } from "./fixtures/gguf-engine-backend.js";
import type { EmbeddedChatModel } from "../src/providers/embedded/index.js";

const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "tiny",
  messages: [{ role: "user", content: "Hi" }],
  temperature: 0.8,
  seed: 7,
  ...over,
});

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

describe("embedded engine: chat API", () => {
  let backend: EmbeddedChatModel;
  before(() => {
    backend = tinyBackend();
  });
  after(async () => {
    await backend.close();
  });

  test("non-streaming chat: max_tokens is exact, finish_reason length, usage exact", async () => {
    const res = await backend.chat(req({ max_tokens: 17 }), callOptions("tiny"));
    const choice = res.choices[0]!;
    assert.equal(choice.finish_reason, "length");
    assert.equal(res.usage?.completion_tokens, 17);
    // One byte token per ASCII character in this vocabulary, so the text is as long as the token count.
    assert.equal(typeof choice.message.content, "string");
    assert.equal(choice.message.content!.length, 17);
    // ChatML render of one user turn, one token per character, plus BOS.
    const rendered = "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n";
    assert.equal(res.usage?.prompt_tokens, rendered.length + 1);
    assert.equal(res.usage?.total_tokens, rendered.length + 1 + 17);
  });

  test("streaming chat: OpenAI chunk shape, role first, finish and usage last", async () => {
    const stream = await backend.chatStream(req({ max_tokens: 12, stream: true, stream_options: { include_usage: true } }), callOptions("tiny"));
    const chunks = await collect(stream);
    assert.deepEqual(chunks[0]!.choices[0]!.delta, { role: "assistant", content: "" });
    assert.ok(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0]!.id));
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    assert.equal(text.length, 12);
    const finish = chunks.at(-2)!;
    assert.equal(finish.choices[0]!.finish_reason, "length");
    const usage = chunks.at(-1)!;
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage?.completion_tokens, 12);
  });

  test("same seed, same output; greedy decoding is deterministic", async () => {
    const a = await backend.chat(req({ max_tokens: 20, seed: 42 }), callOptions("tiny"));
    const b = await backend.chat(req({ max_tokens: 20, seed: 42 }), callOptions("tiny"));
    assert.equal(a.choices[0]!.message.content, b.choices[0]!.message.content);
    const g1 = await backend.chat(req({ max_tokens: 20, temperature: 0 }), callOptions("tiny"));
    const g2 = await backend.chat(req({ max_tokens: 20, temperature: 0, seed: 1 }), callOptions("tiny"));
    assert.equal(g1.choices[0]!.message.content, g2.choices[0]!.message.content);
  });

  test("sampling fields reach the sampler: top_k 1 is greedy, penalties break repetition", async () => {
    const greedy = await backend.chat(req({ max_tokens: 40, temperature: 0 }), callOptions("tiny"));
    const topK1 = await backend.chat(req({ max_tokens: 40, temperature: 1.5, top_k: 1, seed: 99 }), callOptions("tiny"));
    assert.equal(topK1.choices[0]!.message.content, greedy.choices[0]!.message.content);
    const penalised = await backend.chat(
      req({ max_tokens: 40, temperature: 0, frequency_penalty: 2, presence_penalty: 2, repetition_penalty: 1.5 }),
      callOptions("tiny"),
    );
    const distinct = (s: string | null) => new Set(s ?? "").size;
    assert.ok(distinct(penalised.choices[0]!.message.content) > distinct(greedy.choices[0]!.message.content));
  });

  test("stop sequences end generation before the stop text, finish_reason stop", async () => {
    const probe = await backend.chat(req({ max_tokens: 40, temperature: 0 }), callOptions("tiny"));
    const text = probe.choices[0]!.message.content!;
    const stop = text.slice(10, 12);
    const res = await backend.chat(req({ max_tokens: 40, temperature: 0, stop: [stop] }), callOptions("tiny"));
    assert.equal(res.choices[0]!.finish_reason, "stop");
    assert.equal(res.choices[0]!.message.content, text.slice(0, text.indexOf(stop)));
  });

  test("multi-turn with a system prompt: every turn is in the prompt", async () => {
    const messages: ChatRequest["messages"] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "More" },
    ];
    const res = await backend.chat(req({ messages, max_tokens: 3 }), callOptions("tiny"));
    const rendered =
      "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n<|im_start|>user\nMore<|im_end|>\n<|im_start|>assistant\n";
    assert.equal(res.usage?.prompt_tokens, rendered.length + 1);
  });

  test("json_schema: output parses and matches the schema", async () => {
    const schema = {
      type: "object",
      properties: {
        name: { type: "string", maxLength: 12 },
        age: { type: "integer", minimum: 0, maximum: 150 },
        tags: { type: "array", items: { enum: ["a", "b", "c"] }, maxItems: 3 },
      },
      required: ["name", "age", "tags"],
      additionalProperties: false,
    };
    for (const seed of [1, 2, 3]) {
      const res = await backend.chat(
        req({ seed, max_tokens: 200, response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } } }),
        callOptions("tiny"),
      );
      assert.equal(res.choices[0]!.finish_reason, "stop");
      const value = JSON.parse(res.choices[0]!.message.content!) as { name: string; age: number; tags: string[] };
      assert.deepEqual(Object.keys(value).sort(), ["age", "name", "tags"]);
      assert.equal(typeof value.name, "string");
      assert.ok(Number.isInteger(value.age) && value.age >= 0 && value.age <= 150);
      assert.ok(value.tags.every((t) => ["a", "b", "c"].includes(t)));
    }
  });

  test("json_object: output is a JSON object (streaming)", async () => {
    const stream = await backend.chatStream(req({ max_tokens: 300, response_format: { type: "json_object" } }), callOptions("tiny"));
    const chunks = await collect(stream);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    const finish = chunks.at(-1)!.choices[0]!.finish_reason;
    if (finish === "stop") assert.equal(typeof JSON.parse(text), "object");
    else assert.equal(finish, "length");
  });

  test("json_schema with pattern/anyOf is refused with 400 naming the feature", async () => {
    for (const [feature, schema] of [
      ["pattern", { type: "object", properties: { id: { type: "string", pattern: "^[a-z]+$" } } }],
      ["anyOf", { anyOf: [{ type: "string" }, { type: "number" }] }],
    ] as const) {
      await assert.rejects(
        backend.chat(req({ response_format: { type: "json_schema", json_schema: { name: "x", schema } } }), callOptions("tiny")),
        (e: unknown) => e instanceof GatewayError && e.status === 400 && e.code === "invalid_request" && e.message.includes(`"${feature}"`),
      );
    }
  });

  const tools: ChatRequest["tools"] = [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Weather for a city",
        parameters: { type: "object", properties: { city: { type: "string", maxLength: 10 } }, required: ["city"] },
      },
    },
  ];

  test("tools: a required call comes back as OpenAI tool_calls with JSON arguments", async () => {
    const res = await backend.chat(req({ tools, tool_choice: "required", max_tokens: 400 }), callOptions("tiny"));
    const choice = res.choices[0]!;
    assert.equal(choice.finish_reason, "tool_calls");
    const call = choice.message.tool_calls![0]!;
    assert.equal(call.type, "function");
    assert.match(call.id, /^call_/);
    assert.equal(call.function.name, "get_weather");
    assert.equal(typeof (JSON.parse(call.function.arguments) as { city: unknown }).city, "string");
  });

  test("tools: streaming delivers tool_call deltas and finish_reason tool_calls", async () => {
    const stream = await backend.chatStream(
      req({ tools, tool_choice: { type: "function", function: { name: "get_weather" } }, max_tokens: 400 }),
      callOptions("tiny"),
    );
    const chunks = await collect(stream);
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.equal(deltas[0]?.function?.name, "get_weather");
    assert.doesNotThrow(() => JSON.parse(deltas.map((d) => d.function?.arguments ?? "").join("")));
    assert.equal(chunks.at(-1)!.choices[0]!.finish_reason, "tool_calls");
  });

  test("legacy completion: prompt as given, exact usage, streaming", async () => {
    const res = await backend.completion({ model: "tiny", prompt: "Hello", max_tokens: 9, seed: 3 }, callOptions("tiny"));
    assert.equal(res.usage?.prompt_tokens, 6); // BOS + five byte tokens
    assert.equal(res.usage?.completion_tokens, 9);
    assert.equal(res.choices[0]!.finish_reason, "length");
    const stream = await backend.completionStream({ model: "tiny", prompt: "Hello", max_tokens: 9, seed: 3, stream: true }, callOptions("tiny"));
    let text = "";
    for await (const c of stream) text += c.choices[0]!.text;
    assert.equal(text, res.choices[0]!.text);
  });

  test("embeddings: one vector per input, model-sized, usage counted", async () => {
    const res = await backend.embed({ model: "tiny", input: ["hello", "world!"] }, callOptions("tiny"));
    assert.equal(res.data.length, 2);
    assert.equal(res.data[0]!.embedding.length, 64);
    assert.ok(res.data[0]!.embedding.every(Number.isFinite));
    assert.notDeepEqual(res.data[0]!.embedding, res.data[1]!.embedding);
    assert.equal(res.usage.prompt_tokens, "hello".length + "world!".length);
  });

  test("an unknown model is a 404 naming the configured ones", async () => {
    await assert.rejects(backend.chat(req({ model: "nope" }), callOptions("nope")), (e: unknown) => e instanceof GatewayError && e.status === 404 && /tiny/.test(e.message));
  });
});

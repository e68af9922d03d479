import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatRequest } from "../../spec/index.js";
import { resolveQuirks } from "./quirks.js";
import { chatBody, completionBody, embeddingBody } from "./request-body.js";

const roundTrip = (body: unknown): unknown => JSON.parse(JSON.stringify(body));

test("extra fields are spread at the top level and `extra` itself is not sent", () => {
  const req: ChatRequest = { model: "alias", messages: [{ role: "user", content: "x" }], extra: { top_k: 5, guided_json: { a: 1 } } };
  assert.deepEqual(roundTrip(chatBody(req, "m", false, resolveQuirks(undefined))), {
    model: "m",
    messages: [{ role: "user", content: "x" }],
    top_k: 5,
    guided_json: { a: 1 },
    stream: false,
  });
});

test("streaming keeps the client's stream_options and adds include_usage", () => {
  const req: ChatRequest = { model: "a", messages: [], stream_options: { include_usage: false, continuous_usage_stats: true } };
  const body = roundTrip(chatBody(req, "m", true, resolveQuirks(undefined))) as Record<string, unknown>;
  assert.deepEqual(body.stream_options, { include_usage: true, continuous_usage_stats: true });
  assert.deepEqual(req.stream_options, { include_usage: false, continuous_usage_stats: true }, "request untouched");
});

test("max_completion_tokens is renamed for servers that only know max_tokens, and back for OpenAI", () => {
  const req: ChatRequest = { model: "a", messages: [], max_completion_tokens: 9 };
  const vllm = roundTrip(chatBody(req, "m", false, resolveQuirks("vllm"))) as Record<string, unknown>;
  assert.equal(vllm.max_tokens, 9);
  assert.equal("max_completion_tokens" in vllm, false);
  const both = roundTrip(chatBody({ ...req, max_tokens: 3 }, "m", false, resolveQuirks("openai"))) as Record<string, unknown>;
  assert.equal(both.max_completion_tokens, 9, "an explicit value of the wanted name wins");
  assert.equal("max_tokens" in both, false);
});

test("messages are copied only when a reasoning echo rewrites them", () => {
  const messages: ChatRequest["messages"] = [{ role: "user", content: "x" }];
  const req: ChatRequest = { model: "a", messages };
  assert.equal(chatBody(req, "m", false, resolveQuirks("openai")).messages, messages);
  const withReasoning: ChatRequest = { model: "a", messages: [...messages, { role: "assistant", content: "y", reasoning_content: "r" }] };
  const body = roundTrip(chatBody(withReasoning, "m", false, resolveQuirks("openai"))) as { messages: unknown[] };
  assert.deepEqual(body.messages[1], { role: "assistant", content: "y" });
});

test("completions and embeddings get the same treatment of model, extra and dropped params", () => {
  const c = roundTrip(completionBody({ model: "a", prompt: "p", n: 2, extra: { x: 1 } }, "m", true, resolveQuirks("ollama")));
  assert.deepEqual(c, { model: "m", prompt: "p", x: 1, stream: true, stream_options: { include_usage: true } });
  const e = roundTrip(embeddingBody({ model: "a", input: "t", encoding_format: "base64" }, "m", resolveQuirks(undefined, { embeddingsBase64: false })));
  assert.deepEqual(e, { model: "m", input: "t" });
});

test("DeepSeek: a tool-calling assistant turn without reasoning_content gets an empty one", () => {
  const call = { id: "c1", type: "function" as const, function: { name: "f", arguments: "{}" } };
  const messages: ChatRequest["messages"] = [
    { role: "user", content: "q" },
    { role: "assistant", content: null, tool_calls: [call] },
    { role: "tool", tool_call_id: "c1", content: "r" },
    { role: "assistant", content: "plain answer" },
    { role: "assistant", content: null, reasoning_content: "kept", tool_calls: [call] },
  ];
  const body = roundTrip(chatBody({ model: "a", messages }, "m", false, resolveQuirks("deepseek"))) as { messages: Record<string, unknown>[] };
  assert.equal(body.messages[1]?.reasoning_content, "");
  assert.equal("reasoning_content" in body.messages[3]!, false, "turns without tool calls are left alone");
  assert.equal(body.messages[4]?.reasoning_content, "kept");
  assert.equal("reasoning_content" in messages[1]!, false, "the caller's messages are not modified");
});

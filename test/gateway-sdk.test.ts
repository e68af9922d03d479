// The official `openai` SDK and the Vercel AI SDK talk to inhouse in front of a fake upstream.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { embed, generateText, jsonSchema, streamText, tool } from "ai";
import OpenAI from "openai";
import { chatChunks, chatCompletion, embeddingResponse, errorBody, fakeVectors, startFakeUpstream, USAGE, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

let up: FakeUpstream;
let gw: TestGateway;
let client: OpenAI;

before(async () => {
  up = await startFakeUpstream();
  // Breakers are exercised in the router's suite; here every test must reach the upstream.
  gw = await startGateway(`
router: { circuit_breaker: { failures: 1000 } }
backends:
  up: { type: openai, base_url: ${up.url}, api_key: upstream-secret-key-123, timeouts: { first_token: 400ms, idle: 400ms } }
  ds: { preset: deepseek, base_url: ${up.url}, api_key: ds-secret }
  vl: { preset: vllm, base_url: ${up.url} }
  mm: { preset: minimax, base_url: ${up.url}, api_key: mm-secret }
  tpl: { type: openai, base_url: ${up.url}, quirks: { thinkTags: open } }
models:
  chat: { targets: [up/fake-model] }
  reasoner: { targets: [ds/deepseek-reasoner] }
`);
  client = new OpenAI({ apiKey: ADMIN_KEY, baseURL: gw.v1, maxRetries: 0 });
});
after(async () => {
  await gw.close();
  await up.close();
});
beforeEach(() => up.reset());

describe("openai SDK", () => {
  test("non-streaming chat returns the upstream's answer, usage and routing headers", async () => {
    up.enqueue({ json: chatCompletion({ content: ["Bonjour."] }) });
    const { data, response } = await client.chat.completions
      .create({ model: "chat", messages: [{ role: "user", content: "hi" }], temperature: 0.2 })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, "Bonjour.");
    assert.deepEqual(data.usage, USAGE);
    assert.equal(response.headers.get("x-inhouse-backend"), "up/fake-model");
    assert.equal(response.headers.get("x-inhouse-attempts"), "1");
    assert.match(response.headers.get("x-request-id") ?? "", /^req_/);
    const sent = up.requests[0]!;
    assert.equal(sent.body.model, "fake-model");
    assert.equal(sent.body.temperature, 0.2);
    assert.equal(sent.headers.authorization, "Bearer upstream-secret-key-123");
  });

  test("streaming with include_usage yields every delta and a final usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "chat",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, "Hello from the fake upstream.");
    assert.deepEqual(usage, USAGE);
  });

  test("streaming without include_usage hides the usage chunk but still asks the upstream for it", async () => {
    const stream = await client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.ok(chunks.length > 0);
    assert.ok(chunks.every((c) => !c.usage && c.choices.length > 0));
    assert.equal(up.requests[0]!.body.stream_options?.include_usage, true);
  });

  test("tool calls, non-streaming and streaming", async () => {
    const toolCalls = [{ id: "call_1", name: "get_weather", args: ['{"city":', '"Hanoi"}'] }];
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    up.enqueue({ json: chatCompletion({ toolCalls }) });
    const res = await client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "weather?" }], tools, tool_choice: "auto" });
    const call = res.choices[0]?.message.tool_calls?.[0];
    assert.equal(call?.type === "function" && call.function.name, "get_weather");
    assert.equal(call?.type === "function" && call.function.arguments, '{"city":"Hanoi"}');
    assert.equal(res.choices[0]?.finish_reason, "tool_calls");
    assert.deepEqual(up.requests[0]!.body.tools, tools);
    assert.equal(up.requests[0]!.body.tool_choice, "auto");

    up.enqueue({ sse: chatChunks({ toolCalls }) });
    const stream = client.chat.completions.stream({ model: "chat", messages: [{ role: "user", content: "weather?" }], tools });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    assert.equal(streamed?.type === "function" && streamed.function.arguments, '{"city":"Hanoi"}');
    assert.equal(final.choices[0]?.finish_reason, "tool_calls");
  });

  test("embeddings: the SDK's default base64 and explicit float both decode to the upstream's vectors", async () => {
    const vectors = fakeVectors(2, 8);
    up.respond({ json: embeddingResponse(vectors) });
    const b64 = await client.embeddings.create({ model: "up/embedder", input: ["a", "b"] });
    assert.equal(b64.data.length, 2);
    b64.data.forEach((d, i) => d.embedding.forEach((x, j) => assert.ok(Math.abs(x - vectors[i]![j]!) < 1e-6)));
    const flt = await client.embeddings.create({ model: "up/embedder", input: "a", encoding_format: "float" });
    assert.deepEqual(flt.data[0]?.embedding, vectors[0]);
    assert.equal(flt.usage.prompt_tokens, 6);
  });

  test("legacy completions pass through", async () => {
    const res = await client.completions.create({ model: "chat", prompt: "Say hi" });
    assert.equal(res.choices[0]?.text, "Hello from the fake upstream.");
  });

  test("/v1/models lists aliases and declared models", async () => {
    const list = await client.models.list();
    const ids = list.data.map((m) => m.id);
    assert.ok(ids.includes("chat") && ids.includes("reasoner"), ids.join(","));
  });

  test("fields the gateway does not know reach the upstream unchanged", async () => {
    await client.chat.completions.create({
      model: "chat",
      messages: [{ role: "user", content: "hi" }],
      // @ts-expect-error vendor extensions are not in the SDK's types
      chat_template_kwargs: { enable_thinking: false },
      top_k: 20,
      guided_json: { type: "object" },
    });
    const body = up.requests[0]!.body;
    assert.deepEqual(body.chat_template_kwargs, { enable_thinking: false });
    assert.equal(body.top_k, 20);
    assert.deepEqual(body.guided_json, { type: "object" });
  });
});

describe("errors in OpenAI's shape", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.v1}/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json", ...headers }, body });

  test("bad JSON -> 400 invalid_request_error", async () => {
    const res = await post("{not json");
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: Record<string, unknown> };
    assert.equal(body.error.type, "invalid_request_error");
    assert.equal(body.error.param, "body");
    assert.ok(res.headers.get("x-request-id"));
  });

  test("wrong types -> 400 naming the field", async () => {
    await assert.rejects(
      client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }], temperature: "hot" as unknown as number }),
      (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === "temperature",
    );
    await assert.rejects(client.chat.completions.create({ model: "chat", messages: [] }), (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === "messages");
  });

  test("unknown model -> 404 model_not_found", async () => {
    await assert.rejects(
      client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] }),
      (err: unknown) => err instanceof OpenAI.NotFoundError && err.code === "model_not_found",
    );
  });

  test("wrong key -> 401; no key -> 401", async () => {
    const bad = new OpenAI({ apiKey: "ih-wrong", baseURL: gw.v1, maxRetries: 0 });
    await assert.rejects(bad.models.list(), (err: unknown) => err instanceof OpenAI.AuthenticationError && err.type === "authentication_error");
    const res = await fetch(`${gw.v1}/models`);
    assert.equal(res.status, 401);
  });

  test("upstream failure -> 502, after retries, without leaking the upstream key", async () => {
    up.respond({ status: 500, json: errorBody("boom: key upstream-secret-key-123 rejected") });
    await assert.rejects(client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError);
      assert.equal(err.status, 502);
      assert.ok(!JSON.stringify(err.error).includes("upstream-secret-key-123"), JSON.stringify(err.error));
      return true;
    });
    assert.equal(up.requests.length, 3, "initial attempt + router.retries (2)");
  });

  test("upstream 4xx is passed back as the client's error, not retried", async () => {
    up.respond({ status: 400, json: errorBody("max_tokens is too large") });
    await assert.rejects(client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.BadRequestError);
      assert.match(err.message, /max_tokens is too large/);
      return true;
    });
    assert.equal(up.requests.length, 1);
  });

  test("upstream timeout before the first byte -> 504", async () => {
    up.respond({ delay: Infinity, json: {} });
    await assert.rejects(
      client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }] }),
      (err: unknown) => err instanceof OpenAI.APIError && err.status === 504,
    );
  });

  test("a body past server.body_limit -> 413", async () => {
    const huge = JSON.stringify({ model: "chat", messages: [{ role: "user", content: "x".repeat(11 * 1024 * 1024) }] });
    const res = await post(huge);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "payload_too_large");
  });

  test("unknown route -> 404, wrong method -> 405, both in the error shape", async () => {
    const a = await fetch(`${gw.url}/v2/nothing`);
    assert.equal(a.status, 404);
    assert.ok(((await a.json()) as { error: object }).error);
    const b = await fetch(`${gw.v1}/chat/completions`);
    assert.equal(b.status, 405);
  });
});

describe("reasoning normalised to reasoning_content", () => {
  const cases = [
    { name: "reasoning_content (DeepSeek)", model: "ds/deepseek-reasoner", style: "reasoning_content" as const },
    { name: "reasoning (vLLM)", model: "vl/qwen3", style: "reasoning" as const },
    { name: "inline <think> (MiniMax)", model: "mm/MiniMax-M2", style: "think_tags" as const },
    { name: "template-opened, only </think> (quirk thinkTags: open)", model: "tpl/qwen3", style: "think_close_only" as const },
  ];
  for (const c of cases) {
    test(`${c.name}: non-streaming and streaming`, async () => {
      const canned = { content: ["The answer is 4."], reasoning: ["2+2 ", "is 4"], reasoningStyle: c.style };
      up.enqueue({ json: chatCompletion(canned) });
      const res = await client.chat.completions.create({ model: c.model, messages: [{ role: "user", content: "2+2?" }] });
      const msg = res.choices[0]!.message as typeof res.choices[0]["message"] & { reasoning_content?: string };
      assert.equal(msg.content?.trim(), "The answer is 4.");
      assert.equal(msg.reasoning_content?.trim(), "2+2 is 4");

      up.enqueue({ sse: chatChunks(canned) });
      const stream = await client.chat.completions.create({ model: c.model, messages: [{ role: "user", content: "2+2?" }], stream: true });
      let content = "";
      let reasoning = "";
      for await (const chunk of stream) {
        const d = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string; reasoning?: string } | undefined;
        content += d?.content ?? "";
        reasoning += d?.reasoning_content ?? "";
        assert.equal(d?.reasoning, undefined);
        assert.ok(!content.includes("think>"), content);
      }
      assert.equal(content.trim(), "The answer is 4.");
      assert.equal(reasoning.trim(), "2+2 is 4");
    });
  }

  test("DeepSeek gets reasoning_content back on a follow-up tool turn", async () => {
    await client.chat.completions.create({
      model: "reasoner",
      messages: [
        { role: "user", content: "weather in Hanoi?" },
        // @ts-expect-error reasoning_content is a vendor field on assistant turns
        { role: "assistant", content: null, reasoning_content: "I should call the tool.", tool_calls: [{ id: "c1", type: "function", function: { name: "w", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "31C" },
      ],
    });
    assert.equal(up.requests[0]!.body.messages[1].reasoning_content, "I should call the tool.");
  });
});

describe("cancellation", () => {
  test("a client that aborts a stream aborts the upstream request at once", async () => {
    up.enqueue({ sse: chatChunks({ content: Array.from({ length: 50 }, () => "tick "), delayMs: 50 }) });
    const ac = new AbortController();
    const stream = await client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "count" }], stream: true }, { signal: ac.signal });
    let n = 0;
    try {
      for await (const _ of stream) {
        if (++n === 3) ac.abort();
      }
    } catch {
      // The SDK may end the loop or throw an abort error; either way the client is gone.
    }
    assert.ok(n >= 3 && n < 50, `stopped after ${n} chunks`);
    const outcome = await Promise.race([up.requests[0]!.ended, new Promise((r) => setTimeout(() => r("still open"), 2000))]);
    assert.equal(outcome, "aborted");
  });

  test("a client that aborts a non-streaming request aborts the upstream request", async () => {
    up.enqueue({ delay: 2000, json: chatCompletion() });
    const ac = new AbortController();
    const pending = client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "slow" }] }, { signal: ac.signal });
    // Abort once the upstream has the request (on a busy machine that may take longer than any fixed delay).
    for (let i = 0; i < 200 && up.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    await assert.rejects(pending);
    const outcome = await Promise.race([up.requests[0]!.ended, new Promise((r) => setTimeout(() => r("still open"), 2000))]);
    assert.equal(outcome, "aborted");
  });
});

describe("Vercel AI SDK (@ai-sdk/openai-compatible)", () => {
  const provider = () => createOpenAICompatible({ name: "inhouse", baseURL: gw.v1, apiKey: ADMIN_KEY, includeUsage: true });

  test("generateText and streamText with usage", async () => {
    up.enqueue({ json: chatCompletion({ content: ["Xin chào."] }) });
    const r = await generateText({ model: provider()("chat"), prompt: "hello", maxRetries: 0 });
    assert.equal(r.text, "Xin chào.");
    assert.equal(r.usage.inputTokens, USAGE.prompt_tokens);

    const s = streamText({ model: provider()("chat"), prompt: "hello", maxRetries: 0 });
    let text = "";
    for await (const part of s.textStream) text += part;
    assert.equal(text, "Hello from the fake upstream.");
    assert.equal((await s.usage).outputTokens, USAGE.completion_tokens);
  });

  test("tool calls through streamText", async () => {
    up.enqueue({ sse: chatChunks({ toolCalls: [{ id: "call_9", name: "lookup", args: ['{"q":"', 'pho"}'] }] }) });
    const s = streamText({
      model: provider()("chat"),
      prompt: "find pho",
      maxRetries: 0,
      tools: { lookup: tool({ description: "search", inputSchema: jsonSchema<{ q: string }>({ type: "object", properties: { q: { type: "string" } }, required: ["q"] }) }) },
    });
    const calls = await s.toolCalls;
    assert.equal(calls[0]?.toolName, "lookup");
    assert.deepEqual(calls[0]?.input, { q: "pho" });
  });

  test("embed", async () => {
    up.enqueue({ json: embeddingResponse(fakeVectors(1, 4)) });
    const r = await embed({ model: provider().textEmbeddingModel("up/embedder"), value: "hello", maxRetries: 0 });
    assert.deepEqual(r.embedding, fakeVectors(1, 4)[0]);
  });

  test("errors surface as API call errors with the gateway's status", async () => {
    await assert.rejects(generateText({ model: provider()("missing-model"), prompt: "x", maxRetries: 0 }), (err: unknown) => {
      assert.equal((err as { statusCode?: number }).statusCode, 404);
      return true;
    });
  });
});

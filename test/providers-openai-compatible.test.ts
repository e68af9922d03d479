// The OpenAI-compatible provider against a real loopback upstream: bodies sent, answers normalised,
// every error mapping, cancellation seen by the upstream.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { connect, type Socket } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";
import { GatewayError } from "../src/errors/index.js";
import { createOpenAICompatible, type OpenAICompatibleSettings } from "../src/providers/openai-compatible/index.js";
import type { CallOptions, CallTimeouts, ChatChunk, ChatModel, ChatRequest } from "../src/spec/index.js";
import {
  chatChunks,
  chatCompletion,
  embeddingResponse,
  errorBody,
  errorReply,
  startFakeUpstream,
  USAGE,
  type FakeUpstream,
  type ReasoningStyle,
} from "./fixtures/fake-upstream.js";

const KEY = "sk-test-0123456789abcdefSECRET";
const TIMEOUTS: CallTimeouts = { connect: 2000, firstToken: 3000, idle: 3000, total: 15000 };

let up: FakeUpstream;
const models: ChatModel[] = [];

function model(extra: Partial<OpenAICompatibleSettings> = {}): ChatModel {
  const m = createOpenAICompatible({ backend: "lab", baseUrl: up.url, apiKey: KEY, inHouse: true, ...extra });
  models.push(m);
  return m;
}

function opts(timeouts: Partial<CallTimeouts> = {}, signal = new AbortController().signal): CallOptions {
  return { model: "upstream-model", signal, timeouts: { ...TIMEOUTS, ...timeouts }, requestId: "req-1" };
}

function chatReq(extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: "alias", messages: [{ role: "user", content: "Hi" }], ...extra };
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

function text(chunks: ChatChunk[], field: "content" | "reasoning_content"): string {
  return chunks.map((c) => c.choices[0]?.delta[field] ?? "").join("");
}

/** Asserts a GatewayError with that code and returns it for further checks. */
async function failsWith(p: Promise<unknown>, code: string): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

before(async () => {
  up = await startFakeUpstream();
});
beforeEach(() => up.reset());
after(async () => {
  await Promise.all(models.map((m) => m.close()));
  await up.close();
});

describe("requests", () => {
  test("non-streaming chat: canonical fields, extra fields at the top level, model replaced, key sent", async () => {
    up.enqueue({ json: chatCompletion({ content: ["Hello"] }) });
    const res = await model().chat(
      chatReq({
        temperature: 0.2,
        stream: true, // the canonical request's flag does not decide: chat() never streams
        stream_options: { include_usage: true },
        extra: { chat_template_kwargs: { enable_thinking: false }, vendor_flag: 1 },
        messages: [{ role: "user", content: "Hi", custom_field: "kept" }],
      }),
      opts(),
    );
    assert.equal(res.choices[0]?.message.content, "Hello");
    assert.deepEqual(res.usage, USAGE);
    const [r] = up.requests;
    assert.equal(r?.path, "/v1/chat/completions");
    assert.equal(r?.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(r?.body, {
      model: "upstream-model",
      messages: [{ role: "user", content: "Hi", custom_field: "kept" }],
      temperature: 0.2,
      stream: false,
      chat_template_kwargs: { enable_thinking: false },
      vendor_flag: 1,
    });
  });

  test("streaming asks for usage and yields the usage chunk", async () => {
    const chunks = await collect(await model().chatStream(chatReq(), opts()));
    const body = up.requests[0]?.body;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(text(chunks, "content"), "Hello from the fake upstream.");
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, "stop");
    assert.deepEqual(chunks.at(-1)?.usage, USAGE);
    assert.deepEqual(chunks.at(-1)?.choices, []);
  });

  test("a backend without stream usage support gets no stream_options", async () => {
    await collect(await model({ quirks: { streamUsage: false } }).chatStream(chatReq({ stream_options: { include_usage: true } }), opts()));
    assert.equal(up.requests[0]?.body.stream_options, undefined);
  });

  test("keep-alive: sequential calls reuse pooled connections", async () => {
    const m = model();
    for (let i = 0; i < 5; i++) await m.chat(chatReq(), opts());
    await collect(await m.chatStream(chatReq(), opts()));
    await m.chat(chatReq(), opts());
    assert.equal(up.requests.length, 7);
    // undici resolves a body before its connection is marked idle, so back-to-back calls may alternate
    // between two kept-alive connections; what matters is that connections are reused, not opened per call.
    assert.ok(new Set(up.requests.map((r) => r.remotePort)).size <= 2);
  });

  test("preset quirks: Ollama drops ignored params, OpenAI renames max_tokens", async () => {
    await model({ preset: "ollama" }).chat(chatReq({ tool_choice: "required", logit_bias: { "1": 2 }, n: 2, top_p: 0.5 }), opts());
    const b0 = up.requests[0]?.body;
    assert.equal(b0.tool_choice, undefined);
    assert.equal(b0.logit_bias, undefined);
    assert.equal(b0.n, undefined);
    assert.equal(b0.top_p, 0.5);
    await model({ preset: "openai" }).chat(chatReq({ max_tokens: 64 }), opts());
    assert.equal(up.requests[1]?.body.max_completion_tokens, 64);
    assert.equal(up.requests[1]?.body.max_tokens, undefined);
  });

  test("comments and named non-chunk events in a stream are skipped", async () => {
    const items = chatChunks({ content: ["A", "B"] });
    up.enqueue({ sse: [items[0]!, { raw: ": keep-alive\n\n" }, { raw: "event: ping\ndata: not json\n\n" }, ...items.slice(1)] });
    const chunks = await collect(await model().chatStream(chatReq(), opts()));
    assert.equal(text(chunks, "content"), "AB");
  });

  test("a query in the base URL (Azure-style api-version) is kept on every path", async () => {
    const m = model({ baseUrl: `${up.url}/?api-version=2024-10-21` });
    await m.chat(chatReq(), opts());
    await m.embed({ model: "e", input: "x" }, opts());
    assert.deepEqual(up.requests.map((r) => r.path), ["/v1/chat/completions?api-version=2024-10-21", "/v1/embeddings?api-version=2024-10-21"]);
  });

  test("a server that answers a stream request with one JSON body is replayed as chunks", async () => {
    up.enqueue({ json: chatCompletion({ content: ["Whole"], reasoning: ["Thought"], reasoningStyle: "reasoning" }) });
    const chunks = await collect(await model().chatStream(chatReq(), opts()));
    assert.equal(text(chunks, "content"), "Whole");
    assert.equal(text(chunks, "reasoning_content"), "Thought");
    assert.deepEqual(chunks.at(-1)?.usage, USAGE);
  });
});

describe("tool calls", () => {
  const toolCalls = [
    { id: "call_1", name: "get_weather", args: ['{"ci', 'ty": "Os', 'aka"}'] },
    { id: "call_2", name: "get_time", args: ["{}"] },
  ];

  test("non-streaming tool calls come back whole", async () => {
    up.enqueue({ json: chatCompletion({ toolCalls }) });
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object" } } }];
    const res = await model().chat(chatReq({ tools, tool_choice: "auto" }), opts());
    assert.deepEqual(up.requests[0]?.body.tools, tools);
    assert.equal(res.choices[0]?.finish_reason, "tool_calls");
    assert.equal(res.choices[0]?.message.tool_calls?.[0]?.function.arguments, '{"city": "Osaka"}');
  });

  test("streamed tool-call deltas pass through in order", async () => {
    up.enqueue({ sse: chatChunks({ toolCalls }) });
    const chunks = await collect(await model().chatStream(chatReq(), opts()));
    const args = ["", ""];
    const names: string[] = [];
    for (const c of chunks) {
      for (const t of c.choices[0]?.delta.tool_calls ?? []) {
        if (t.function?.name) names[t.index] = t.function.name;
        args[t.index] += t.function?.arguments ?? "";
      }
    }
    assert.deepEqual(names, ["get_weather", "get_time"]);
    assert.deepEqual(args, ['{"city": "Osaka"}', "{}"]);
    assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason, "tool_calls");
  });
});

describe("embeddings", () => {
  const vectors = [
    [0.5, -1.25, 3, 0.1],
    [1, 2, 3, 4],
  ];

  test("float vectors come back as they are", async () => {
    up.enqueue({ json: embeddingResponse(vectors, "float") });
    const res = await model().embed({ model: "alias", input: ["a", "b"], extra: { truncate: true } }, opts());
    assert.deepEqual(res.data.map((d) => d.embedding), vectors);
    assert.deepEqual(up.requests[0]?.body, { model: "upstream-model", input: ["a", "b"], truncate: true });
    assert.deepEqual(res.usage, { prompt_tokens: 6, total_tokens: 6 });
  });

  test("base64 vectors are decoded to floats", async () => {
    up.enqueue({ json: embeddingResponse(vectors, "base64") });
    const res = await model().embed({ model: "alias", input: ["a", "b"], encoding_format: "base64" }, opts());
    assert.equal(up.requests[0]?.body.encoding_format, "base64");
    const got = res.data.map((d) => d.embedding);
    assert.deepEqual(got, vectors.map((v) => Array.from(new Float32Array(v))));
  });
});

describe("legacy completions", () => {
  test("non-streaming and streaming", async () => {
    const m = model();
    const res = await m.completion({ model: "alias", prompt: "Say", max_tokens: 5 }, opts());
    assert.equal(res.choices[0]?.text, "Hello from the fake upstream.");
    assert.equal(up.requests[0]?.path, "/v1/completions");
    const chunks = await collect(await m.completionStream({ model: "alias", prompt: "Say" }, opts()));
    assert.equal(chunks.map((c) => c.choices[0]?.text ?? "").join(""), "Hello there.");
    assert.deepEqual(chunks.at(-1)?.usage, USAGE);
  });
});

describe("reasoning normalisation", () => {
  const styles: { style: ReasoningStyle; settings: Partial<OpenAICompatibleSettings> }[] = [
    { style: "reasoning_content", settings: { preset: "deepseek" } },
    { style: "reasoning", settings: { preset: "vllm" } },
    { style: "think_tags", settings: { preset: "minimax" } },
    { style: "think_close_only", settings: { quirks: { thinkTags: "open" } } },
  ];
  const reasoning = ["The user greets", " me; ", "answer briefly."];
  const content = ["Hello", " there", "!"];

  for (const { style, settings } of styles) {
    test(`${style}: non-streaming message carries reasoning_content, content has no tags`, async () => {
      up.enqueue({ json: chatCompletion({ content, reasoning, reasoningStyle: style }) });
      const res = await model(settings).chat(chatReq(), opts());
      const msg = res.choices[0]!.message;
      assert.equal(msg.content, "Hello there!");
      assert.equal(msg.reasoning_content, "The user greets me; answer briefly.");
      assert.equal("reasoning" in msg, false);
    });

    test(`${style}: stream deltas carry reasoning_content, content has no tags`, async () => {
      up.enqueue({ sse: chatChunks({ content, reasoning, reasoningStyle: style }) });
      const chunks = await collect(await model(settings).chatStream(chatReq(), opts()));
      assert.equal(text(chunks, "content"), "Hello there!");
      assert.equal(text(chunks, "reasoning_content").trim(), "The user greets me; answer briefly.");
      assert.ok(chunks.every((c) => !("reasoning" in (c.choices[0]?.delta ?? {}))));
    });
  }

  test("inline tags cut mid-tag across SSE events are still split", async () => {
    const pieces = ["<th", "ink>\nPonder", "ing.</th", "ink>", "\n\nAns", "wer <b>ok</b> <thi"];
    const sse = chatChunks({ content: pieces });
    up.enqueue({ sse });
    const chunks = await collect(await model({ preset: "vllm" }).chatStream(chatReq(), opts()));
    assert.equal(text(chunks, "reasoning_content"), "Pondering.");
    // A tag prefix still held at the end is released as text with the finishing chunk.
    assert.equal(text(chunks, "content"), "Answer <b>ok</b> <thi");
  });

  test("inline quirk, non-streaming: a bare </think> (template-opened) is still recognised", async () => {
    up.enqueue({ json: chatCompletion({ content: ["Hi"], reasoning: ["Quick thought."], reasoningStyle: "think_close_only" }) });
    const msg = (await model({ preset: "vllm" }).chat(chatReq(), opts())).choices[0]!.message;
    assert.deepEqual([msg.content, msg.reasoning_content], ["Hi", "Quick thought."]);
  });

  test("open quirk: an answer cut before </think> is reasoning, streamed or not", async () => {
    const settings = { quirks: { thinkTags: "open" as const } };
    up.enqueue({ json: chatCompletion({ content: ["Still thinking about"] }) });
    const msg = (await model(settings).chat(chatReq(), opts())).choices[0]!.message;
    assert.deepEqual([msg.content, msg.reasoning_content], ["", "Still thinking about"]);
    up.enqueue({ sse: chatChunks({ content: ["Still", " thinking about"] }) });
    const chunks = await collect(await model(settings).chatStream(chatReq(), opts()));
    assert.deepEqual([text(chunks, "content"), text(chunks, "reasoning_content")], ["", "Still thinking about"]);
  });

  test("null reasoning fields are dropped, not passed on", async () => {
    const body = chatCompletion({ content: ["x"] });
    Object.assign((body.choices as { message: object }[])[0]!.message, { reasoning_content: null, reasoning: null });
    up.enqueue({ json: body });
    const msg = (await model({ preset: "vllm" }).chat(chatReq(), opts())).choices[0]!.message;
    assert.equal("reasoning_content" in msg || "reasoning" in msg, false);
  });

  test("a hosted vendor without inline tags keeps literal <think> in content", async () => {
    up.enqueue({ json: chatCompletion({ content: ["Use <think> tags like this."] }) });
    const res = await model({ preset: "deepseek" }).chat(chatReq(), opts());
    assert.equal(res.choices[0]?.message.content, "Use <think> tags like this.");
  });

  const history: ChatRequest["messages"] = [
    { role: "user", content: "Weather in Osaka?" },
    {
      role: "assistant",
      content: null,
      reasoning_content: "Need the tool.",
      tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "call_1", content: "Sunny" },
  ];

  test("DeepSeek-style: reasoning_content goes back on the assistant tool turn", async () => {
    await model({ preset: "deepseek" }).chat(chatReq({ messages: history }), opts());
    assert.equal(up.requests[0]?.body.messages[1].reasoning_content, "Need the tool.");
  });

  test("OpenAI: reasoning_content is stripped; OpenRouter: renamed; MiniMax: folded into think tags", async () => {
    await model({ preset: "openai" }).chat(chatReq({ messages: history }), opts());
    assert.equal("reasoning_content" in up.requests[0]!.body.messages[1], false);
    await model({ preset: "openrouter" }).chat(chatReq({ messages: history }), opts());
    assert.equal(up.requests[1]?.body.messages[1].reasoning, "Need the tool.");
    assert.equal("reasoning_content" in up.requests[1]!.body.messages[1], false);
    await model({ preset: "minimax" }).chat(chatReq({ messages: history }), opts());
    assert.equal(up.requests[2]?.body.messages[1].content, "<think>\nNeed the tool.\n</think>\n\n");
    assert.equal(history[1]?.reasoning_content, "Need the tool.", "the caller's messages are not modified");
  });
});

describe("errors", () => {
  test("4xx → upstream_rejected with the upstream's status and message, key scrubbed", async () => {
    up.enqueue({ status: 400, json: errorBody(`max_tokens too large; your key ${KEY} and Bearer ${KEY} were used`) });
    const err = await failsWith(model().chat(chatReq(), opts()), "upstream_rejected");
    assert.equal(err.status, 400);
    assert.equal(err.retryable, false);
    assert.match(err.message, /max_tokens too large/);
    assert.ok(!err.message.includes(KEY) && !err.message.includes("SECRET"), err.message);

    up.enqueue({ status: 404, json: { object: "error", message: "The model `x` does not exist.", code: 404 } });
    const e404 = await failsWith(model().chat(chatReq(), opts()), "upstream_rejected");
    assert.equal(e404.status, 404);
    assert.match(e404.message, /does not exist/);

    up.enqueue({ status: 401, json: errorBody("Incorrect API key provided: sk-test-******************CRET") });
    const e401 = await failsWith(model().chat(chatReq(), opts()), "upstream_rejected");
    assert.ok(!e401.message.includes("CRET"), e401.message);

    up.enqueue({ status: 422, json: { detail: [{ loc: ["body", "messages"], msg: "field required" }] } });
    assert.match((await failsWith(model().chat(chatReq(), opts()), "upstream_rejected")).message, /field required/);
  });

  test("a secret in a configured header is scrubbed too", async () => {
    up.enqueue({ status: 403, text: "token tok_abcdef123456 not allowed" });
    const m = model({ apiKey: undefined, headers: { "x-api-key": "tok_abcdef123456" } });
    const err = await failsWith(m.chat(chatReq(), opts()), "upstream_rejected");
    assert.ok(!err.message.includes("tok_abcdef123456"), err.message);
    assert.equal(up.requests[0]?.headers["x-api-key"], "tok_abcdef123456");
    assert.equal(up.requests[0]?.headers.authorization, undefined);
  });

  test("a configured Authorization header wins over the api key", async () => {
    await model({ headers: { Authorization: "Basic dXNlcjpwYXNz" } }).chat(chatReq(), opts());
    assert.equal(up.requests[0]?.headers.authorization, "Basic dXNlcjpwYXNz");
  });

  test("429 → rate_limit_exceeded, retryable, Retry-After in seconds or as a date", async () => {
    up.enqueue(errorReply(429, "slow down", 7));
    const err = await failsWith(model().chat(chatReq(), opts()), "rate_limit_exceeded");
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfter, 7);
    up.enqueue({ status: 429, headers: { "retry-after": new Date(Date.now() + 30_000).toUTCString() }, json: errorBody("slow") });
    const dated = await failsWith(model().chatStream(chatReq(), opts()), "rate_limit_exceeded");
    assert.ok(dated.retryAfter !== undefined && dated.retryAfter >= 28 && dated.retryAfter <= 31, String(dated.retryAfter));
  });

  for (const status of [408, 500, 502, 503]) {
    test(`${status} → upstream_error, retryable, and chatStream rejects before any chunk`, async () => {
      up.enqueue({ status, json: errorBody("engine overloaded") }, { status, text: "<html>bad gateway</html>" });
      const err = await failsWith(model().chat(chatReq(), opts()), "upstream_error");
      assert.equal(err.retryable, true);
      assert.match(err.message, new RegExp(`HTTP ${status}: engine overloaded`));
      const streamErr = await failsWith(model().chatStream(chatReq(), opts()), "upstream_error");
      assert.equal(streamErr.retryable, true);
    });
  }

  test("connection refused → upstream_error, retryable, without the address", async () => {
    const gone = await startFakeUpstream();
    const url = gone.url;
    await gone.close();
    const m = createOpenAICompatible({ backend: "gone", baseUrl: url, inHouse: true });
    models.push(m);
    const err = await failsWith(m.chat(chatReq(), opts()), "upstream_error");
    assert.equal(err.retryable, true);
    assert.match(err.message, /ECONNREFUSED/);
    assert.ok(!err.message.includes("127.0.0.1"), err.message);
  });

  // A listener that never accepts, with its one-slot queue filled, leaves further connects hanging in
  // SYN-SENT: the only loopback way to make a TCP connect time out. Node always accepts, so python3 listens.
  const hasPython = spawnSync("python3", ["--version"]).status === 0;
  test("no connection within connect → upstream_timeout, retryable", { skip: hasPython ? false : "python3 is not installed" }, async () => {
    const script = "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)";
    const py = spawn("python3", ["-c", script], { stdio: ["ignore", "pipe", "inherit"] });
    const filler: Socket[] = [];
    try {
      const port = await new Promise<number>((resolve) => py.stdout.once("data", (b: Buffer) => resolve(Number(b.toString().trim()))));
      await new Promise((resolve) => filler.push(connect(port, "127.0.0.1").once("connect", resolve)));
      const m = createOpenAICompatible({ backend: "blackhole", baseUrl: `http://127.0.0.1:${port}/v1`, inHouse: true });
      models.push(m);
      const err = await failsWith(m.chat(chatReq(), opts({ connect: 200 })), "upstream_timeout");
      assert.equal(err.retryable, true);
      assert.match(err.message, /did not accept a connection within 200 ms/);
    } finally {
      for (const s of filler) s.destroy();
      py.kill();
    }
  });

  test("no headers within firstToken → upstream_timeout, retryable, and the upstream sees the abort", async () => {
    up.enqueue({ delay: Infinity });
    const err = await failsWith(model().chat(chatReq(), opts({ firstToken: 150 })), "upstream_timeout");
    assert.equal(err.retryable, true);
    assert.equal(await up.requests[0]!.ended, "aborted");
  });

  test("total timeout bounds the whole call", async () => {
    // The first chunks come at once, then the upstream pauses far beyond the total budget.
    const items = chatChunks({ content: ["a", "b"] });
    up.enqueue({ sse: [...items.slice(0, 2), { delay: 60_000 }, ...items.slice(2)] });
    const stream = await model().chatStream(chatReq(), opts({ total: 1000 }));
    const got: ChatChunk[] = [];
    const err = await failsWith(
      (async () => {
        for await (const c of stream) got.push(c);
      })(),
      "upstream_timeout",
    );
    assert.equal(err.retryable, false, "chunks were already delivered");
    assert.ok(got.length >= 1);
    assert.equal(await up.requests[0]!.ended, "aborted");
  });

  test("garbage body with 200 → upstream_error, retryable", async () => {
    up.enqueue({ text: "this is not json {" });
    const err = await failsWith(model().chat(chatReq(), opts()), "upstream_error");
    assert.equal(err.retryable, true);
    up.enqueue({ json: { unexpected: true } });
    await failsWith(model().chat(chatReq(), opts()), "upstream_error");
  });

  test("garbage event in a started stream → upstream_error, not retryable", async () => {
    up.enqueue({ sse: [...chatChunks({ content: ["ok"] }).slice(0, 2), { raw: "data: {not json\n\n" }], done: false, then: "stall" });
    const stream = await model().chatStream(chatReq(), opts());
    const err = await failsWith(collect(stream), "upstream_error");
    assert.equal(err.retryable, false);
    assert.equal(await up.requests[0]!.ended, "aborted");
  });

  test("an error event inside the stream → upstream_error with its message", async () => {
    up.enqueue({ sse: [chatChunks()[0]!, errorBody(`CUDA out of memory (${KEY})`, "server_error")], done: false });
    const err = await failsWith(collect(await model().chatStream(chatReq(), opts())), "upstream_error");
    assert.equal(err.retryable, false);
    assert.match(err.message, /CUDA out of memory/);
    assert.ok(!err.message.includes(KEY));
  });

  test("connection reset mid-stream → upstream_error, not retryable", async () => {
    up.enqueue({ sse: chatChunks({ content: ["one", "two"] }).slice(0, 3), then: "reset" });
    const got: ChatChunk[] = [];
    const stream = await model().chatStream(chatReq(), opts());
    const err = await failsWith(
      (async () => {
        for await (const c of stream) got.push(c);
      })(),
      "upstream_error",
    );
    assert.equal(err.retryable, false);
    assert.equal(text(got, "content"), "onetwo");
  });

  test("failures after the headers but before the first chunk stay retryable (nothing reached the client)", async () => {
    up.enqueue({ sse: [errorBody("model is loading", "server_error")], done: false });
    const first = await failsWith(collect(await model().chatStream(chatReq(), opts())), "upstream_error");
    assert.equal(first.retryable, true);
    assert.match(first.message, /model is loading/);
    up.enqueue({ sse: [], then: "reset" });
    assert.equal((await failsWith(collect(await model().chatStream(chatReq(), opts())), "upstream_error")).retryable, true);
    up.enqueue({ sse: [], then: "stall" });
    const stalled = await failsWith(collect(await model().chatStream(chatReq(), opts({ idle: 150 }))), "upstream_timeout");
    assert.equal(stalled.retryable, true);
  });

  test("a stall mid-stream → upstream_timeout after idle, not retryable, and the upstream sees the abort", async () => {
    up.enqueue({ sse: chatChunks({ content: ["one"] }).slice(0, 2), then: "stall" });
    const stream = await model().chatStream(chatReq(), opts({ idle: 200 }));
    const err = await failsWith(collect(stream), "upstream_timeout");
    assert.equal(err.retryable, false);
    assert.equal(await up.requests[0]!.ended, "aborted");
  });
});

describe("cancellation", () => {
  test("aborting while waiting for headers aborts the upstream request at once", async () => {
    up.enqueue({ delay: Infinity });
    const ac = new AbortController();
    const call = model().chat(chatReq(), opts({}, ac.signal));
    while (up.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const err = await failsWith(call, "upstream_error");
    assert.equal(err.retryable, false);
    assert.equal(await up.requests[0]!.ended, "aborted");
  });

  test("aborting mid-stream closes the upstream connection", async () => {
    up.enqueue({ sse: chatChunks({ content: ["a", "b", "c", "d", "e"], delayMs: 200 }) });
    const ac = new AbortController();
    const stream = await model().chatStream(chatReq(), opts({}, ac.signal));
    const got: ChatChunk[] = [];
    const err = await failsWith(
      (async () => {
        for await (const c of stream) {
          got.push(c);
          if (got.length === 2) ac.abort();
        }
      })(),
      "upstream_error",
    );
    assert.equal(err.retryable, false);
    assert.equal(await up.requests[0]!.ended, "aborted");
    assert.ok(got.length < 6);
  });

  test("a consumer that stops reading closes the upstream connection", async () => {
    up.enqueue({ sse: chatChunks({ content: ["a", "b", "c", "d"], delayMs: 100 }) });
    for await (const c of await model().chatStream(chatReq(), opts())) {
      if (c.choices[0]?.delta.content === "a") break;
    }
    assert.equal(await up.requests[0]!.ended, "aborted");
  });

  test("an already aborted signal sends nothing", async () => {
    const ac = new AbortController();
    ac.abort();
    await failsWith(model().chat(chatReq(), opts({}, ac.signal)), "upstream_error");
    assert.equal(up.requests.length, 0);
  });

  test("the router's own GatewayError reason is kept", async () => {
    up.enqueue({ delay: Infinity });
    const ac = new AbortController();
    const call = model().chat(chatReq(), opts({}, ac.signal));
    while (up.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort(new GatewayError("upstream_timeout", "router deadline"));
    assert.equal((await failsWith(call, "upstream_timeout")).message, "router deadline");
  });
});

describe("timeouts", () => {
  test("unbounded timeouts (Infinity) do not fire at once", async () => {
    const unbounded = { connect: Infinity, firstToken: Infinity, idle: Infinity, total: Infinity };
    up.enqueue({ delay: 50, json: chatCompletion({ content: ["late but fine"] }) });
    const res = await model().chat(chatReq(), opts(unbounded));
    assert.equal(res.choices[0]?.message.content, "late but fine");
    const chunks = await collect(await model().chatStream(chatReq(), opts(unbounded)));
    assert.equal(text(chunks, "content"), "Hello from the fake upstream.");
  });
});

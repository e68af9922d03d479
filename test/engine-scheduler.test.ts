// The embedded engine's scheduling and model management through the ChatModel API: concurrent streams,
// bounded queue (503), client abort freeing its slot, memory refusal, LoRA sets over shared weights,
// idle unload.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setImmediate as tick, setTimeout as sleep } from "node:timers/promises";
import { GatewayError } from "../src/errors/index.js";
import type { ChatChunk, ChatRequest } from "../src/spec/index.js";
import { callOptions, tinyBackend } from "./fixtures/gguf-engine-backend.js";

const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({ model: "tiny", messages: [{ role: "user", content: "Hi" }], seed: 5, ...over });

async function drain(stream: AsyncIterable<ChatChunk>): Promise<{ text: string; finish: string | null | undefined }> {
  let text = "";
  let finish: string | null | undefined;
  for await (const c of stream) {
    text += c.choices[0]?.delta.content ?? "";
    finish = c.choices[0]?.finish_reason ?? finish;
  }
  return { text, finish };
}

test("4 concurrent streams all complete, each with its exact token count", async () => {
  const backend = tinyBackend({ slots: 4 });
  try {
    const lengths = [20, 25, 30, 35];
    const streams = await Promise.all(lengths.map((n, i) => backend.chatStream(req({ max_tokens: n, seed: i }), callOptions("tiny"))));
    assert.equal(backend.manager.status()[0]!.active, 4);
    const results = await Promise.all(streams.map(drain));
    assert.deepEqual(results.map((r) => r.text.length), lengths);
    assert.ok(results.every((r) => r.finish === "length"));
    assert.equal(backend.manager.status()[0]!.active, 0);
  } finally {
    await backend.close();
  }
});

test("beyond slots + max_queue the engine answers 503 overloaded with Retry-After", async () => {
  const backend = tinyBackend({ slots: 1, max_queue: 1 });
  try {
    const holding = await backend.chatStream(req({ max_tokens: 50 }), callOptions("tiny"));
    const queued = backend.chat(req({ max_tokens: 5 }), callOptions("tiny"));
    await tick();
    assert.equal(backend.manager.status()[0]!.queued, 1);
    await assert.rejects(
      backend.chat(req({ max_tokens: 5 }), callOptions("tiny")),
      (e: unknown) => e instanceof GatewayError && e.status === 503 && e.code === "overloaded" && e.retryAfter !== undefined && e.retryAfter > 0,
    );
    await drain(holding);
    const res = await queued;
    assert.equal(res.usage?.completion_tokens, 5);
  } finally {
    await backend.close();
  }
});

test("a client abort frees its slot at once, mid-stream or before the first read", async () => {
  const backend = tinyBackend({ slots: 1, max_queue: 2 });
  try {
    const ac = new AbortController();
    const stream = await backend.chatStream(req({ max_tokens: 500 }), callOptions("tiny", ac.signal));
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    await it.next();
    const waiting = backend.chat(req({ max_tokens: 4 }), callOptions("tiny"));
    await tick();
    assert.equal(backend.manager.status()[0]!.queued, 1);
    ac.abort();
    const res = await waiting;
    assert.equal(res.usage?.completion_tokens, 4);

    const ac2 = new AbortController();
    await backend.chatStream(req({ max_tokens: 500 }), callOptions("tiny", ac2.signal));
    ac2.abort();
    await tick();
    assert.equal(backend.manager.status()[0]!.active, 0);

    // A queued request that aborts leaves the queue.
    const holder = await backend.chatStream(req({ max_tokens: 20 }), callOptions("tiny"));
    const ac3 = new AbortController();
    const queued = backend.chat(req({ max_tokens: 4 }), callOptions("tiny", ac3.signal));
    await tick();
    ac3.abort();
    await assert.rejects(queued);
    assert.equal(backend.manager.status()[0]!.queued, 0);
    await drain(holder);
  } finally {
    await backend.close();
  }
});

test("a model that does not fit the memory budget is refused before loading, with what it needs", async () => {
  const backend = tinyBackend({ memory_budget: "1mb" });
  try {
    await assert.rejects(backend.chat(req(), callOptions("tiny")), (e: unknown) => {
      assert.ok(e instanceof GatewayError);
      assert.equal(e.status, 503);
      assert.match(e.message, /needs about [\d.]+ MiB .*memory budget is 1\.0 MiB/);
      return true;
    });
    assert.deepEqual(backend.manager.status(), []);
  } finally {
    await backend.close();
  }
});

test("within the memory budget the least recently used idle model is unloaded to make room", async () => {
  const probe = tinyBackend();
  let oneModel: number;
  try {
    await probe.chat(req({ max_tokens: 1 }), callOptions("tiny"));
    oneModel = probe.manager.usedBytes();
  } finally {
    await probe.close();
  }
  const backend = tinyBackend({ memory_budget: Math.ceil(oneModel * 1.5) });
  try {
    await backend.chat(req({ max_tokens: 1 }), callOptions("tiny"));
    await backend.chat(req({ model: "tiny-b", max_tokens: 1 }), callOptions("tiny-b"));
    assert.deepEqual(backend.manager.status().map((s) => s.name), ["tiny-b"]);
    // A busy model is never evicted: with tiny-b streaming, loading tiny must wait (503), not evict it.
    const busy = await backend.chatStream(req({ model: "tiny-b", max_tokens: 5 }), callOptions("tiny-b"));
    await assert.rejects(backend.chat(req({ max_tokens: 1 }), callOptions("tiny")), (e: unknown) => e instanceof GatewayError && e.code === "overloaded");
    await drain(busy);
  } finally {
    await backend.close();
  }
});

test("a LoRA adapter changes the output; adapter sets share the base weights", async () => {
  const backend = tinyBackend();
  try {
    const plain = await backend.chat(req({ max_tokens: 30, temperature: 0 }), callOptions("tiny"));
    const adapted = await backend.chat(req({ model: "tiny-lora", max_tokens: 30, temperature: 0 }), callOptions("tiny-lora"));
    assert.notEqual(adapted.choices[0]!.message.content, plain.choices[0]!.message.content);
    const status = backend.manager.status();
    assert.deepEqual(status.map((s) => s.name).sort(), ["tiny", "tiny-lora"]);
    assert.equal(status[0]!.path, status[1]!.path);
    const again = await backend.chat(req({ max_tokens: 30, temperature: 0 }), callOptions("tiny"));
    assert.equal(again.choices[0]!.message.content, plain.choices[0]!.message.content);
  } finally {
    await backend.close();
  }
});

test("an idle model is unloaded after keep_alive; the next request loads it again", async () => {
  const backend = tinyBackend({ keep_alive: "150ms" });
  try {
    await backend.chat(req({ max_tokens: 2 }), callOptions("tiny"));
    assert.equal(backend.manager.status().length, 1);
    for (let i = 0; i < 100 && backend.manager.status().length > 0; i++) await sleep(50);
    assert.equal(backend.manager.status().length, 0);
    const res = await backend.chat(req({ max_tokens: 2 }), callOptions("tiny"));
    assert.equal(res.usage?.completion_tokens, 2);
  } finally {
    await backend.close();
  }
});

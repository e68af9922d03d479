// Fault injection: fake upstreams fail in every way real ones do; the router falls back, retries only what
// may be retried, opens and closes breakers, and every request ends within its bound.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";
import OpenAI from "openai";
import { chatChunks, chatCompletion, errorBody, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

let a: FakeUpstream;
let b: FakeUpstream;
let c: FakeUpstream;
let gw: TestGateway;
let client: OpenAI;
const msg = [{ role: "user" as const, content: "hi" }];

async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const t0 = performance.now();
  try {
    const value = await p;
    return { ms: performance.now() - t0, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

before(async () => {
  [a, b, c] = await Promise.all([startFakeUpstream(), startFakeUpstream(), startFakeUpstream()]);
  const dead = await closedPort();
  const t = "timeouts: { first_token: 300ms, idle: 300ms, total: 5s }";
  gw = await startGateway(`
router: { retries: 1, circuit_breaker: { failures: 1000 } }
backends:
  a: { type: openai, base_url: ${a.url}, ${t} }
  b: { type: openai, base_url: ${b.url}, ${t} }
  c: { type: openai, base_url: ${c.url}, ${t} }
  dead: { type: openai, base_url: http://127.0.0.1:${dead}/v1, ${t} }
  solo: { type: openai, base_url: ${a.url}, ${t}, retries: 0 }
  tight: { type: openai, base_url: ${c.url}, max_concurrency: 1, max_queue: 1, ${t} }
models:
  fb: { targets: [a/m, b/m, c/m], strategy: fallback }
  fb-dead: { targets: [dead/m, b/m], strategy: fallback }
  only-a: { targets: [a/m], retries: 1 }
  rr: { targets: [a/m, b/m, c/m], strategy: round_robin }
  wt: { targets: [{ backend: a, model: m, weight: 9 }, { backend: b, model: m, weight: 1 }], strategy: weighted }
  ll: { targets: [a/m, b/m], strategy: least_latency }
  busy: { targets: [tight/m] }
`);
  client = new OpenAI({ apiKey: ADMIN_KEY, baseURL: gw.v1, maxRetries: 0 });
});
after(async () => {
  await gw.close();
  await Promise.all([a.close(), b.close(), c.close()]);
});
beforeEach(() => {
  a.reset();
  b.reset();
  c.reset();
});

async function healthy(): Promise<void> {
  const res = await fetch(`${gw.url}/healthz`);
  assert.equal(res.status, 200);
}

describe("fallback before the first byte", () => {
  test("500 from the first target falls back to the next", async () => {
    a.respond({ status: 500, json: errorBody("down") });
    const { data, response } = await client.chat.completions.create({ model: "fb", messages: msg }).withResponse();
    assert.equal(data.choices[0]?.message.content, "Hello from the fake upstream.");
    assert.equal(response.headers.get("x-inhouse-backend"), "b/m");
    assert.equal(response.headers.get("x-inhouse-attempts"), "2");
    await healthy();
  });

  test("connection refused falls back at once", async () => {
    const r = await timed(client.chat.completions.create({ model: "fb-dead", messages: msg }).withResponse());
    assert.equal(r.value?.response.headers.get("x-inhouse-backend"), "b/m");
    assert.ok(r.ms < 1000, `took ${r.ms} ms`);
  });

  test("hang before headers: abandoned after first_token, next target tried at once", async () => {
    a.respond({ delay: Infinity, json: {} });
    const r = await timed(client.chat.completions.create({ model: "fb", messages: msg }).withResponse());
    assert.equal(r.value?.response.headers.get("x-inhouse-backend"), "b/m");
    assert.ok(r.ms >= 250 && r.ms < 1500, `took ${r.ms} ms`);
    assert.equal(await a.requests[0]!.ended, "aborted");
  });

  test("garbage body falls back", async () => {
    a.respond({ text: "<html>502 Bad Gateway</html>", headers: { "content-type": "application/json" } });
    const { response } = await client.chat.completions.create({ model: "fb", messages: msg }).withResponse();
    assert.equal(response.headers.get("x-inhouse-backend"), "b/m");
  });

  test("a stream that fails before its first event falls back; the client sees one clean stream", async () => {
    a.respond({ status: 503, json: errorBody("overloaded") });
    const stream = await client.chat.completions.create({ model: "fb", messages: msg, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    assert.equal(text, "Hello from the fake upstream.");
    assert.equal(b.requests.length, 1);
  });

  test("4xx (other than 408/429) is not retried and not failed over", async () => {
    a.respond({ status: 422, json: errorBody("bad schema") });
    // The upstream's own 4xx status and message reach the client: the request itself is at fault.
    await assert.rejects(
      client.chat.completions.create({ model: "fb", messages: msg }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 422 && e.type === "invalid_request_error" && /bad schema/.test(e.message),
    );
    assert.equal(a.requests.length, 1);
    assert.equal(b.requests.length, 0);
  });
});

describe("retries", () => {
  test("429 with Retry-After is honoured before the same target is tried again", async () => {
    a.enqueue({ status: 429, headers: { "retry-after": "1" }, json: errorBody("slow down") });
    const r = await timed(client.chat.completions.create({ model: "only-a", messages: msg }));
    assert.equal(r.value?.choices[0]?.message.content, "Hello from the fake upstream.");
    assert.equal(a.requests.length, 2);
    assert.ok(r.ms >= 950 && r.ms < 3000, `waited ${r.ms} ms`);
  });

  test("429 whose Retry-After exceeds the cap goes back to the client with Retry-After", async () => {
    a.respond({ status: 429, headers: { "retry-after": "120" }, json: errorBody("quota window") });
    const res = await fetch(`${gw.v1}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "only-a", messages: msg }),
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "120");
    assert.equal(a.requests.length, 1);
  });

  test("retries are bounded: a target that always fails is tried 1 + retries times", async () => {
    a.respond({ status: 500, json: errorBody("down") });
    await assert.rejects(client.chat.completions.create({ model: "only-a", messages: msg }), (e: unknown) => e instanceof OpenAI.APIError && e.status === 502);
    assert.equal(a.requests.length, 2);
    await assert.rejects(client.chat.completions.create({ model: "solo/m", messages: msg }));
    assert.equal(a.requests.length, 3, "solo has retries: 0");
  });
});

describe("after the first byte", () => {
  test("a stream reset mid-way ends with an error event, never a clean finish", async () => {
    const items = chatChunks({ content: ["one ", "two ", "three"] }).slice(0, 3);
    a.respond({ sse: items, then: "reset" });
    const stream = await client.chat.completions.create({ model: "fb", messages: msg, stream: true });
    let text = "";
    let finish: string | null | undefined;
    await assert.rejects(async () => {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
    }, (e: unknown) => e instanceof OpenAI.APIError);
    assert.equal(text, "one two ");
    assert.equal(finish, undefined);
    assert.equal(b.requests.length, 0, "no fallback after the first byte");
  });

  test("a stream that stalls past idle ends with an error event within the bound", async () => {
    const items = chatChunks({ content: ["one ", "two "] }).slice(0, 2);
    a.respond({ sse: items, then: "stall" });
    const t0 = performance.now();
    const stream = await client.chat.completions.create({ model: "fb", messages: msg, stream: true });
    await assert.rejects(async () => {
      for await (const _ of stream);
    }, /stalled|timeout|idle/i);
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `ended after ${ms} ms`);
    await healthy();
  });
});

describe("strategies", () => {
  test("round_robin spreads requests evenly", async () => {
    for (let i = 0; i < 9; i++) await client.chat.completions.create({ model: "rr", messages: msg });
    assert.deepEqual([a.requests.length, b.requests.length, c.requests.length], [3, 3, 3]);
  });

  test("weighted follows the weights", async () => {
    for (let i = 0; i < 100; i++) await client.chat.completions.create({ model: "wt", messages: msg });
    assert.ok(a.requests.length >= 75 && a.requests.length <= 98, `a got ${a.requests.length}`);
    assert.equal(a.requests.length + b.requests.length, 100);
  });

  test("least_latency prefers the faster target", async () => {
    a.respond({ delay: 60, json: chatCompletion() });
    for (let i = 0; i < 12; i++) await client.chat.completions.create({ model: "ll", messages: msg });
    assert.ok(b.requests.length >= 9, `fast b got ${b.requests.length} of 12`);
  });

  test("max_concurrency with a bounded queue answers 503 with Retry-After when full", async () => {
    c.respond({ delay: 200, json: chatCompletion() });
    const send = () =>
      fetch(`${gw.v1}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "busy", messages: msg }),
      });
    const results = await Promise.all([send(), send(), send(), send()]);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 503, 503]);
    const refused = results.find((r) => r.status === 503)!;
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    assert.equal(c.requests.length, 2, "the upstream never saw more than limit + queue");
  });
});

describe("circuit breaker", () => {
  test("opens after N failures, skips the target, probes after the cool-down, closes on success", async () => {
    const up = await startFakeUpstream();
    const other = await startFakeUpstream();
    const g = await startGateway(`
router: { retries: 0, circuit_breaker: { failures: 2, cooldown: 400ms } }
backends:
  x: { type: openai, base_url: ${up.url} }
  y: { type: openai, base_url: ${other.url} }
models:
  pair: { targets: [x/m, y/m] }
`);
    const cl = new OpenAI({ apiKey: ADMIN_KEY, baseURL: g.v1, maxRetries: 0 });
    try {
      up.respond({ status: 500, json: errorBody("down") });
      await cl.chat.completions.create({ model: "pair", messages: msg });
      await cl.chat.completions.create({ model: "pair", messages: msg });
      assert.equal(up.requests.length, 2);
      // Open: x is skipped without a request.
      const { response } = await cl.chat.completions.create({ model: "pair", messages: msg }).withResponse();
      assert.equal(up.requests.length, 2);
      assert.equal(response.headers.get("x-inhouse-backend"), "y/m");
      // After the cool-down one probe goes to x; it succeeds and closes the breaker.
      await new Promise((r) => setTimeout(r, 450));
      up.respond({ json: chatCompletion() });
      const probe = await cl.chat.completions.create({ model: "pair", messages: msg }).withResponse();
      assert.equal(probe.response.headers.get("x-inhouse-backend"), "x/m");
      const next = await cl.chat.completions.create({ model: "pair", messages: msg }).withResponse();
      assert.equal(next.response.headers.get("x-inhouse-backend"), "x/m");
      // Every target open: 503 with Retry-After instead of a hang.
      up.respond({ status: 500, json: errorBody("down") });
      other.respond({ status: 500, json: errorBody("down") });
      for (let i = 0; i < 2; i++) await cl.chat.completions.create({ model: "pair", messages: msg }).catch(() => {});
      const res = await fetch(`${g.v1}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "pair", messages: msg }),
      });
      assert.equal(res.status, 503);
      assert.ok(Number(res.headers.get("retry-after")) >= 1);
    } finally {
      await g.close();
      await up.close();
      await other.close();
    }
  });
});

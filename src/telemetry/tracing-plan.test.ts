import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { backendPeers, startTracing, tracesUrl } from "./tracing.js";
import { parseTraceparent, planSpans, type TraceSample } from "./tracing-plan.js";

const T = "4bf92f3577b34da6a3ce929d0e0e4736";
const S = "00f067aa0ba902b7";

test("traceparent: valid headers parse, malformed or all-zero ones start a new trace", () => {
  assert.deepEqual(parseTraceparent(`00-${T}-${S}-01`), { traceId: T, spanId: S, sampled: true });
  assert.deepEqual(parseTraceparent(`00-${T}-${S}-00`), { traceId: T, spanId: S, sampled: false });
  // A future version may append fields; version 00 may not.
  assert.deepEqual(parseTraceparent(`01-${T}-${S}-01-extra`), { traceId: T, spanId: S, sampled: true });
  assert.equal(parseTraceparent(`00-${T}-${S}-01-extra`), undefined);
  assert.equal(parseTraceparent(`ff-${T}-${S}-01`), undefined);
  assert.equal(parseTraceparent(`00-${"0".repeat(32)}-${S}-01`), undefined);
  assert.equal(parseTraceparent(`00-${T}-${"0".repeat(16)}-01`), undefined);
  assert.equal(parseTraceparent(`00-${T.toUpperCase()}-${S}-01`), undefined);
  assert.equal(parseTraceparent("garbage"), undefined);
  assert.equal(parseTraceparent(undefined), undefined);
});

const sample = (over: Partial<TraceSample> = {}): TraceSample => ({
  requestId: "req-1",
  endpoint: "chat",
  keyId: "admin",
  route: "chat",
  target: "b/m2",
  stream: false,
  status: 200,
  errorCode: null,
  promptTokens: 10,
  completionTokens: 4,
  latencyMs: 100,
  ttftMs: null,
  attempts: [
    { target: "a/m1", outcome: "skipped_open", latencyMs: 0 },
    { target: "b/m1", outcome: "upstream_timeout", latencyMs: 30 },
    { target: "b/m2", outcome: "ok", latencyMs: 50 },
  ],
  ...over,
});

const peers = backendPeers({
  a: { type: "openai", base_url: "https://api.example.com/v1" },
  b: { preset: "vllm", base_url: "http://10.0.0.5:8000/v1" },
  local: { type: "embedded" },
} as never);

test("peers: provider name and address from the backend's type, preset and base URL", () => {
  assert.deepEqual(peers.get("a"), { provider: "openai_compatible", inProcess: false, address: "api.example.com", port: 443 });
  assert.deepEqual(peers.get("b"), { provider: "vllm", inProcess: false, address: "10.0.0.5", port: 8000 });
  assert.deepEqual(peers.get("local"), { provider: "llama.cpp", inProcess: true });
});

test("plan: attempts laid out back to back inside the request; skipped targets become events", () => {
  const [request, timeout, ok, ...rest] = planSpans(sample(), 1_000_000, peers);
  assert.equal(rest.length, 0);
  assert.ok(request && timeout && ok);
  assert.equal(request.kind, "server");
  assert.equal(request.start, 1_000_000 - 100);
  assert.equal(request.events?.[0]?.attributes["inhouse.attempt.outcome"], "skipped_open");
  assert.equal(request.attributes["inhouse.attempts"], 2);
  assert.equal(timeout.start, request.start);
  assert.equal(timeout.end, request.start + 30);
  assert.equal(timeout.attributes["error.type"], "upstream_timeout");
  assert.equal(timeout.error, true);
  assert.equal(timeout.attributes["gen_ai.response.model"], undefined);
  assert.equal(ok.start, request.start + 30);
  assert.equal(ok.end, request.start + 80);
  assert.equal(ok.attributes["gen_ai.response.model"], "m2");
  assert.equal(ok.attributes["gen_ai.usage.input_tokens"], 10);
  assert.equal(ok.attributes["server.address"], "10.0.0.5");
  assert.equal(ok.kind, "client");
});

test("plan: a stream's answering attempt ends with the request; an embedded backend's span is INTERNAL", () => {
  const spans = planSpans(sample({ stream: true, target: "local/q", attempts: [{ target: "local/q", outcome: "ok", latencyMs: 20 }] }), 5000, peers);
  assert.equal(spans[1]?.end, 5000);
  assert.equal(spans[1]?.kind, "internal");
});

test("plan: a 5xx marks the request span as an error, a 4xx only sets error.type", () => {
  const [e5] = planSpans(sample({ status: 502, errorCode: "upstream_error", target: null, attempts: [] }), 1000, peers);
  assert.equal(e5?.error, true);
  assert.equal(e5?.attributes["error.type"], "upstream_error");
  assert.equal(e5?.attributes["gen_ai.usage.input_tokens"], undefined);
  const [e4] = planSpans(sample({ status: 429, errorCode: "rate_limit_exceeded", target: null, attempts: [] }), 1000, peers);
  assert.equal(e4?.error, false);
  assert.equal(e4?.attributes["error.type"], "rate_limit_exceeded");
});

test("tracing is off without an endpoint; the traces URL is derived like OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
  assert.equal(await startTracing({ telemetry: undefined, backends: {} }), undefined);
  assert.equal(await startTracing({ telemetry: { service_name: "x", sample_ratio: 1 }, backends: {} }), undefined);
  assert.equal(tracesUrl("http://collector:4318"), "http://collector:4318/v1/traces");
  assert.equal(tracesUrl("http://collector:4318/"), "http://collector:4318/v1/traces");
  assert.equal(tracesUrl("http://collector:4318/v1/traces"), "http://collector:4318/v1/traces");
});

test("the OpenTelemetry SDK is imported only dynamically: a gateway without tracing never loads it", () => {
  for (const file of ["tracing.ts", "tracing-plan.ts"]) {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), "utf8");
    for (const line of source.split("\n").filter((l) => /^import\b/.test(l) && l.includes("@opentelemetry"))) {
      assert.match(line, /^import type /, `${file}: ${line}`);
    }
  }
});

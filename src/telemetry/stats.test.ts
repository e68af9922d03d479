import assert from "node:assert/strict";
import { test } from "node:test";
import { BUCKET_MS, OTHER_SERIES, percentile, TrafficStats, UNKNOWN_SERIES, type StatsSample } from "./stats.js";

const sample = (over: Partial<StatsSample> = {}): StatsSample => ({
  route: "chat",
  target: "up/m1",
  status: 200,
  errorCode: null,
  latencyMs: 100,
  ttftMs: null,
  promptTokens: 7,
  completionTokens: 5,
  attempts: [{ target: "up/m1" }],
  ...over,
});

test("requests land in 10 s buckets per alias and backend; empty buckets are zeros", () => {
  let now = 1_000 * BUCKET_MS + 1234;
  const stats = new TrafficStats(() => now);
  stats.record(sample());
  stats.record(sample({ route: "small", target: "local/qwen3-0.6b", attempts: [{ target: "local/qwen3-0.6b" }], ttftMs: 40 }));
  now += 2 * BUCKET_MS;
  stats.record(sample({ status: 502, errorCode: "upstream_error", target: null }));
  const s = stats.series(60_000);
  assert.equal(s.total.length, 6);
  assert.deepEqual(
    s.total.map((p) => p.requests),
    [0, 0, 0, 2, 0, 1],
  );
  assert.equal(s.summary.requests, 3);
  assert.equal(s.summary.errors, 1);
  assert.equal(s.summary.tokens_in, 21);
  assert.deepEqual(Object.keys(s.by_alias), ["chat", "small"]);
  assert.deepEqual(Object.keys(s.by_backend), ["local", "up"]);
  assert.equal(s.by_backend.up!.at(-1)!.errors, 1, "a failed request counts against the backend of its last attempt");
  assert.equal(s.by_alias.small![3]!.ttft_p50_ms !== null, true);
  assert.equal(s.by_alias.chat![3]!.ttft_p50_ms, null);
});

test("old buckets are recycled: the ring never answers with data older than its hour", () => {
  let now = 5_000 * BUCKET_MS;
  const stats = new TrafficStats(() => now);
  stats.record(sample());
  now += TrafficStats.maxWindowMs; // same slot, one lap later
  stats.record(sample({ route: "other" }));
  const s = stats.series(TrafficStats.maxWindowMs);
  assert.equal(s.summary.requests, 1);
  assert.deepEqual(Object.keys(s.by_alias), ["other"]);
});

test("client-invented names and too many series are folded, so memory stays bounded", () => {
  const now = 7_000 * BUCKET_MS;
  const stats = new TrafficStats(() => now);
  stats.record(sample({ route: "no-such-model", status: 404, errorCode: "model_not_found", target: null, attempts: [] }));
  for (let i = 0; i < 100; i++) stats.record(sample({ route: `up/model-${i}` }));
  const s = stats.series(BUCKET_MS);
  assert.ok(s.by_alias[UNKNOWN_SERIES]);
  assert.equal(Object.keys(s.by_alias).length, 65);
  assert.equal(s.by_alias[OTHER_SERIES]![0]!.requests, 37);
  assert.equal(s.by_backend["(none)"]![0]!.requests, 1);
});

test("percentiles come from log bins within about 15%", () => {
  const now = 9_000 * BUCKET_MS;
  const stats = new TrafficStats(() => now);
  for (let ms = 1; ms <= 1000; ms++) stats.record(sample({ latencyMs: ms }));
  const { p50_ms, p95_ms } = stats.series(BUCKET_MS).summary;
  assert.ok(Math.abs(p50_ms! - 500) / 500 < 0.15, `p50 ${p50_ms}`);
  assert.ok(Math.abs(p95_ms! - 950) / 950 < 0.15, `p95 ${p95_ms}`);
  assert.equal(percentile(new Uint32Array(60), 0, 0.5), null);
});

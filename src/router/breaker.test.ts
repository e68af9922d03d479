import assert from "node:assert/strict";
import { test } from "node:test";
import { Breakers, type BreakerTransition } from "./breaker.js";

test("opens after N consecutive failures, probes once after the cool-down, closes on success", () => {
  let now = 0;
  const seen: BreakerTransition[] = [];
  const b = new Breakers(3, 1000, (t) => seen.push(t), () => now);
  b.failure("a/m");
  b.failure("a/m");
  b.success("a/m"); // resets the count
  b.failure("a/m");
  b.failure("a/m");
  assert.equal(b.state("a/m"), "closed");
  b.failure("a/m");
  assert.equal(b.state("a/m"), "open");
  assert.equal(b.allow("a/m"), false);
  assert.equal(b.retryInMs("a/m"), 1000);
  now = 1000;
  assert.equal(b.allow("a/m"), true); // the probe
  assert.equal(b.allow("a/m"), false); // only one at a time
  b.success("a/m");
  assert.equal(b.state("a/m"), "closed");
  assert.deepEqual(
    seen.map((t) => `${t.from}->${t.to}`),
    ["closed->open", "open->half_open", "half_open->closed"],
  );
});

test("a failed probe re-opens for a full cool-down", () => {
  let now = 0;
  const b = new Breakers(1, 500, () => {}, () => now);
  b.failure("t");
  now = 600;
  assert.ok(b.allow("t"));
  b.failure("t");
  assert.equal(b.state("t"), "open");
  now = 1000;
  assert.equal(b.allow("t"), false);
  now = 1100;
  assert.equal(b.allow("t"), true);
});

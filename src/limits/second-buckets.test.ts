import { test } from "node:test";
import assert from "node:assert/strict";
import { SecondBuckets } from "./second-buckets.js";

test("counts the last 60 whole seconds and says when the oldest leaves", () => {
  const b = new SecondBuckets();
  const t0 = 1_000_000_000; // a whole second
  for (let i = 0; i < 3; i++) b.add(t0 + 100);
  for (let i = 0; i < 2; i++) b.add(t0 + 10_500);
  assert.equal(b.waitMs(6, t0 + 20_000), 0);
  assert.equal(b.waitMs(5, t0 + 20_000), 40_000, "the second at t0 leaves the window at t0 + 60 s");
  assert.equal(b.waitMs(5, t0 + 60_000), 0, "three requests gone, two left");
  assert.equal(b.waitMs(2, t0 + 60_000), 10_000);
});

test("a slot reused a minute later starts from zero", () => {
  const b = new SecondBuckets();
  b.add(5_000);
  b.add(65_000); // same slot (second 65 % 60 = 5)
  assert.equal(b.waitMs(2, 65_100), 0);
  assert.equal(b.waitMs(1, 65_100), 59_900);
});

test("the running total matches a recount through gaps, bursts and idle minutes", () => {
  const b = new SecondBuckets();
  const times: number[] = [];
  let t = 7_000_000;
  // Deterministic pseudo-random steps: bursts within a second, gaps of seconds, an idle stretch of minutes.
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 5000; i++) {
    t += rnd() < 0.01 ? 200_000 : Math.floor(rnd() * 1500);
    b.add(t);
    times.push(t);
    const nowS = Math.floor(t / 1000);
    const expected = times.filter((x) => Math.floor(x / 1000) > nowS - 60).length;
    assert.equal(b.waitMs(expected + 1, t), 0, `at ${i}`);
    assert.ok(b.waitMs(expected, t) > 0, `at ${i}`);
  }
});

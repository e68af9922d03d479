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

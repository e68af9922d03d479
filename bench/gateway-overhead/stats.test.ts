import { test } from "node:test";
import assert from "node:assert/strict";
import { median, percentile, slope, summarize } from "./stats.js";

test("percentile uses the nearest rank", () => {
  const xs = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile(xs, 0), 1);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test("median ignores missing values and averages the middle pair", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([5, null, undefined, Number.NaN, 7]), 6);
  assert.ok(Number.isNaN(median([null])));
});

test("summarize sorts numerically, not as strings", () => {
  const s = summarize([10, 9, 100, 1, 2]);
  assert.equal(s.count, 5);
  assert.equal(s.p50, 9);
  assert.equal(s.max, 100);
  assert.equal(s.mean, 24.4);
});

test("slope is the least-squares gradient", () => {
  assert.equal(slope([0, 1, 2, 3], [1, 3, 5, 7]), 2);
  assert.equal(slope([0, 1, 2], [4, 4, 4]), 0);
  assert.ok(Number.isNaN(slope([1], [1])));
});

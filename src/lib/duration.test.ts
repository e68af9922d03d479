import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDuration } from "./duration.js";
import { parseSize } from "./size.js";

test("durations parse units and reject garbage", () => {
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("2s"), 2000);
  assert.equal(parseDuration("10m"), 600_000);
  assert.equal(parseDuration("1.5h"), 5_400_000);
  assert.equal(parseDuration(250), 250);
  assert.equal(parseDuration("2 days"), undefined);
  assert.equal(parseDuration(-1), undefined);
});

test("sizes parse units case-insensitively", () => {
  assert.equal(parseSize("10mb"), 10 * 1024 * 1024);
  assert.equal(parseSize("512KB"), 512 * 1024);
  assert.equal(parseSize(1000), 1000);
  assert.equal(parseSize("lots"), undefined);
});

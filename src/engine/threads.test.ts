import { test } from "node:test";
import assert from "node:assert/strict";
import { availableCores, defaultThreads } from "./threads.js";

test("threads: one thread on two cores, one core left free above that", () => {
  assert.equal(defaultThreads(1), 1);
  assert.equal(defaultThreads(2), 1);
  assert.equal(defaultThreads(8), 7);
  assert.ok(availableCores() >= 1);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { TtlCache } from "./ttl-cache.js";

test("entries expire after the ttl", () => {
  const c = new TtlCache<number>(1000, 10);
  c.set("a", 1, 0);
  assert.equal(c.get("a", 999), 1);
  assert.equal(c.get("a", 1000), undefined);
  assert.equal(c.size, 0);
});

test("the cache never holds more than its bound; the oldest goes first", () => {
  const c = new TtlCache<number>(1000, 3);
  for (let i = 0; i < 10; i++) c.set(`k${i}`, i, 0);
  assert.equal(c.size, 3);
  assert.equal(c.get("k9", 1), 9);
  assert.equal(c.get("k6", 1), undefined);
});

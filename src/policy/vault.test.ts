import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryVault } from "./vault.js";

test("memory vault: TTL on access, bounded by least recent use", () => {
  let now = 1000;
  const v = new MemoryVault({ maxConversations: 2, now: () => now });
  v.put("a", [["EMAIL_1", "a@x.io"]], 100);
  v.put("b", [["EMAIL_1", "b@x.io"]], 100);
  assert.deepEqual(v.get("a"), [["EMAIL_1", "a@x.io"]]); // a is now the most recent
  v.put("c", [], 100);
  assert.equal(v.get("b"), undefined);
  assert.equal(v.size, 2);
  now += 100;
  assert.equal(v.get("a"), undefined);
});

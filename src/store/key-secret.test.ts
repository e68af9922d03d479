import { test } from "node:test";
import assert from "node:assert/strict";
import { displayPrefix, generateKeyId, generateSecret, hashSecret, looksLikeSecret } from "./key-secret.js";

test("secrets are ih- plus 40 base62 characters and differ each time", () => {
  const a = generateSecret();
  const b = generateSecret();
  assert.match(a, /^ih-[0-9A-Za-z]{40}$/);
  assert.notEqual(a, b);
  assert.ok(looksLikeSecret(a));
  assert.ok(!looksLikeSecret("sk-" + a.slice(3)));
  assert.ok(!looksLikeSecret(a + "x"));
});

test("hash is sha256 hex and the display prefix reveals only 5 random characters", () => {
  assert.equal(hashSecret("ih-x"), "afe4499ebd13303b43932b06532784c6f1145e7d33ca990c3a3e55cd1ea4215c");
  assert.equal(displayPrefix("ih-ABCDEFGHIJ"), "ih-ABCDE");
  assert.match(generateKeyId(), /^key_[0-9A-Za-z]{16}$/);
});

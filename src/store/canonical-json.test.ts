import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalJson } from "./canonical-json.js";

test("key order does not change the text, at any depth", () => {
  const a = canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: "é" } });
  const b = canonicalJson({ a: { c: "é", d: [1, { x: 1, y: 2 }] }, b: 1 });
  assert.equal(a, b);
  assert.equal(a, '{"a":{"c":"é","d":[1,{"x":1,"y":2}]},"b":1}');
});

test("undefined members vanish and a round trip through JSON keeps the text", () => {
  const text = canonicalJson({ z: undefined, n: 1.5, s: null });
  assert.equal(text, '{"n":1.5,"s":null}');
  assert.equal(canonicalJson(JSON.parse(text)), text);
});

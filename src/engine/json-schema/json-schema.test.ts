import { test } from "node:test";
import assert from "node:assert/strict";
import { findUnsupportedFeature } from "./unsupported.js";
import { validateJson } from "./validate.js";

test("json schema: names the unsupported keyword and where it is", () => {
  assert.deepEqual(findUnsupportedFeature({ type: "object", properties: { a: { type: "string", pattern: "^x" } } }), {
    keyword: "pattern",
    path: "#/properties/a",
  });
  assert.equal(findUnsupportedFeature({ anyOf: [] })?.keyword, "anyOf");
  assert.equal(findUnsupportedFeature({ type: "array", items: { allOf: [] } })?.path, "#/items");
  assert.equal(findUnsupportedFeature({ type: "string", format: "email" })?.keyword, "format: email");
  assert.equal(findUnsupportedFeature({ type: "object", properties: { d: { type: "string", format: "date" } } }), null);
});

test("json schema: validates types, bounds and integers after parsing", () => {
  const schema = {
    type: "object",
    properties: { n: { type: "integer", minimum: 0, maximum: 10 }, tags: { type: "array", items: { enum: ["a", "b"] } } },
    required: ["n"],
    additionalProperties: false,
  };
  assert.equal(validateJson({ n: 3, tags: ["a"] }, schema), null);
  assert.match(validateJson({ n: 6e68 }, schema) ?? "", /integer/);
  assert.match(validateJson({ n: 11 }, schema) ?? "", /maximum/);
  assert.match(validateJson({}, schema) ?? "", /missing required/);
  assert.match(validateJson({ n: 1, x: 1 }, schema) ?? "", /unexpected property/);
  assert.match(validateJson({ n: 1, tags: ["c"] }, schema) ?? "", /one of/);
});

test("json schema: small integer ranges become enums, number rules lose big exponents", async () => {
  const { narrowForGrammar, tightenNumberRules } = await import("./for-grammar.js");
  assert.deepEqual(narrowForGrammar({ type: "object", properties: { a: { type: "integer", minimum: 1, maximum: 3 } } }), {
    type: "object",
    properties: { a: { enum: [1, 2, 3] } },
  });
  assert.deepEqual(narrowForGrammar({ type: "integer", minimum: 0 }), { type: "integer", minimum: 0 });
  const g = tightenNumberRules('root ::= x\ninteger-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?\n');
  assert.match(g, /^integer-number-rule ::= "-"\? \("0" \| \[1-9\] \[0-9\]\{0,14\}\)$/m);
});

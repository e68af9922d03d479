import { test } from "node:test";
import assert from "node:assert/strict";
import { forcedCallSchema, mightBeCall, parseForcedCall, parseTemplateCalls } from "./tool-calls.js";
import { GatewayError } from "../errors/index.js";

const qwen = { prefixes: ['<tool_call>\n{"name": "'], paramsPrefix: '", "arguments": ', suffix: "}\n</tool_call>" };
const chatml = { prefixes: ["||call: ", "||call:"], paramsPrefix: "(", suffix: ")" };

test("tool calls: parses calls in the template's own syntax, several in a row", () => {
  const text = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>\n<tool_call>\n{"name": "time", "arguments": {}}\n</tool_call>';
  assert.deepEqual(parseTemplateCalls(text, qwen), [
    { name: "get_weather", arguments: '{"city":"Oslo"}' },
    { name: "time", arguments: "{}" },
  ]);
  assert.deepEqual(parseTemplateCalls('||call: lookup({"q": 1})', chatml), [{ name: "lookup", arguments: '{"q":1}' }]);
  assert.deepEqual(parseTemplateCalls("Just text.", chatml), []);
});

test("tool calls: streaming holds text only while it may still be a call", () => {
  assert.equal(mightBeCall("  <tool", qwen), true);
  assert.equal(mightBeCall('<tool_call>\n{"name": "x', qwen), true);
  assert.equal(mightBeCall("Hello", qwen), false);
  assert.equal(mightBeCall("|", chatml), true);
});

test("tool calls: forced-call schema per tool, unknown name and unsupported params refused", () => {
  const tools = [
    { type: "function" as const, function: { name: "a", parameters: { type: "object", properties: { x: { type: "string" } } } } },
    { type: "function" as const, function: { name: "b" } },
  ];
  const one = forcedCallSchema(tools, { type: "function", function: { name: "a" } });
  assert.deepEqual((one.properties as Record<string, unknown>).name, { const: "a" });
  assert.equal((forcedCallSchema(tools, "required").oneOf as unknown[]).length, 2);
  assert.throws(() => forcedCallSchema(tools, { type: "function", function: { name: "zz" } }), GatewayError);
  const bad = [{ type: "function" as const, function: { name: "p", parameters: { type: "object", properties: { x: { type: "string", pattern: "a+" } } } } }];
  assert.throws(() => forcedCallSchema(bad, "required"), /"pattern"/);
  assert.deepEqual(parseForcedCall('{"name": "a", "arguments": {"x": "1"}}'), { name: "a", arguments: '{"x":"1"}' });
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { modelAllowed } from "./model-glob.js";

test("null allows all, empty allows none", () => {
  assert.ok(modelAllowed(null, "anything"));
  assert.ok(!modelAllowed([], "anything"));
});

test("globs match whole names; * spans slashes; regex characters are literal", () => {
  assert.ok(modelAllowed(["qwen3-*"], "qwen3-0.6b"));
  assert.ok(!modelAllowed(["qwen3-*"], "my-qwen3-0.6b"));
  assert.ok(modelAllowed(["lab-vllm/*"], "lab-vllm/Qwen/Qwen3-8B"));
  assert.ok(modelAllowed(["chat", "small"], "small"));
  assert.ok(!modelAllowed(["qwen3.0"], "qwen3x0"));
  assert.ok(modelAllowed(["gpt-?"], "gpt-4"));
  assert.ok(!modelAllowed(["gpt-?"], "gpt-4o"));
});

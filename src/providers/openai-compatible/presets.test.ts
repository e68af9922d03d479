import assert from "node:assert/strict";
import { test } from "node:test";
import { getPreset, PRESET_NAMES } from "./presets.js";
import { DEFAULT_QUIRKS, VENDOR_QUIRKS } from "./quirks.js";

const REQUIRED = ["vllm", "sglang", "llamacpp", "lmstudio", "ollama", "deepseek", "qwen", "moonshot", "zai", "minimax", "openrouter", "together", "fireworks", "openai"];

test("every preset the product promises exists, with a URL, an in-house default and its quirks row", () => {
  for (const name of REQUIRED) {
    const p = getPreset(name);
    assert.ok(p, name);
    assert.doesNotThrow(() => new URL(p.baseUrl), name);
    const loopback = new URL(p.baseUrl).hostname === "127.0.0.1";
    assert.equal(p.inHouse, loopback, `${name}: local servers are in-house, hosted APIs are not`);
    assert.ok(Object.hasOwn(VENDOR_QUIRKS, name), `${name} has a quirks row`);
    if (!loopback) assert.match(p.apiKeyEnv ?? "", /^[A-Z_]+$/, name);
  }
  assert.deepEqual([...PRESET_NAMES].sort(), [...REQUIRED].sort());
  assert.equal(getPreset("ollama")?.baseUrl, "http://127.0.0.1:11434/v1");
  assert.equal(getPreset("deepseek")?.apiKeyEnv, "DEEPSEEK_API_KEY");
  assert.equal(getPreset("toString"), undefined);
});

test("quirk rows only name known flags", () => {
  const known = new Set(Object.keys(DEFAULT_QUIRKS));
  for (const [name, row] of Object.entries(VENDOR_QUIRKS)) {
    for (const key of Object.keys(row)) assert.ok(known.has(key), `${name}.${key}`);
  }
});

test("quirk overrides from a config are validated, in either key style", async () => {
  const { parseQuirkOverrides } = await import("./quirks.js");
  assert.deepEqual(parseQuirkOverrides({ think_tags: "open", streamUsage: false, drop_params: ["seed"] }), {
    thinkTags: "open",
    streamUsage: false,
    dropParams: ["seed"],
  });
  assert.throws(() => parseQuirkOverrides({ thinkTag: "open" }), /unknown quirk "thinkTag"; known quirks: reasoningFields/);
  assert.throws(() => parseQuirkOverrides({ think_tags: "sometimes" }), /must be one of none, inline, open/);
  assert.throws(() => parseQuirkOverrides({ stream_usage: "yes" }), /true or false/);
});

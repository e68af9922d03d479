import assert from "node:assert/strict";
import { test } from "node:test";
import { createTargetFilter, filterTargets } from "./model-filter.js";

const qwen = { name: "qwen", origin: "CN", license: { id: "Apache-2.0", commercial: true }, inHouse: false };
const llama = { name: "llama", origin: "US", license: { id: "llama3.1", commercial: true }, inHouse: true };
const research = { name: "research", origin: "FR", license: { id: "CC-BY-NC-4.0", commercial: false }, inHouse: true };
const unknown = { name: "unknown", inHouse: true };

test("policy.models filters by origin and license", () => {
  const names = (rule: Parameters<typeof filterTargets>[1]) => filterTargets([qwen, llama, research, unknown], rule).map((t) => t.name);
  assert.deepEqual(names(undefined), ["qwen", "llama", "research", "unknown"]);
  assert.deepEqual(names({ deny_origins: ["cn"] }), ["llama", "research", "unknown"]);
  assert.deepEqual(names({ allow_origins: ["US", "FR"], deny_origins: [] }), ["llama", "research"]);
  assert.deepEqual(names({ allow_licenses: ["commercial"], deny_origins: [] }), ["qwen", "llama"]);
  assert.deepEqual(names({ allow_licenses: ["apache-2.0"], deny_origins: [] }), ["qwen"]);
  assert.deepEqual(createTargetFilter({ allow_origins: ["US"] })(unknown), { allowed: false, rule: "policy.models.allow_origins (origin unknown)" });
});

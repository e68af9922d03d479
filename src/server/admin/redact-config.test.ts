import assert from "node:assert/strict";
import { test } from "node:test";
import { REDACTED, redactConfig, redactUrl } from "./redact-config.js";

test("secrets in fields, headers and URLs are redacted; the rest stays", () => {
  const config = {
    admin_key: "ih-admin-0123456789abcdef",
    database: "postgres://app:s3cret@db.internal:5432/inhouse",
    redis: "redis://:hunter2@127.0.0.1:6379",
    backends: {
      vllm: { type: "openai", base_url: "http://10.0.0.5:8000/v1", api_key: "sk-live-abc", headers: { "X-Org": "acme", Authorization: "Bearer t" } },
      odd: { base_url: "https://host/v1?api_key=zzz&region=eu" },
    },
    models: { chat: { targets: [{ backend: "vllm", model: "Qwen/Qwen3-8B", weight: 1 }] } },
    router: { retries: 2 },
  };
  const out = redactConfig(config) as typeof config;
  const text = JSON.stringify(out);
  for (const secret of ["ih-admin-0123456789abcdef", "s3cret", "hunter2", "sk-live-abc", "acme", "Bearer t", "zzz"]) {
    assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  }
  assert.equal(out.admin_key, REDACTED);
  assert.equal(out.backends.vllm.api_key, REDACTED);
  assert.equal(out.backends.vllm.base_url, "http://10.0.0.5:8000/v1");
  assert.equal(out.backends.vllm.headers["X-Org"], REDACTED);
  assert.match(out.database, /^postgres:\/\/.*@db\.internal:5432\/inhouse$/);
  assert.ok(out.backends.odd.base_url.includes("region=eu"));
  assert.deepEqual(out.models, config.models);
  assert.equal(out.router.retries, 2);
});

test("strings that are not URLs pass through redactUrl unchanged", () => {
  assert.equal(redactUrl("sqlite"), "sqlite");
  assert.equal(redactUrl("local/qwen3-0.6b"), "local/qwen3-0.6b");
});

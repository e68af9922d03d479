// The embedded engine as the admin API and /metrics show it: after a request to the tiny model, the loaded
// model appears with its memory, and the engine's tokens/s reach the metrics.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { tinyEmbeddedConfig } from "./fixtures/gguf-engine-backend.js";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";

let gw: TestGateway;
const auth = { authorization: `Bearer ${ADMIN_KEY}` };

before(async () => {
  gw = await startGateway(`
policy: {}
backends:
  local: ${JSON.stringify(tinyEmbeddedConfig())}
models:
  small: { targets: [local/tiny] }
`);
});
after(() => gw.close());

test("/admin/models and /metrics show the loaded embedded model after its first request", async () => {
  const before = await (await fetch(`${gw.url}/admin/models`, { headers: auth })).json();
  assert.deepEqual(before.embedded, [], "nothing is loaded before the first request");
  const res = await fetch(`${gw.v1}/chat/completions`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "Hi" }], max_tokens: 12, stream: true, stream_options: { include_usage: true } }),
  });
  assert.equal(res.status, 200);
  await res.text();
  const models = await (await fetch(`${gw.url}/admin/models`, { headers: auth })).json();
  assert.equal(models.embedded.length, 1);
  assert.equal(models.embedded[0].backend, "local");
  assert.equal(models.embedded[0].name, "tiny");
  assert.ok(models.embedded[0].bytes > 0);
  assert.equal(models.backends.find((b: { name: string }) => b.name === "local").in_house, true);
  const metrics = await (await fetch(`${gw.url}/metrics`, { headers: auth })).text();
  assert.match(metrics, /^inhouse_engine_loaded_models 1$/m);
  assert.match(metrics, /^inhouse_engine_model_bytes\{backend="local",model="tiny"\} [1-9]\d*$/m);
  assert.match(metrics, /^inhouse_engine_slots\{backend="local",model="tiny",state="active"\} 0$/m);
  assert.match(metrics, /^inhouse_generation_tokens_per_second_count\{route="small",target="local\/tiny"\} 1$/m);
  assert.match(metrics, /^inhouse_tokens_total\{route="small",target="local\/tiny",type="completion"\} 12$/m);
});

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./index.js";

function dir(): string {
  return mkdtempSync(join(tmpdir(), "inhouse-config-"));
}

function write(content: string, name = "inhouse.yaml"): { cwd: string; file: string } {
  const cwd = dir();
  const file = join(cwd, name);
  writeFileSync(file, content);
  return { cwd, file };
}

test("no file at all: contract defaults", () => {
  const cwd = dir();
  const cfg = loadConfig({ cwd, env: {} });
  assert.equal(cfg.file, null);
  assert.equal(cfg.server.host, "127.0.0.1");
  assert.equal(cfg.server.port, 8484);
  assert.equal(cfg.data_dir, join(cwd, ".inhouse"));
  assert.equal(cfg.database, "sqlite");
  assert.deepEqual(Object.keys(cfg.backends), ["local"]);
  assert.equal(cfg.backends.local?.type, "embedded");
  assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.server));
});

test("./inhouse.yaml is found, env is interpolated, targets normalised", () => {
  const { cwd } = write(`
server: { port: "\${PORT:-9000}" }
backends:
  lab: { type: openai, base_url: http://10.0.0.5:8000/v1, api_key: \${VLLM_KEY} }
  ds: { preset: deepseek, api_key: \${DS_KEY:-none} }
models:
  chat:
    targets: [lab/Qwen/Qwen3-8B, { backend: ds, model: deepseek-chat, weight: 3 }]
    strategy: weighted
`);
  const cfg = loadConfig({ cwd, env: { VLLM_KEY: "k-123" } });
  assert.equal(cfg.server.port, 9000);
  const lab = cfg.backends.lab;
  const ds = cfg.backends.ds;
  assert.ok(lab && lab.type !== "embedded" && ds && ds.type !== "embedded");
  assert.equal(lab.api_key, "k-123");
  assert.equal(ds.api_key, "none");
  assert.deepEqual(cfg.models.chat?.targets, [
    { backend: "lab", model: "Qwen/Qwen3-8B", weight: 1 },
    { backend: "ds", model: "deepseek-chat", weight: 3 },
  ]);
  assert.equal(cfg.models.chat?.strategy, "weighted");
});

test("a missing variable names the key, the file and the fix", () => {
  const { cwd, file } = write(`backends:\n  lab: { type: openai, base_url: http://x/v1, api_key: \${VLLM_KEY} }\n`);
  assert.throws(
    () => loadConfig({ cwd, env: {} }),
    (err: Error) =>
      err instanceof ConfigError &&
      err.message.includes(file) &&
      err.message.includes("backends.lab.api_key") &&
      err.message.includes("VLLM_KEY") &&
      err.message.includes("${VLLM_KEY:-default}"),
  );
});

test("an unknown key is an error naming the key and where it is", () => {
  const { cwd, file } = write(`server: { host: 127.0.0.1, prot: 80 }\n`);
  assert.throws(
    () => loadConfig({ cwd, env: {} }),
    (err: Error) => err.message.includes(file) && err.message.includes('"prot"') && err.message.includes("server"),
  );
});

test("a wrong type names the key", () => {
  const { cwd } = write(`server: { port: eighty }\n`);
  assert.throws(() => loadConfig({ cwd, env: {} }), /server\.port/);
  const bad = write(`router: { circuit_breaker: { cooldown: "soon" } }\n`);
  assert.throws(() => loadConfig({ cwd: bad.cwd, env: {} }), /router\.circuit_breaker\.cooldown: expected a duration/);
});

test("embedded backends take the engine's fields; errors name the exact key", () => {
  const { cwd } = write(`backends:\n  local: { type: embedded, threads: 1, slots: 2, models: { tiny: ./tiny.gguf } }\n`);
  const cfg = loadConfig({ cwd, env: {} });
  const local = cfg.backends.local;
  assert.ok(local?.type === "embedded");
  assert.equal(local.threads, 1);
  assert.deepEqual(local.models.tiny, { source: "./tiny.gguf", lora: [] });
  const bad = write(`backends:\n  local: { type: embedded, thread: 1 }\n  up: { type: openai, base_url: nope }\n`);
  assert.throws(
    () => loadConfig({ cwd: bad.cwd, env: {} }),
    (err: Error) => /unknown key "thread" in backends\.local/.test(err.message) && /backends\.up\.base_url/.test(err.message),
  );
});

test("a target on an undefined backend is refused", () => {
  const { cwd } = write(`models:\n  chat: { targets: [nope/m] }\n`);
  assert.throws(() => loadConfig({ cwd, env: {} }), /backend "nope" is not defined/);
});

test("JSON is accepted; flags beat environment beat file", () => {
  const { cwd, file } = write(JSON.stringify({ server: { port: 1111, host: "127.0.0.1" } }), "custom.json");
  const cfg = loadConfig({ cwd, file, env: { INHOUSE_PORT: "2222", INHOUSE_DATA_DIR: "/tmp/ih-data" } });
  assert.equal(cfg.server.port, 2222);
  assert.equal(cfg.data_dir, "/tmp/ih-data");
  const flagged = loadConfig({ cwd, file, env: { INHOUSE_PORT: "2222" }, overrides: { port: 3333, host: "0.0.0.0" } });
  assert.equal(flagged.server.port, 3333);
  assert.equal(flagged.server.host, "0.0.0.0");
});

test("INHOUSE_CONFIG pointing nowhere is a clear error", () => {
  assert.throws(() => loadConfig({ cwd: dir(), env: { INHOUSE_CONFIG: "missing.yaml" } }), /does not exist \(from INHOUSE_CONFIG\)/);
});

test("invalid YAML names the file", () => {
  const { cwd, file } = write(`server: { host: [\n`);
  assert.throws(() => loadConfig({ cwd, env: {} }), (err: Error) => err.message.startsWith(file) && /not valid YAML/.test(err.message));
});

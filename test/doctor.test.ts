// `inhouse doctor` as a user runs it (the real binary over dist/): a healthy set-up passes, and each kind of
// problem — a dead or key-rejecting backend, a taken port, an unreachable database or Redis, a broken
// config — is reported with a fix and exit code 1, without printing the secrets in the config.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";

const BIN = new URL("../bin/inhouse.js", import.meta.url).pathname;

interface Check {
  name: string;
  status: "ok" | "warn" | "fail" | "skip";
  detail: string;
  fix?: string;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function doctor(yaml: string | null, ...args: string[]): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "inhouse-doctor-"));
  const argv = [BIN, "doctor", "--data-dir", join(dir, "data"), ...args];
  if (yaml !== null) {
    writeFileSync(join(dir, "inhouse.yaml"), yaml);
    argv.push("--config", join(dir, "inhouse.yaml"));
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function checks(run: Run): Map<string, Check> {
  const out = JSON.parse(run.stdout) as { ok: boolean; checks: Check[] };
  assert.equal(out.ok, run.code === 0, "ok matches the exit code");
  return new Map(out.checks.map((c) => [c.name, c]));
}

/** A port nothing listens on (bound, read, released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let up: FakeUpstream;
let squatter: Server;
let squatterPort: number;

before(async () => {
  up = await startFakeUpstream();
  up.respond((req) => {
    if (req.path === "/v1/traces") return req.body?.resourceSpans ? { json: {} } : { status: 400, json: {} };
    if (req.path.endsWith("/models")) {
      return req.headers.authorization === "Bearer sk-good-upstream-key-123"
        ? { json: { object: "list", data: [{ id: "m1" }, { id: "m2" }] } }
        : { status: 401, json: { error: { message: "Incorrect API key provided" } } };
    }
    return { status: 404, json: {} };
  });
  // Something that is not the gateway holds a port.
  squatter = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
  squatterPort = (squatter.address() as AddressInfo).port;
});

after(async () => {
  await up?.close();
  await new Promise<void>((r) => (squatter ? squatter.close(() => r()) : r()));
});

test("a healthy set-up: every required check passes, exit 0, and the table shows ✓", async () => {
  const port = await freePort();
  const redis = process.env.REDIS_URL;
  const database = process.env.DATABASE_URL;
  const yaml = `
server: { port: ${port} }
admin_key: ih-doctor-admin-key-0123456789
telemetry: { otlp_endpoint: ${up.origin} }
${redis ? `redis: ${redis}` : ""}
${database ? `database: ${database}` : ""}
backends:
  lab: { type: openai, base_url: ${up.url}, api_key: sk-good-upstream-key-123 }
`;
  const json = await doctor(yaml, "--json");
  assert.equal(json.code, 0, json.stdout + json.stderr);
  const c = checks(json);
  for (const name of ["node", "config", "data dir", "disk", "memory", "cpu", "port", "database", "backend lab"]) {
    assert.equal(c.get(name)?.status, "ok", `${name}: ${JSON.stringify(c.get(name))}`);
  }
  assert.match(c.get("backend lab")?.detail ?? "", /answered 200 .* 2 models/);
  assert.equal(c.get("engine")?.status, "skip", "no embedded backend: the engine is not needed");
  assert.equal(c.get("redis")?.status, redis ? "ok" : "skip");
  assert.equal(c.get("traces")?.status, "ok", JSON.stringify(c.get("traces")));
  // Several replicas need Postgres, Redis and one admin key; with SQLite the check does not apply.
  assert.equal(c.get("replicas")?.status, database ? (redis ? "ok" : "warn") : "skip");
  if (database) assert.match(c.get("database")?.detail ?? "", /^Postgres/);

  const table = await doctor(yaml);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /✓ node/);
  assert.match(table.stdout, /all required checks passed/);
});

test("problems are reported with a fix and exit 1; secrets in the config are never printed", async () => {
  const dead = await freePort();
  const yaml = `
server: { port: ${squatterPort} }
database: postgres://inhouse:pg-secret-pass-42@127.0.0.1:${dead}/inhouse
redis: redis://:redis-secret-pass-42@127.0.0.1:${dead}
telemetry: { otlp_endpoint: http://127.0.0.1:${dead} }
backends:
  wrongkey: { type: openai, base_url: ${up.url}, api_key: sk-bad-upstream-key-456 }
  gone: { type: openai, base_url: http://127.0.0.1:${dead}/v1 }
`;
  const run = await doctor(yaml, "--json");
  assert.equal(run.code, 1);
  const c = checks(run);
  const expectFail = (name: string, detail: RegExp) => {
    const check = c.get(name);
    assert.equal(check?.status, "fail", `${name}: ${JSON.stringify(check)}`);
    assert.match(check.detail, detail);
    assert.ok(check.fix && check.fix.length > 10, `${name} has a fix`);
  };
  expectFail("port", /in use by another program/);
  expectFail("database", /cannot reach Postgres at postgres:\/\/127\.0\.0\.1:\d+\/inhouse/);
  expectFail("redis", /cannot reach Redis/);
  expectFail("backend wrongkey", /rejected the key \(401\)/);
  expectFail("backend gone", /unreachable/);
  assert.equal(c.get("node")?.status, "ok");
  // Optional things are warnings: an unreachable trace collector, a shared database without one admin key.
  assert.equal(c.get("traces")?.status, "warn");
  assert.match(c.get("traces")?.detail ?? "", /unreachable/);
  assert.equal(c.get("replicas")?.status, "warn");
  assert.match(c.get("replicas")?.fix ?? "", /INHOUSE_ADMIN_KEY/);

  const table = await doctor(yaml);
  assert.equal(table.code, 1);
  assert.match(table.stdout, /✗ port/);
  assert.match(table.stdout, /fix: stop that program/);
  assert.match(table.stdout, /5 checks failed/);
  for (const secret of ["pg-secret-pass-42", "redis-secret-pass-42", "sk-bad-upstream-key-456"]) {
    assert.equal(run.stdout.includes(secret) || table.stdout.includes(secret) || table.stderr.includes(secret), false, `printed ${secret}`);
  }
});

test("a port held by a running gateway is a warning, not a failure", async () => {
  const gatewayLike = createServer((req, res) => {
    res.writeHead(req.url === "/healthz" ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
  });
  await new Promise<void>((r) => gatewayLike.listen(0, "127.0.0.1", r));
  try {
    const port = (gatewayLike.address() as AddressInfo).port;
    const run = await doctor(`server: { port: ${port} }\nbackends:\n  lab: { type: openai, base_url: ${up.url}, api_key: sk-good-upstream-key-123 }\n`, "--json");
    const c = checks(run);
    assert.equal(c.get("port")?.status, "warn");
    assert.match(c.get("port")?.detail ?? "", /running gateway/);
    assert.equal(run.code, 0);
  } finally {
    await new Promise<void>((r) => gatewayLike.close(() => r()));
  }
});

test("an invalid config fails the config check with the loader's message, and exit 1", async () => {
  const run = await doctor("server: { prot: 80 }\n", "--json");
  assert.equal(run.code, 1);
  const c = checks(run);
  assert.equal(c.get("config")?.status, "fail");
  assert.match(c.get("config")?.detail ?? "", /unknown key "prot"/);
});

test("with the default embedded backend the llama.cpp binary is loaded in a child and CPU/GPU reported", async () => {
  const run = await doctor(null, "--json", "--port", String(await freePort()));
  const c = checks(run);
  const engine = c.get("engine");
  assert.ok(engine);
  // The binary ships with node-llama-cpp's optional package, which npm ci installs here.
  assert.equal(engine.status, "ok", JSON.stringify(engine));
  assert.match(engine.detail, /CPU binary loads \((prebuilt|localBuild)\); GPU: /);
  assert.match(c.get("cpu")?.detail ?? "", /engine threads: local=\d+/);
});

// The real binary: starts on defaults, prints the admin key once, shuts down gracefully on SIGTERM.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chatChunks, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { COMMAND_NAMES } from "../src/cli/main.js";
import { spawnGateway } from "./helpers/process.js";

const BIN = new URL("../bin/inhouse.js", import.meta.url).pathname;
let up: FakeUpstream;
before(async () => {
  up = await startFakeUpstream();
});
after(() => up.close());

const config = (graceMs: number) => `
server: { shutdown_grace: ${graceMs}ms }
log: { level: info }
backends:
  up: { type: openai, base_url: ${up.url} }
models:
  chat: { targets: [up/m] }
`;

async function readSse(res: Response, onFirst: () => void): Promise<{ text: string; done: boolean }> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let raw = "";
  let first = true;
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done) break;
    raw += dec.decode(value);
    if (first) {
      first = false;
      onFirst();
    }
  }
  const text = raw
    .split("\n\n")
    .filter((e) => e.startsWith("data: {"))
    .map((e) => JSON.parse(e.slice(6)).choices?.[0]?.delta?.content ?? "")
    .join("");
  return { text, done: raw.includes("data: [DONE]") };
}

test("--help works for every command and the top level", () => {
  for (const args of [["--help"], ...COMMAND_NAMES.map((c) => [c, "--help"])]) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: inhouse/, args.join(" "));
  }
  const bad = spawnSync(process.execPath, [BIN, "frobnicate"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'frobnicate'/);
});

test("a config error stops startup with the key, the file and the fix", () => {
  const r = spawnSync(process.execPath, [BIN, "serve", "--config", join(import.meta.dirname, "fixtures", "bad-config.yaml")], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad-config\.yaml/);
  assert.match(r.stderr, /unknown key "bakends"/);
});

test("a port already taken stops startup with the error and exit 1, with Redis connections open too", async () => {
  const { createServer } = await import("node:net");
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const port = (holder.address() as { port: number }).port;
  // With `redis:` the limiter and the vault hold connections that kept the process running after the error.
  const redis = process.env.REDIS_URL ? `redis: ${process.env.REDIS_URL}\n` : "";
  try {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "inhouse-port-taken-"));
    writeFileSync(join(dir, "inhouse.yaml"), redis + config(1000));
    const started = Date.now();
    const r = spawnSync(process.execPath, [BIN, "serve", "--config", join(dir, "inhouse.yaml"), "--port", String(port), "--data-dir", join(dir, "data")], {
      encoding: "utf8",
      env: { ...process.env, INHOUSE_ADMIN_KEY: "ih-admin-lifecycle-test-key" },
      timeout: 20_000,
    });
    assert.equal(r.status, 1, `status ${r.status} signal ${r.signal} after ${Date.now() - started} ms: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`EADDRINUSE.*127\\.0\\.0\\.1:${port}`));
  } finally {
    holder.close();
  }
});

test("first start generates the admin key (0600), prints it once, and requires it", async () => {
  const gw = await spawnGateway(`backends:\n  up: { type: openai, base_url: ${up.url} }\n`);
  try {
    const keyFile = join(gw.dir, "data", "admin.key");
    const key = readFileSync(keyFile, "utf8").trim();
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.ok(gw.stderr().includes(key), "printed on first start");
    assert.equal((await fetch(`${gw.url}/v1/models`)).status, 401);
    assert.equal((await fetch(`${gw.url}/v1/models`, { headers: { "x-api-key": key } })).status, 200);
    assert.equal((await fetch(`${gw.url}/readyz`)).status, 200);
  } finally {
    gw.child.kill("SIGTERM");
    assert.equal(await gw.exited, 0);
  }
});

test("SIGTERM: stops accepting, lets a running stream finish, exits 0", async () => {
  up.enqueue({ sse: chatChunks({ content: Array.from({ length: 12 }, (_, i) => `w${i} `), delayMs: 60 }) });
  const gw = await spawnGateway(config(5000), { INHOUSE_ADMIN_KEY: "ih-admin-lifecycle-test-key" });
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer ih-admin-lifecycle-test-key", "content-type": "application/json" },
    body: JSON.stringify({ model: "chat", stream: true, messages: [{ role: "user", content: "go" }] }),
  });
  assert.equal(res.status, 200);
  let refused: Promise<boolean> | undefined;
  const { text, done } = await readSse(res, () => {
    gw.child.kill("SIGTERM");
    refused = new Promise((r) => setTimeout(r, 150)).then(() =>
      fetch(`${gw.url}/healthz`).then(
        () => false,
        () => true,
      ),
    );
  });
  assert.equal(text, Array.from({ length: 12 }, (_, i) => `w${i} `).join(""));
  assert.ok(done, "the stream ended with [DONE]");
  assert.equal(await refused, true, "new connections are refused while draining");
  assert.equal(await gw.exited, 0);
  assert.match(gw.stderr(), /shutting down/);
});

test("SIGTERM: a request already on a kept-alive connection is answered, /readyz says draining, and the connection closes", async () => {
  up.enqueue({ sse: chatChunks({ content: Array.from({ length: 8 }, (_, i) => `w${i} `), delayMs: 60 }) });
  const gw = await spawnGateway(config(5000), { INHOUSE_ADMIN_KEY: "ih-admin-lifecycle-test-key" });
  const { port } = new URL(gw.url);
  const body = JSON.stringify({ model: "chat", stream: true, messages: [{ role: "user", content: "go" }] });
  const socket = connect(Number(port), "127.0.0.1");
  let raw = "";
  let signalled = false;
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.on("data", (b: Buffer) => {
    raw += b.toString();
    if (!signalled && raw.includes("data: {")) {
      signalled = true;
      gw.child.kill("SIGTERM");
      // The connection is busy (the stream runs), so draining does not close it: a readiness probe sent on
      // it now (pipelined behind the stream) reaches the stopping server.
      setTimeout(() => socket.write("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"), 100);
    }
  });
  socket.write(
    `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ih-admin-lifecycle-test-key\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  await closed;
  assert.ok(raw.includes("data: [DONE]"), "the stream finished");
  const second = raw.slice(raw.lastIndexOf("HTTP/1.1 "));
  assert.match(second, /^HTTP\/1\.1 503 /);
  assert.match(second, /\r\nconnection: close\r\n/i);
  assert.match(second, /"status":"draining"/);
  assert.equal(await gw.exited, 0);
});

test("SIGTERM with a stream longer than the grace period: cut at the bound, still exits 0", async () => {
  up.enqueue({ sse: chatChunks({ content: Array.from({ length: 100 }, () => "x"), delayMs: 50 }) });
  const gw = await spawnGateway(config(300), { INHOUSE_ADMIN_KEY: "ih-admin-lifecycle-test-key" });
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer ih-admin-lifecycle-test-key", "content-type": "application/json" },
    body: JSON.stringify({ model: "chat", stream: true, messages: [{ role: "user", content: "go" }] }),
  });
  const t0 = performance.now();
  const { done } = await readSse(res, () => gw.child.kill("SIGTERM"));
  assert.equal(done, false);
  assert.equal(await gw.exited, 0);
  assert.ok(performance.now() - t0 < 3000);
});

import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { GatewayError } from "../../errors/index.js";
import { SecretScrubber } from "./secret-scrubber.js";
import { UpstreamClient } from "./upstream-client.js";

const require = createRequire(import.meta.url);
const timeouts = { connect: 1000, firstToken: 1000, idle: 1000, total: 2000 };

test("POSTs go out with the key and body, answers come back parsed, and one kept-alive connection carries them all", async (t) => {
  let connections = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ path: req.url, method: req.method, auth: req.headers.authorization, length: req.headers["content-length"], body: JSON.parse(body) as unknown }));
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const client = new UpstreamClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: "k-123" }, { backend: "b", scrubber: new SecretScrubber("k-123", undefined) });
  t.after(() => client.close());
  const opts = { model: "m", signal: new AbortController().signal, timeouts, requestId: "r" };
  for (let i = 0; i < 3; i++) {
    const body = JSON.stringify({ x: i, text: "héllo" });
    const answer = await client.send(`${client.basePath}/chat/completions`, body, opts);
    assert.deepEqual(await client.json(answer), {
      path: "/v1/chat/completions",
      method: "POST",
      auth: "Bearer k-123",
      length: String(Buffer.byteLength(body)),
      body: { x: i, text: "héllo" },
    });
  }
  assert.equal(connections, 1, "sequential requests reuse one keep-alive connection");
  // The upstream client is node:http's: undici (and its WebAssembly HTTP parser) is not loaded at all.
  assert.equal(require.cache[require.resolve("undici")], undefined);
  assert.equal(require.cache[require.resolve("undici/lib/dispatcher/pool.js")], undefined);
});

test("an https base URL speaks TLS: an untrusted certificate is refused, a trusted one (NODE_EXTRA_CA_CERTS) answers", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "inhouse-tls-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", keyFile, "-out", certFile], { stdio: "ignore" });
  const server = createTlsServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ tls: true, auth: req.headers.authorization }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  const client = new UpstreamClient({ baseUrl, apiKey: "k-tls" }, { backend: "b", scrubber: new SecretScrubber("k-tls", undefined) });
  t.after(() => client.close());
  const opts = { model: "m", signal: new AbortController().signal, timeouts, requestId: "r" };
  await assert.rejects(client.send("/v1/chat/completions", "{}", opts), (err: unknown) => {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.code, "upstream_error");
    assert.doesNotMatch(err.message, /k-tls/);
    return true;
  });

  // A process that trusts the certificate gets the answer over TLS.
  const module = fileURLToPath(new URL("./upstream-client.ts", import.meta.url));
  const scrubber = fileURLToPath(new URL("./secret-scrubber.ts", import.meta.url));
  const script = `
    const { UpstreamClient } = await import(${JSON.stringify(module)});
    const { SecretScrubber } = await import(${JSON.stringify(scrubber)});
    const c = new UpstreamClient({ baseUrl: ${JSON.stringify(baseUrl)}, apiKey: "k-tls" }, { backend: "b", scrubber: new SecretScrubber("k-tls") });
    const timeouts = ${JSON.stringify(timeouts)};
    const a = await c.send("/v1/chat/completions", "{}", { model: "m", signal: new AbortController().signal, timeouts, requestId: "r" });
    process.stdout.write(JSON.stringify(await c.json(a)));
    await c.close();`;
  // Run asynchronously: this process serves the TLS end meanwhile.
  const child = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile },
    timeout: 60_000,
  });
  assert.deepEqual(JSON.parse(child.stdout), { tls: true, auth: "Bearer k-tls" });
});

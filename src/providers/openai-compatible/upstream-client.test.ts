import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { test } from "node:test";
import { SecretScrubber } from "./secret-scrubber.js";
import { UpstreamClient } from "./upstream-client.js";

const require = createRequire(import.meta.url);

test("undici's Pool and request API are loaded from their files, not through undici's whole entry point", () => {
  // If a release of undici moves these files, the client falls back to the index: it still works, but the
  // gateway carries fetch, WebSocket, caches and mocks again (≈ 6 MB of idle RSS). This test says so.
  assert.ok(require.cache[require.resolve("undici/lib/dispatcher/pool.js")], "the Pool comes from undici/lib/dispatcher/pool.js");
  assert.equal(require.cache[require.resolve("undici")], undefined, "undici's index stays unloaded");
});

test("a POST through the pool gets the answer as undici's index-built Pool would", async (t) => {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ path: req.url, method: req.method, auth: req.headers.authorization, body: JSON.parse(body) as unknown }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const client = new UpstreamClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: "k-123" }, { backend: "b", scrubber: new SecretScrubber("k-123", undefined) });
  t.after(() => client.close());
  const timeouts = { connect: 1000, firstToken: 1000, idle: 1000, total: 2000 };
  const answer = await client.send(`${client.basePath}/chat/completions`, '{"x":1}', { model: "m", signal: new AbortController().signal, timeouts, requestId: "r" });
  assert.deepEqual(await client.json(answer), { path: "/v1/chat/completions", method: "POST", auth: "Bearer k-123", body: { x: 1 } });
});

// The built console as the gateway serves it: content types, caching, SPA fallback, no path escapes.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { CONSOLE_DIST, ensureConsoleBuilt } from "./helpers/console-dist.js";
import { startGateway, type TestGateway } from "./helpers/gateway.js";

let gw: TestGateway;

before(async () => {
  ensureConsoleBuilt();
  gw = await startGateway("policy: {}\n");
});
after(() => gw.close());

/** A raw request, so the path reaches the server exactly as written (fetch would normalise "..").*/
function raw(path: string, method = "GET"): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("index.html is served at /console/ uncached, with a same-origin-only CSP; /console redirects", async () => {
  const index = await raw("/console/");
  assert.equal(index.status, 200);
  assert.equal(index.headers["content-type"], "text/html; charset=utf-8");
  assert.equal(index.headers["cache-control"], "no-cache");
  assert.match(String(index.headers["content-security-policy"]), /default-src 'self'/);
  assert.equal(index.headers["x-content-type-options"], "nosniff");
  assert.match(index.body, /<div id="root">/);
  assert.ok(!/https?:\/\//.test(index.body), "no external assets");
  const bare = await raw("/console");
  assert.equal(bare.status, 308);
  assert.equal(bare.headers.location, "/console/");
});

test("hashed assets get their content type and are cached for a year", async () => {
  const assets = readdirSync(`${CONSOLE_DIST}assets`);
  const js = assets.find((f) => f.endsWith(".js"))!;
  const css = assets.find((f) => f.endsWith(".css"))!;
  const a = await raw(`/console/assets/${js}`);
  assert.equal(a.status, 200);
  assert.equal(a.headers["content-type"], "text/javascript; charset=utf-8");
  assert.equal(a.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.equal((await raw(`/console/assets/${css}`)).headers["content-type"], "text/css; charset=utf-8");
  const head = await raw(`/console/assets/${js}`, "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body, "");
  assert.ok(Number(head.headers["content-length"]) > 1000);
});

test("client-side routes fall back to index.html; a missing asset is a 404", async () => {
  const page = await raw("/console/keys");
  assert.equal(page.status, 200);
  assert.match(page.body, /<div id="root">/);
  assert.equal((await raw("/console/assets/nope-123.js")).status, 404);
});

test("paths that try to leave console/dist are refused", async () => {
  for (const path of [
    "/console/../package.json",
    "/console/..%2f..%2fpackage.json",
    "/console/%2e%2e/%2e%2e/package.json",
    "/console/assets/..%2f..%2f..%2fpackage.json",
    "/console/%2fetc%2fpasswd",
    "/console/..%5c..%5cpackage.json",
    "/console/.env",
    "/console/index.html%00.js",
  ]) {
    const r = await raw(path);
    assert.ok(!r.body.includes('"name": "inhouse"') && !r.body.includes("root:"), `${path} leaked a file`);
    assert.ok(r.status === 404 || r.status === 400 || (r.status === 200 && r.body.includes('<div id="root">')), `${path}: ${r.status}`);
  }
  assert.equal((await raw("/console/%E0%A4%A")).status, 400);
});

// @ts-check
// The floor: a pass-through proxy that forwards each request to the upstream and streams the answer back,
// with nothing else. Three upstream clients so the project can pick one by measurement:
//   http   — node:http with a keep-alive Agent (request body piped, response piped)
//   fetch  — Node's global fetch (request body buffered, response body iterated)
//   undici — undici's Pool from node_modules (request body buffered, response body piped)
// Usage: node minimal-proxy.js --client http|fetch|undici --port 8600 --upstream http://127.0.0.1:8500
import http from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    client: { type: "string", default: "http" },
    port: { type: "string" },
    upstream: { type: "string" },
  },
});
if (!values.port || !values.upstream) {
  process.stderr.write("usage: node minimal-proxy.js --client http|fetch|undici --port P --upstream http://host:port\n");
  process.exit(2);
}
const upstream = new URL(values.upstream);
const port = Number(values.port);

// Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the client library sets itself.
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host"]);

/** @param {http.IncomingHttpHeaders | Record<string, string | string[] | undefined>} h @param {boolean} keepLength */
function forwardable(h, keepLength) {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP.has(k) || (!keepLength && k === "content-length")) continue;
    out[k] = v;
  }
  return out;
}

/** @param {http.IncomingMessage} req @returns {Promise<Buffer>} */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const parts = [];
    req.on("data", (b) => parts.push(b));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

/** @param {http.ServerResponse} res */
function fail(res) {
  if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
  res.end('{"error":{"message":"upstream failed","type":"upstream_error"}}');
}

/** A signal that aborts the upstream request when the client goes away first. @param {http.ServerResponse} res */
function abortOnClose(res) {
  const ac = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) ac.abort();
  });
  return ac.signal;
}

/** @returns {Promise<http.RequestListener>} */
async function handlerFor(/** @type {string} */ client) {
  if (client === "http") {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
    return (req, res) => {
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: forwardable(req.headers, true), agent },
        (ur) => {
          res.writeHead(ur.statusCode ?? 502, forwardable(ur.headers, true));
          ur.pipe(res);
        },
      );
      up.on("error", () => fail(res));
      res.on("close", () => {
        if (!res.writableFinished) up.destroy();
      });
      req.pipe(up);
    };
  }
  if (client === "fetch") {
    return async (req, res) => {
      const signal = abortOnClose(res);
      try {
        const body = await readBody(req);
        /** @type {Record<string, string>} */
        const headers = {};
        for (const [k, v] of Object.entries(forwardable(req.headers, false))) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        const r = await fetch(new URL(req.url ?? "/", upstream), { method: req.method, headers, body: body.length ? body : undefined, signal });
        /** @type {Record<string, string>} */
        const out = {};
        r.headers.forEach((v, k) => {
          if (!HOP.has(k) && k !== "content-encoding") out[k] = v;
        });
        res.writeHead(r.status, out);
        if (r.body) for await (const b of r.body) res.write(b);
        res.end();
      } catch {
        fail(res);
      }
    };
  }
  if (client === "undici") {
    const { Pool } = await import("undici");
    const pool = new Pool(upstream.origin, { connections: 512, pipelining: 1 });
    return async (req, res) => {
      const signal = abortOnClose(res);
      try {
        const body = await readBody(req);
        const r = await pool.request({
          path: req.url ?? "/",
          method: /** @type {import("undici").Dispatcher.HttpMethod} */ (req.method ?? "GET"),
          headers: forwardable(req.headers, false),
          body: body.length ? body : null,
          signal,
        });
        res.writeHead(r.statusCode, forwardable(r.headers, true));
        r.body.pipe(res);
      } catch {
        fail(res);
      }
    };
  }
  throw new Error(`unknown --client ${client} (http, fetch or undici)`);
}

const server = http.createServer({ keepAliveTimeout: 300_000 }, await handlerFor(values.client ?? "http"));
server.listen(port, "127.0.0.1", () => process.stdout.write(`minimal-proxy (${values.client}) on 127.0.0.1:${port}\n`));
for (const sig of /** @type {const} */ (["SIGTERM", "SIGINT"])) process.on(sig, () => server.close(() => process.exit(0)).closeAllConnections());

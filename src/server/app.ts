// The HTTP app on node:http (chosen by measured overhead, see docs/adr/0001): routes, auth, body limits,
// request ids, one error boundary, graceful shutdown.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Config } from "../config/index.js";
import { GatewayError, toGatewayError } from "../errors/index.js";
import { Cancellation } from "../lib/abort.js";
import { requestId as newRequestId } from "../lib/ids.js";
import { ClientClosedError, type Router } from "../router/index.js";
import type { Logger } from "../telemetry/logger.js";
import { Auth, type Principal } from "./auth.js";
import { parseJson, readBody, sendError, sendJson } from "./http.js";
import type { PolicyContext } from "./policy-guard.js";
import type { RequestRecord } from "../telemetry/record.js";
import { v1Routes } from "./v1.js";

export interface ServerDeps {
  config: Config;
  auth: Auth;
  router: Router;
  log: Logger;
  /** Models a principal may see in GET /v1/models. */
  listModels(principal: Principal): { id: string; owned_by: string }[];
  /**
   * Admits a request against the key's limits (rpm, tpm, concurrency, budget); throws a 429 GatewayError
   * when denied. Returns the release to call with the tokens actually used.
   */
  admit?(principal: Principal, estimatedTokens: number): Promise<((actualTokens: number) => void) | undefined>;
  /** The data policy (detection, pseudonymization, keep-in-house); absent only in bare-core tests. */
  policy?: PolicyContext;
  /** Called once per finished API request (usage, metrics). Must not throw or block. */
  onRecord?(record: RequestRecord): void;
  /** Extra routes (admin API, console, metrics), matched after the built-in ones. */
  extraRoutes?: RouteTable;
  ready?(): boolean;
}

export interface RequestContext {
  id: string;
  started: number;
  req: IncomingMessage;
  res: ServerResponse;
  /** Fires when the client disconnects before the response is complete (`cancel.signal` for an AbortSignal). */
  cancel: Cancellation;
  deps: ServerDeps;
  /** Reads and parses the JSON body within the configured limit. */
  json(): Promise<unknown>;
  principal(): Promise<Principal>;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;
/** "METHOD /path" -> handler; a path ending in `/*` matches by prefix. */
export type RouteTable = Record<string, Handler>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  /** Stops accepting, lets running requests finish up to `graceMs`, then closes everything left. */
  shutdown(graceMs?: number): Promise<void>;
}

function match(table: RouteTable, method: string, path: string): Handler | undefined | null {
  const exact = table[`${method} ${path}`];
  if (exact) return exact;
  let pathKnown = false;
  for (const key in table) {
    const space = key.indexOf(" ");
    const p = key.slice(space + 1);
    const hit = p.endsWith("/*") ? path.startsWith(p.slice(0, -1)) || path === p.slice(0, -2) : p === path;
    if (!hit) continue;
    if (key.slice(0, space) === method) return table[key];
    pathKnown = true;
  }
  return pathKnown ? null : undefined;
}

/** Set once a graceful shutdown starts; read by every request. */
export interface Lifecycle {
  draining: boolean;
}

export function createApp(deps: ServerDeps, lifecycle: Lifecycle): (req: IncomingMessage, res: ServerResponse) => void {
  const builtin: RouteTable = {
    "GET /healthz": ({ res }) => sendJson(res, 200, { status: "ok" }),
    "GET /readyz": ({ res }) => {
      if (lifecycle.draining) return sendJson(res, 503, { status: "draining" });
      const ready = deps.ready ? deps.ready() : true;
      sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready" });
    },
    ...v1Routes,
  };
  const bodyLimit = deps.config.server.body_limit;

  return (req, res) => {
    const header = req.headers["x-request-id"];
    const id = typeof header === "string" && REQUEST_ID.test(header) ? header : newRequestId();
    res.setHeader("x-request-id", id);
    // A request that reached a draining server on a kept-alive connection is served, and its connection
    // closed after the response, so the client's next request goes to a server that is not stopping.
    if (lifecycle.draining) res.shouldKeepAlive = false;
    const cancel = new Cancellation();
    res.once("close", () => {
      if (!res.writableFinished) cancel.abort(new ClientClosedError());
    });
    let principal: Promise<Principal> | undefined;
    const ctx: RequestContext = {
      id,
      started: performance.now(),
      req,
      res,
      cancel,
      deps,
      json: async () => parseJson(await readBody(req, bodyLimit)),
      principal: () => (principal ??= deps.auth.authenticate(req)),
    };
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? "GET";
    let handler = match(builtin, method, path);
    if (handler === undefined && deps.extraRoutes) handler = match(deps.extraRoutes, method, path);
    if (!handler) {
      const err =
        handler === null
          ? new GatewayError("method_not_allowed", `${method} is not allowed on ${path}.`)
          : new GatewayError("not_found", `No route for ${method} ${path}. The API lives under /v1 (OpenAI-compatible).`);
      req.resume();
      sendError(res, err);
      return;
    }
    let result: Promise<void> | void;
    try {
      result = handler(ctx);
    } catch (err) {
      boundary(ctx, err);
      return;
    }
    if (result) result.catch((err: unknown) => boundary(ctx, err));
  };
}

/** The one error boundary: every failure leaves in OpenAI's shape; unknown errors are logged, not echoed. */
function boundary(ctx: RequestContext, err: unknown): void {
  if (err instanceof ClientClosedError || ctx.cancel.aborted) {
    ctx.res.destroy();
    return;
  }
  const error = toGatewayError(err);
  if (error.code === "internal") ctx.deps.log.error({ err, requestId: ctx.id }, "unhandled error");
  // Drain an unread body so the connection can be reused (bounded by the server's request timeout).
  if (!ctx.req.complete) ctx.req.resume();
  sendError(ctx.res, error);
}

export function startServer(deps: ServerDeps): Promise<RunningServer> {
  const { host, port, request_timeout } = deps.config.server;
  const lifecycle: Lifecycle = { draining: false };
  const server = createServer(
    { requestTimeout: request_timeout, headersTimeout: Math.min(request_timeout, 30_000), keepAliveTimeout: 65_000 },
    createApp(deps, lifecycle),
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const addr = server.address();
      const actualPort = typeof addr === "object" && addr ? addr.port : port;
      const shownHost = host.includes(":") ? `[${host}]` : host;
      resolve({
        server,
        port: actualPort,
        url: `http://${shownHost}:${actualPort}`,
        shutdown: (graceMs = deps.config.server.shutdown_grace) => {
          lifecycle.draining = true;
          return shutdown(server, graceMs);
        },
      });
    });
  });
}

async function shutdown(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Connections that finish their response become idle; close those as they appear.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), graceMs).unref());
  const outcome = await Promise.race([closed.then(() => "closed" as const), deadline]);
  clearInterval(sweep);
  if (outcome === "timeout") {
    server.closeAllConnections();
    await closed;
  }
}

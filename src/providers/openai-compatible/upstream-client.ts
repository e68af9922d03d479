// The HTTP side of one backend: an undici Pool (keep-alive, no pipelining) and the per-request steps
// that every endpoint shares — send, check the status, read the body — with errors already mapped.
import { createRequire } from "node:module";
import type { Dispatcher, Pool } from "undici";
import type { CallOptions } from "../../spec/index.js";
import { UpstreamCall } from "./upstream-call.js";
import { garbageError, statusError, type ErrorContext } from "./upstream-error.js";

export interface UpstreamClientSettings {
  baseUrl: string;
  apiKey?: string | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  maxConnections?: number | undefined;
}

export interface UpstreamAnswer {
  readonly res: Dispatcher.ResponseData;
  readonly call: UpstreamCall;
}

// undici's entry point loads all it offers (fetch, WebSocket, EventSource, caches, mocks, interceptors:
// ~110 modules, ≈ 6 MB of idle RSS) where a backend needs its Pool and the request API. So those files are
// loaded directly, joined the way undici's index joins them. Should a release move them, the index is used
// (upstream-client.test.ts then fails, so the fallback does not go unnoticed).
const UndiciPool = loadPool();

function loadPool(): typeof Pool {
  const require = createRequire(import.meta.url);
  try {
    const dispatcher = require("undici/lib/dispatcher/dispatcher.js") as { prototype: object };
    const api = require("undici/lib/api/index.js") as object;
    const pool = require("undici/lib/dispatcher/pool.js") as typeof Pool;
    Object.assign(dispatcher.prototype, api);
    return pool;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw err;
    return (require("undici") as typeof import("undici")).Pool;
  }
}

/** Error bodies are read for their message only; a huge one is cut here. */
const ERROR_BODY_LIMIT = 64 * 1024;
const DEFAULT_MAX_CONNECTIONS = 256;

export class UpstreamClient {
  readonly origin: string;
  readonly basePath: string;
  /** The base URL's query (`?api-version=…` on Azure-style endpoints), appended to every path. */
  readonly query: string;
  private readonly headers: string[];
  private readonly maxConnections: number;
  private readonly ctx: ErrorContext;
  private pool: Pool | undefined;
  private closed = false;

  constructor(settings: UpstreamClientSettings, ctx: ErrorContext) {
    const url = new URL(settings.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.query = url.search;
    this.maxConnections = settings.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.ctx = ctx;
    // A flat name/value array: undici copies it without walking an object per request.
    const headers: string[] = ["content-type", "application/json"];
    for (const [name, value] of Object.entries(settings.headers ?? {})) headers.push(name.toLowerCase(), value);
    // A configured Authorization header (another scheme, a gateway in front) wins over the api key.
    if (settings.apiKey !== undefined && settings.apiKey !== "" && !headers.includes("authorization")) {
      headers.push("authorization", `Bearer ${settings.apiKey}`);
    }
    this.headers = headers;
  }

  /**
   * Sends a POST and resolves once the upstream answered with a success status; any other outcome is a
   * GatewayError. The caller owns `call` and must end it (`call.done()`) when it has read the body.
   */
  async send(path: string, body: string, opts: CallOptions): Promise<UpstreamAnswer> {
    const call = new UpstreamCall(opts, this.ctx);
    let res: Dispatcher.ResponseData;
    try {
      res = await this.poolFor(opts).request({
        path,
        method: "POST",
        headers: this.headers,
        body,
        signal: call.signal,
        headersTimeout: undiciTimeout(opts.timeouts.firstToken),
        bodyTimeout: undiciTimeout(opts.timeouts.idle),
      });
    } catch (err) {
      const error = call.error(err, false);
      call.done();
      throw error;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return { res, call };
    let text = "";
    try {
      text = await readCapped(res.body, ERROR_BODY_LIMIT);
    } catch {
      // The status alone still says what happened.
    } finally {
      call.done();
    }
    throw statusError(res.statusCode, res.headers, text, this.ctx);
  }

  /** Reads and parses a whole JSON answer, mapping a broken or unparseable body. */
  async json(answer: UpstreamAnswer): Promise<Record<string, unknown>> {
    const { res, call } = answer;
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw call.error(err, false);
    } finally {
      call.done();
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw garbageError(this.ctx, false, "a response that is not JSON", err);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw garbageError(this.ctx, false, "a JSON response that is not an object");
    }
    return value as Record<string, unknown>;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    // destroy, not close: a hung upstream must not hold shutdown; running calls fail as cancelled.
    if (pool !== undefined) await pool.destroy();
  }

  /** Created on first use so the connect timeout can come from the router's timeouts for this backend. */
  private poolFor(opts: CallOptions): Pool {
    if (this.pool !== undefined) return this.pool;
    if (this.closed) throw new Error("provider closed");
    this.pool = new UndiciPool(this.origin, {
      connections: this.maxConnections,
      pipelining: 1,
      connect: { timeout: undiciTimeout(opts.timeouts.connect) },
    });
    return this.pool;
  }
}

async function readCapped(body: Dispatcher.ResponseData["body"], limit: number): Promise<string> {
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const piece of body as AsyncIterable<Buffer>) {
    pieces.push(piece);
    size += piece.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(pieces).toString("utf8");
}

/** undici reads 0 as "no limit" and rejects non-finite values. */
function undiciTimeout(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

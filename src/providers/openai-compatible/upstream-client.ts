// The HTTP side of one backend: a keep-alive node:http(s) Agent and the per-request steps that every
// endpoint shares — send, check the status, read the body — with errors already mapped.
//
// node:http rather than undici: its HTTP parser is native, where undici's is WebAssembly; compiling that
// module (and V8's optimising tier for it) left ~10 MB in a malloc arena of a V8 worker thread in half of
// the starts measured, and undici's modules and wasm instance cost more idle and peak RSS again. Measured in
// bench/gateway-overhead: see its README (upstream client).
import http, { type IncomingMessage } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import { createRequire } from "node:module";
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
  /** A success answer: its headers are in, its body is the stream itself (headers are parsed only if read). */
  readonly res: IncomingMessage;
  readonly call: UpstreamCall;
}

/** Error codes of the client's own timers, read by transportError. */
export const CONNECT_TIMEOUT = "INHOUSE_CONNECT_TIMEOUT";
export const HEADERS_TIMEOUT = "INHOUSE_HEADERS_TIMEOUT";
export const BODY_TIMEOUT = "INHOUSE_BODY_TIMEOUT";

/** Error bodies are read for their message only; a huge one is cut here. */
const ERROR_BODY_LIMIT = 64 * 1024;
const DEFAULT_MAX_CONNECTIONS = 256;

export class UpstreamClient {
  readonly origin: string;
  readonly basePath: string;
  /** The base URL's query (`?api-version=…` on Azure-style endpoints), appended to every path. */
  readonly query: string;
  private readonly url: URL;
  /** Every request's headers but content-length, as node:http's flat name/value array (no per-request object). */
  private readonly headers: readonly string[];
  private readonly maxConnections: number;
  private readonly ctx: ErrorContext;
  private agent: http.Agent | HttpsAgent | undefined;
  private closed = false;

  constructor(settings: UpstreamClientSettings, ctx: ErrorContext) {
    const url = new URL(settings.baseUrl);
    this.url = url;
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.query = url.search;
    this.maxConnections = settings.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.ctx = ctx;
    const configured = new Map<string, string>();
    for (const [name, value] of Object.entries(settings.headers ?? {})) configured.set(name.toLowerCase(), value);
    configured.delete("content-length"); // computed per request
    const headers: string[] = [];
    if (!configured.has("host")) headers.push("host", url.host);
    if (!configured.has("content-type")) headers.push("content-type", "application/json");
    // A configured Authorization header (another scheme, a gateway in front) wins over the api key.
    if (settings.apiKey !== undefined && settings.apiKey !== "" && !configured.has("authorization")) headers.push("authorization", `Bearer ${settings.apiKey}`);
    for (const [name, value] of configured) headers.push(name, value);
    this.headers = headers;
  }

  /**
   * Sends a POST and resolves once the upstream answered with a success status; any other outcome is a
   * GatewayError. The caller owns `call` and must end it (`call.done()`) when it has read the body.
   */
  async send(path: string, body: string, opts: CallOptions): Promise<UpstreamAnswer> {
    const call = new UpstreamCall(opts, this.ctx);
    let res: IncomingMessage;
    try {
      res = await this.request(path, body, opts, call);
    } catch (err) {
      const error = call.error(err, false);
      call.done();
      throw error;
    }
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return { res, call };
    let text = "";
    try {
      text = await readText(res, ERROR_BODY_LIMIT);
    } catch {
      // The status alone still says what happened.
    } finally {
      call.done();
    }
    throw statusError(status, res.headers, text, this.ctx);
  }

  /** Reads and parses a whole JSON answer, mapping a broken or unparseable body. */
  async json(answer: UpstreamAnswer): Promise<Record<string, unknown>> {
    const { res, call } = answer;
    let text: string;
    try {
      text = await readText(res, Infinity);
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
    const agent = this.agent;
    this.agent = undefined;
    // destroy, not a graceful end: a hung upstream must not hold shutdown; running calls fail.
    agent?.destroy();
  }

  /**
   * One POST with the connect, first-byte and idle timers of `opts` on the socket's inactivity timer (reset
   * by every byte either way, re-armed when the phase changes): while connecting it is the connect timeout,
   * then the first-byte one until the headers arrive, then the idle one for the body. Resolves with the
   * response once its headers are in; a timer or an abort of `call` destroys the request (and the body).
   */
  private request(path: string, body: string, opts: CallOptions, call: UpstreamCall): Promise<IncomingMessage> {
    // Already cancelled (or timed out): nothing is sent.
    if (call.aborted) return Promise.reject(abortError());
    const agent = this.agentFor();
    const { connect, firstToken, idle } = opts.timeouts;
    return new Promise((resolve, reject) => {
      const headers = this.headers.concat("content-length", String(Buffer.byteLength(body)));
      const url = this.url;
      const req = (url.protocol === "https:" ? httpsModule().request : http.request)({
        host: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path,
        method: "POST",
        headers,
        agent,
      });
      let response: IncomingMessage | undefined;
      const fail = (err: Error): void => {
        if (response !== undefined) response.destroy(err);
        else req.destroy(err);
      };
      const onAbort = (): void => fail(abortError());
      call.once("abort", onAbort);
      req.on("socket", (socket) => {
        if (!socket.connecting) return void req.setTimeout(timerMs(firstToken));
        // ClientRequest.setTimeout waits for the connection, so the connect phase has its own timer.
        const connectMs = timerMs(connect);
        if (connectMs === 0) return void socket.once("connect", () => req.setTimeout(timerMs(firstToken)));
        const onConnectTimeout = (): void => fail(timeoutError(CONNECT_TIMEOUT));
        socket.setTimeout(connectMs);
        socket.once("timeout", onConnectTimeout);
        socket.once("connect", () => {
          socket.removeListener("timeout", onConnectTimeout);
          socket.setTimeout(0);
          req.setTimeout(timerMs(firstToken));
        });
      });
      req.on("timeout", () => fail(timeoutError(response === undefined ? HEADERS_TIMEOUT : BODY_TIMEOUT)));
      req.on("error", (err) => {
        call.removeListener("abort", onAbort);
        reject(err);
      });
      req.on("response", (res) => {
        response = res;
        // Re-armed only when it differs (by default both are 60 s): each setTimeout makes a new timer.
        if (idle !== firstToken) req.setTimeout(timerMs(idle));
        // The request's own listeners stay until the body ends: its timer still fires, an abort still lands.
        res.once("close", () => call.removeListener("abort", onAbort));
        resolve(res);
      });
      req.end(body);
    });
  }

  /** Created on first use. */
  private agentFor(): http.Agent | HttpsAgent {
    if (this.agent !== undefined) return this.agent;
    if (this.closed) throw new Error("provider closed");
    const options = { keepAlive: true, maxSockets: this.maxConnections, maxFreeSockets: this.maxConnections, scheduling: "lifo" as const };
    this.agent = this.url.protocol === "https:" ? new (httpsModule().Agent)(options) : new http.Agent(options);
    return this.agent;
  }
}

/** node:https, loaded only by a backend that needs TLS. */
let https: typeof import("node:https") | undefined;
function httpsModule(): typeof import("node:https") {
  https ??= createRequire(import.meta.url)("node:https") as typeof import("node:https");
  return https;
}

function abortError(): Error {
  return Object.assign(new Error("aborted"), { code: "ABORT_ERR" });
}

function timeoutError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/** Reads a body as UTF-8 text; past `limit` bytes the body is destroyed and what came is returned. */
function readText(body: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    let size = 0;
    let settled = false;
    const text = (): string => (pieces.length === 1 ? pieces[0]!.toString("utf8") : Buffer.concat(pieces).toString("utf8"));
    body.on("data", (piece: Buffer) => {
      if (settled) return;
      pieces.push(piece);
      size += piece.length;
      if (size >= limit) {
        settled = true;
        body.destroy();
        resolve(text());
      }
    });
    body.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(text());
    });
    body.on("error", (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    // Closed without an end or an error: the connection went away mid-body.
    body.on("close", () => {
      if (settled) return;
      settled = true;
      reject(Object.assign(new Error("the response ended early"), { code: "ECONNRESET" }));
    });
  });
}

/** The socket timer reads 0 as "none"; non-finite or non-positive timeouts mean unbounded. */
function timerMs(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 2 ** 31 - 1) : 0;
}

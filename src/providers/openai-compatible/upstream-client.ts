// The HTTP side of one backend: a keep-alive connection pool and the per-request steps that every endpoint
// shares — send, check the status, read the body — with errors already mapped.
//
// The connections are the gateway's own HTTP/1.1 client (./http1), not node:http's or undici's: for a POST
// whose body is already in memory and an answer read once, node:http's ClientRequest/IncomingMessage/Agent
// machinery cost about four times the CPU per request, undici's about three (WebAssembly parser; it also
// left ~10 MB in a V8 worker's malloc arena). Measured in bench/gateway-overhead; see docs/adr/0004.
import type { CallOptions } from "../../spec/index.js";
import { Exchange, Http1Pool, type BodySink } from "./http1/pool.js";
import { UpstreamCall } from "./upstream-call.js";
import { garbageError, statusError, type ErrorContext } from "./upstream-error.js";

export interface UpstreamClientSettings {
  baseUrl: string;
  apiKey?: string | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  maxConnections?: number | undefined;
}

export interface UpstreamAnswer {
  /** A success answer: its status and headers are in; its body is read through `res.consume`. */
  readonly res: Exchange;
  readonly call: UpstreamCall;
}

/** Error bodies are read for their message only; a huge one is cut here. */
const ERROR_BODY_LIMIT = 64 * 1024;
const DEFAULT_MAX_CONNECTIONS = 256;

export class UpstreamClient {
  readonly origin: string;
  readonly basePath: string;
  /** The base URL's query (`?api-version=…` on Azure-style endpoints), appended to every path. */
  readonly query: string;
  /** Every request's header fields but content-length, as they go on the wire. */
  private readonly headerBlock: string;
  private readonly pool: Http1Pool;
  private readonly ctx: ErrorContext;

  constructor(settings: UpstreamClientSettings, ctx: ErrorContext) {
    const url = new URL(settings.baseUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`base URL must be http or https, not ${url.protocol}`);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.query = url.search;
    this.ctx = ctx;
    const tls = url.protocol === "https:";
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    this.pool = new Http1Pool({ host, port: url.port === "" ? (tls ? 443 : 80) : Number(url.port), tls, maxConnections: settings.maxConnections ?? DEFAULT_MAX_CONNECTIONS });
    const configured = new Map<string, string>();
    for (const [name, value] of Object.entries(settings.headers ?? {})) configured.set(name.toLowerCase(), value);
    configured.delete("content-length"); // computed per request
    const headers: string[] = [];
    if (!configured.has("host")) headers.push("host", url.host);
    if (!configured.has("content-type")) headers.push("content-type", "application/json");
    // A configured Authorization header (another scheme, a gateway in front) wins over the api key.
    if (settings.apiKey !== undefined && settings.apiKey !== "" && !configured.has("authorization")) headers.push("authorization", `Bearer ${settings.apiKey}`);
    for (const [name, value] of configured) headers.push(name, value);
    let block = "";
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i]!;
      const value = headers[i + 1]!;
      // A CR or LF in a configured header would split the request; the config is wrong, say which header.
      if (!TOKEN.test(name)) throw new Error(`header name '${name}' is not a valid HTTP field name`);
      if (/[\0\r\n]/.test(value)) throw new Error(`header '${name}' has a line break or NUL in its value`);
      block += `${name}: ${value}\r\n`;
    }
    this.headerBlock = block;
  }

  /**
   * Sends a POST and resolves once the upstream answered with a success status; any other outcome is a
   * GatewayError. The caller owns `call` and must end it (`call.done()`) when it has read the body.
   */
  async send(path: string, body: string, opts: CallOptions): Promise<UpstreamAnswer> {
    const call = new UpstreamCall(opts, this.ctx);
    let res: Exchange;
    try {
      res = await this.request(path, body, opts, call);
    } catch (err) {
      const error = call.error(err, false);
      call.done();
      throw error;
    }
    const status = res.status;
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
    // destroy, not a graceful end: a hung upstream must not hold shutdown; running calls fail.
    this.pool.close();
  }

  /**
   * One POST with the connect, first-byte and idle timers of `opts` (see Http1Pool). Resolves with the
   * exchange once the response head is in; an abort of `call` stops the exchange (and the body).
   */
  private request(path: string, body: string, opts: CallOptions, call: UpstreamCall): Promise<Exchange> {
    // Already cancelled (or timed out): nothing is sent.
    if (call.aborted) return Promise.reject(abortError());
    const { connect, firstToken, idle } = opts.timeouts;
    const head = `POST ${path} HTTP/1.1\r\n${this.headerBlock}content-length: ${Buffer.byteLength(body)}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      const ex = new Exchange(head, body, { connect: timerMs(connect), firstByte: timerMs(firstToken), idle: timerMs(idle) }, resolve, reject);
      call.onAbort = () => ex.destroy(abortError());
      this.pool.send(ex);
    });
  }
}

function abortError(): Error {
  return Object.assign(new Error("aborted"), { code: "ABORT_ERR" });
}

/** Reads a body as UTF-8 text; past `limit` bytes the body is destroyed and what came is returned. */
function readText(body: Exchange, limit: number): Promise<string> {
  return new Promise((resolve, reject) => body.consume(new TextSink(body, limit, resolve, reject)));
}

class TextSink implements BodySink {
  private readonly pieces: Buffer[] = [];
  private size = 0;
  private settled = false;

  constructor(
    private readonly body: Exchange,
    private readonly limit: number,
    private readonly resolve: (text: string) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  data(piece: Buffer): void {
    if (this.settled) return;
    this.pieces.push(piece);
    this.size += piece.length;
    if (this.size >= this.limit) {
      this.settled = true;
      this.body.destroy();
      this.resolve(this.text());
      this.pieces.length = 0;
    }
  }

  end(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(this.text());
    this.pieces.length = 0;
  }

  error(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }

  private text(): string {
    const p = this.pieces;
    return p.length === 1 ? p[0]!.toString("utf8") : Buffer.concat(p, this.size).toString("utf8");
  }
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The socket timer reads 0 as "none"; non-finite or non-positive timeouts mean unbounded. */
function timerMs(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 2 ** 31 - 1) : 0;
}

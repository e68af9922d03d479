// Keep-alive HTTP/1.1 connections to one upstream origin, and the exchanges (one request, one response)
// that run on them. Written for the gateway's one use — a POST whose body is already in memory, an answer
// read once by one consumer — so it does that with one write and a listener set per connection, not per
// request; node:http's client costs about four times the CPU per request here (ADR 0004).
//
// Connections: at most `maxConnections`, reused last-in first-out; a request finding none free waits in a
// queue (bounded in time by its connect timeout). An idle connection closes itself after `idleMs` (4 s by
// default, or a second less than the server's `Keep-Alive: timeout`), before servers that drop idle
// connections after 5 s (uvicorn, so vLLM and SGLang) would, so a request is never written into a socket the
// server is closing. A connection whose response was not framed cleanly is closed, never reused.
//
// Timers are the socket's inactivity timer, re-armed per phase: connect, then first byte (until the head is
// in), then idle (between body bytes); errors carry the codes transportError() maps.
import net from "node:net";
import { createRequire } from "node:module";
import type { ConnectionOptions, TLSSocket } from "node:tls";
import { ResponseParser, type ParserEvents, type ResponseHead } from "./response-parser.js";

export const CONNECT_TIMEOUT = "INHOUSE_CONNECT_TIMEOUT";
export const HEADERS_TIMEOUT = "INHOUSE_HEADERS_TIMEOUT";
export const BODY_TIMEOUT = "INHOUSE_BODY_TIMEOUT";

export interface PoolOptions {
  host: string;
  port: number;
  tls: boolean;
  maxConnections: number;
  /** Idle connections close after this many milliseconds (default 4000). */
  idleMs?: number;
}

/** Milliseconds; 0 means no timer for that phase. */
export interface ExchangeTimeouts {
  connect: number;
  firstByte: number;
  idle: number;
}

/** The one reader of a response body. */
export interface BodySink {
  data(chunk: Buffer): void;
  end(): void;
  error(err: Error): void;
}

const DEFAULT_IDLE_MS = 4000;

const enum Phase {
  Connect,
  Head,
  Body,
  Idle,
}

const enum Stage {
  Queued,
  Active,
  Done,
}

/**
 * One request and its response. Created by the caller with the request's bytes and two callbacks: `onHead`
 * when the response head is in (then the body can be consumed), `onFail` for a failure before that.
 */
export class Exchange {
  status = 0;
  headers: Record<string, string> = EMPTY;
  /** True once destroy() was called or the exchange failed: nothing more reaches the sink. */
  destroyed = false;
  /** @internal */ stage = Stage.Queued;
  /** @internal */ conn: Connection | undefined;
  /** @internal */ queueTimer: NodeJS.Timeout | undefined;
  private sink: BodySink | undefined;
  private pending: Buffer[] | undefined;
  private ended = false;
  private failure: Error | undefined;
  private headIn = false;

  constructor(
    /** The request line and header fields, ending with the blank line (emptied once written). */
    public head: string,
    /** Emptied once written. */
    public body: string,
    readonly timeouts: ExchangeTimeouts,
    private onHead: (ex: Exchange) => void,
    private onFail: (err: Error) => void,
  ) {}

  /** Starts delivering the body (what already arrived first). Call once. */
  consume(sink: BodySink): void {
    this.sink = sink;
    const pending = this.pending;
    if (pending !== undefined) {
      this.pending = undefined;
      for (const chunk of pending) sink.data(chunk);
    }
    if (this.failure !== undefined) sink.error(this.failure);
    else if (this.ended) sink.end();
  }

  get paused(): boolean {
    return this.stage === Stage.Active && this.conn !== undefined && this.conn.socket.isPaused();
  }

  /** Stops reading (backpressure). The idle timer stops too: a slow reader is not a stalled upstream. */
  pause(): void {
    if (this.stage === Stage.Active) this.conn?.pause();
  }

  resume(): void {
    if (this.stage === Stage.Active) this.conn?.resume();
  }

  /** Stops the exchange: queued, it leaves the queue; running, its connection is closed. Safe to repeat. */
  destroy(err?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.stage === Stage.Done) return;
    const stage = this.stage;
    this.stage = Stage.Done;
    if (this.queueTimer !== undefined) clearTimeout(this.queueTimer);
    const conn = stage === Stage.Active ? this.conn : undefined;
    if (conn !== undefined) {
      conn.exchange = undefined;
      conn.socket.destroy();
    }
    // Before the head, the caller still waits for an outcome; after it, the reader stopped on its own.
    if (err !== undefined) this.deliverError(err);
    else if (!this.headIn) this.deliverError(Object.assign(new Error("aborted"), { code: "ABORT_ERR" }));
    else this.sink = undefined;
  }

  /** @internal */ gotHead(head: ResponseHead): void {
    this.status = head.status;
    this.headers = head.headers;
    this.headIn = true;
    const onHead = this.onHead;
    this.release();
    onHead(this);
  }

  /** @internal */ gotData(chunk: Buffer): void {
    if (this.sink !== undefined) this.sink.data(chunk);
    else (this.pending ??= []).push(chunk);
  }

  /** @internal */ gotEnd(): void {
    this.stage = Stage.Done;
    this.ended = true;
    const sink = this.sink;
    this.sink = undefined;
    sink?.end();
  }

  /** @internal A failure from the connection or the queue. */
  fail(err: Error): void {
    if (this.stage === Stage.Done) return;
    this.stage = Stage.Done;
    this.destroyed = true;
    this.deliverError(err);
  }

  private deliverError(err: Error): void {
    const sink = this.sink;
    this.sink = undefined;
    if (!this.headIn) {
      const onFail = this.onFail;
      this.release();
      onFail(err);
    } else if (sink !== undefined) sink.error(err);
    else this.failure = err;
  }

  /**
   * Drops what the exchange no longer needs. An exchange can end up in V8's old generation (pretenured, or
   * alive during two scavenges); a dead old object's references keep young objects alive until the next
   * full collection, so a finished exchange holds nothing of its request (see lib/deadlines.ts).
   */
  private release(): void {
    this.onHead = NOOP;
    this.onFail = NOOP;
    this.head = "";
    this.body = "";
  }
}

const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NOOP = (): void => {};

/** @internal */
class Connection implements ParserEvents {
  readonly socket: net.Socket | TLSSocket;
  exchange: Exchange | undefined;
  private readonly parser = new ResponseParser(this);
  private phase = Phase.Connect;
  private timer = -1;
  private keepAlive = false;
  private keepAliveMs: number | undefined;
  private connected = false;

  constructor(private readonly pool: Http1Pool) {
    const { host, port, tls } = pool.options;
    if (tls) {
      const options: ConnectionOptions = { host, port, ALPNProtocols: ["http/1.1"] };
      if (net.isIP(host) === 0) options.servername = host;
      this.socket = tlsModule().connect(options);
      this.socket.once("secureConnect", () => this.onConnect());
    } else {
      this.socket = net.connect({ host, port, noDelay: true });
      this.socket.once("connect", () => this.onConnect());
    }
    this.socket.setKeepAlive(true, 30_000);
    this.socket.on("data", (buf: Buffer) => this.onData(buf));
    this.socket.on("error", (err: Error) => this.onError(err));
    this.socket.on("close", () => this.onClose());
    this.socket.on("timeout", () => this.onTimeout());
  }

  start(ex: Exchange): void {
    this.exchange = ex;
    ex.conn = this;
    ex.stage = Stage.Active;
    this.parser.reset();
    // The previous body's reader may have left the socket paused when that body ended.
    if (this.socket.isPaused()) this.socket.resume();
    if (this.connected) this.arm(Phase.Head, ex.timeouts.firstByte);
    else this.arm(Phase.Connect, ex.timeouts.connect);
    // A connecting socket keeps the write until it is connected.
    this.socket.write(ex.head + ex.body);
    ex.head = "";
    ex.body = "";
  }

  head(head: ResponseHead): void {
    const ex = this.exchange!;
    this.keepAlive = head.keepAlive;
    this.keepAliveMs = head.keepAliveMs;
    this.arm(Phase.Body, ex.timeouts.idle);
    ex.gotHead(head);
  }

  data(chunk: Buffer): void {
    this.exchange?.gotData(chunk);
  }

  end(clean: boolean): void {
    const ex = this.exchange;
    this.exchange = undefined;
    this.pool.release(this, clean && this.keepAlive, this.keepAliveMs);
    ex?.gotEnd();
  }

  /** Sets the socket's inactivity timer for a phase (only when it changes: each call re-enrolls the timer). */
  arm(phase: Phase, ms: number): void {
    this.phase = phase;
    if (ms !== this.timer) {
      this.timer = ms;
      this.socket.setTimeout(ms);
    }
  }

  private onConnect(): void {
    this.connected = true;
    const ex = this.exchange;
    if (ex !== undefined && this.phase === Phase.Connect) this.arm(Phase.Head, ex.timeouts.firstByte);
  }

  private onData(buf: Buffer): void {
    if (this.exchange === undefined) {
      // Bytes nobody asked for (a 408 before closing, say): the connection is out of step.
      this.socket.destroy();
      return;
    }
    try {
      this.parser.push(buf);
    } catch (err) {
      this.failWith(err as Error);
    }
  }

  private onError(err: Error): void {
    this.failWith(err);
  }

  private onClose(): void {
    const ex = this.exchange;
    if (ex !== undefined) {
      try {
        // A body that runs until the connection closes ends here; anything else was cut short.
        this.parser.eof();
      } catch (err) {
        this.exchange = undefined;
        ex.fail(err as Error);
      }
    }
    this.exchange = undefined;
    this.pool.closed(this);
  }

  private onTimeout(): void {
    switch (this.phase) {
      case Phase.Idle:
        this.socket.destroy();
        return;
      case Phase.Connect:
        return this.failWith(codeError(CONNECT_TIMEOUT));
      case Phase.Head:
        return this.failWith(codeError(HEADERS_TIMEOUT));
      case Phase.Body:
        return this.failWith(codeError(BODY_TIMEOUT));
    }
  }

  private failWith(err: Error): void {
    const ex = this.exchange;
    this.exchange = undefined;
    this.socket.destroy();
    ex?.fail(err);
  }

  pause(): void {
    this.socket.pause();
    if (this.phase === Phase.Body) this.arm(Phase.Body, 0);
  }

  resume(): void {
    const ex = this.exchange;
    if (ex !== undefined && this.phase === Phase.Body) this.arm(Phase.Body, ex.timeouts.idle);
    this.socket.resume();
  }

  idle(ms: number): void {
    this.arm(Phase.Idle, ms);
    if (this.socket.isPaused()) this.socket.resume();
  }
}

export class Http1Pool {
  private readonly free: Connection[] = [];
  /** Every open connection, so close() can reach the busy ones. */
  private readonly all = new Set<Connection>();
  private readonly queue: Exchange[] = [];
  private queueHead = 0;
  private count = 0;
  private isClosed = false;
  readonly options: Required<PoolOptions>;

  constructor(options: PoolOptions) {
    this.options = { idleMs: DEFAULT_IDLE_MS, ...options };
  }

  /** Connections open now (busy and idle); for tests and metrics. */
  get size(): number {
    return this.count;
  }

  get idleCount(): number {
    return this.free.length;
  }

  /** Runs an exchange on a free connection, a new one, or after a running one finishes. */
  send(ex: Exchange): void {
    if (this.isClosed) return ex.fail(new Error("the upstream client is closed"));
    let conn = this.free.pop();
    // One destroyed a moment ago (idle timer, unsolicited bytes) leaves the list when its close event runs.
    while (conn !== undefined && conn.socket.destroyed) conn = this.free.pop();
    if (conn !== undefined) return conn.start(ex);
    if (this.count < this.options.maxConnections) {
      this.count++;
      let fresh: Connection;
      try {
        fresh = new Connection(this);
      } catch (err) {
        this.count--;
        return ex.fail(err as Error);
      }
      this.all.add(fresh);
      return fresh.start(ex);
    }
    this.queue.push(ex);
    const ms = ex.timeouts.connect;
    if (ms > 0) {
      // Waiting for a connection counts against the connect timeout.
      ex.queueTimer = setTimeout(() => {
        this.unqueue(ex);
        ex.fail(codeError(CONNECT_TIMEOUT));
      }, ms);
      ex.queueTimer.unref();
    }
  }

  /** Destroys every connection; queued and running exchanges fail. */
  close(): void {
    this.isClosed = true;
    const err = new Error("the upstream client is closed");
    const waiting = this.queue.splice(0).slice(this.queueHead);
    this.queueHead = 0;
    for (const ex of waiting) {
      if (ex.queueTimer !== undefined) clearTimeout(ex.queueTimer);
      ex.fail(err);
    }
    this.free.length = 0;
    for (const c of this.all) {
      const ex = c.exchange;
      c.exchange = undefined;
      c.socket.destroy();
      ex?.fail(Object.assign(new Error("the upstream client was closed"), { code: "ECONNRESET" }));
    }
  }

  /** @internal A response ended on `conn`: reuse it, hand it to a waiting exchange, or close it. */
  release(conn: Connection, reusable: boolean, keepAliveMs: number | undefined): void {
    if (!reusable || this.isClosed || conn.socket.destroyed) {
      conn.socket.destroy();
      return;
    }
    const next = this.dequeue();
    if (next !== undefined) return conn.start(next);
    const ms = keepAliveMs === undefined ? this.options.idleMs : Math.min(this.options.idleMs, Math.max(0, keepAliveMs - 1000));
    if (ms === 0) {
      conn.socket.destroy();
      return;
    }
    conn.idle(ms);
    this.free.push(conn);
  }

  /** @internal The socket closed, for whatever reason. */
  closed(conn: Connection): void {
    if (!this.all.delete(conn)) return;
    this.count--;
    const i = this.free.lastIndexOf(conn);
    if (i >= 0) this.free.splice(i, 1);
    const next = this.dequeue();
    if (next !== undefined) this.send(next);
  }

  private dequeue(): Exchange | undefined {
    while (this.queueHead < this.queue.length) {
      const ex = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as unknown as Exchange;
      if (this.queueHead === this.queue.length) {
        this.queue.length = 0;
        this.queueHead = 0;
      }
      if (ex.queueTimer !== undefined) clearTimeout(ex.queueTimer);
      if (!ex.destroyed) return ex;
    }
    return undefined;
  }

  private unqueue(ex: Exchange): void {
    const i = this.queue.indexOf(ex, this.queueHead);
    if (i >= 0) this.queue.splice(i, 1);
  }
}

function codeError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/** node:tls, loaded only by a backend that needs it. */
let tls: typeof import("node:tls") | undefined;
function tlsModule(): typeof import("node:tls") {
  tls ??= createRequire(import.meta.url)("node:tls") as typeof import("node:tls");
  return tls;
}

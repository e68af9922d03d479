import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import { test, type TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { BODY_TIMEOUT, CONNECT_TIMEOUT, Exchange, HEADERS_TIMEOUT, Http1Pool, type ExchangeTimeouts } from "./pool.js";
import { MALFORMED_RESPONSE } from "./response-parser.js";

// Integration tests against real local servers: node:http where a well-behaved server will do, raw net
// servers writing exact bytes where it must misbehave.

const TIMEOUTS: ExchangeTimeouts = { connect: 1000, firstByte: 1000, idle: 1000 };

type ErrnoError = Error & { code?: string };

/** Connections a server saw: how many, how many at once, and each socket's close. */
interface Tracker {
  port: number;
  connections: number;
  open: number;
  maxOpen: number;
  sockets: net.Socket[];
  closed: Promise<void>[];
}

function track(t: TestContext, server: net.Server | HttpServer): Tracker {
  const tr: Tracker = { port: 0, connections: 0, open: 0, maxOpen: 0, sockets: [], closed: [] };
  server.on("connection", (socket: net.Socket) => {
    tr.connections++;
    tr.open++;
    tr.maxOpen = Math.max(tr.maxOpen, tr.open);
    tr.sockets.push(socket);
    tr.closed.push(
      new Promise<void>((resolve) =>
        socket.once("close", () => {
          tr.open--;
          resolve();
        }),
      ),
    );
    socket.on("error", () => {});
  });
  t.after(async () => {
    for (const s of tr.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return tr;
}

async function listen(t: TestContext, server: net.Server | HttpServer): Promise<Tracker> {
  const tr = track(t, server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  tr.port = (server.address() as AddressInfo).port;
  return tr;
}

async function httpServer(t: TestContext, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Tracker> {
  return listen(t, createServer(handler));
}

/**
 * A raw server: `onRequest(socket, index, n)` runs for each complete request (head + Content-Length body),
 * `index` counting over the whole server and `n` within the connection.
 */
async function rawServer(t: TestContext, onRequest: (socket: net.Socket, index: number, n: number) => void): Promise<Tracker> {
  let index = 0;
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let n = 0;
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const m = /\r\ncontent-length: *(\d+)/i.exec(buf.toString("latin1", 0, end));
        const total = end + 4 + (m ? Number(m[1]) : 0);
        if (buf.length < total) return;
        buf = buf.subarray(total);
        onRequest(socket, index++, n++);
      }
    });
  });
  return listen(t, server);
}

function newPool(t: TestContext, port: number, options: { maxConnections?: number; idleMs?: number } = {}): Http1Pool {
  const pool = new Http1Pool({ host: "127.0.0.1", port, tls: false, maxConnections: options.maxConnections ?? 4, ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}) });
  t.after(() => pool.close());
  return pool;
}

interface Started {
  ex: Exchange;
  /** Resolves at onHead, rejects at onFail. */
  head: Promise<Exchange>;
}

function start(pool: Http1Pool, port: number, opts: { body?: string; path?: string; timeouts?: Partial<ExchangeTimeouts> } = {}): Started {
  const body = opts.body ?? '{"q":1}';
  const headText = `POST ${opts.path ?? "/v1/x"} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`;
  let ex!: Exchange;
  const head = new Promise<Exchange>((resolve, reject) => {
    ex = new Exchange(headText, body, { ...TIMEOUTS, ...opts.timeouts }, resolve, reject);
  });
  head.catch(() => {}); // awaited (or deliberately not) by each test
  pool.send(ex);
  return { ex, head };
}

/** The whole body; rejects with the sink's error. */
function readBody(ex: Exchange, onData?: (chunk: Buffer) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    ex.consume({
      data(chunk) {
        pieces.push(Buffer.from(chunk));
        onData?.(chunk);
      },
      end: () => resolve(Buffer.concat(pieces)),
      error: reject,
    });
  });
}

async function roundTrip(pool: Http1Pool, port: number, opts: Parameters<typeof start>[2] = {}): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { head } = start(pool, port, opts);
  const ex = await head;
  const body = await readBody(ex);
  return { status: ex.status, headers: ex.headers, body: body.toString("utf8") };
}

/** Rejects if `p` does not settle within `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

function expectCode(code: string): (err: unknown) => true {
  return (err: unknown) => {
    assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`);
    assert.equal((err as ErrnoError).code, code, `error: ${(err as Error).message}`);
    return true;
  };
}

/** Answers with the request's path and body as JSON (node:http, keep-alive, Content-Length). */
function echo(): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ url: req.url, body }));
    });
  };
}

test("sequential exchanges reuse one kept-alive connection", { timeout: 10_000 }, async (t) => {
  const srv = await httpServer(t, echo());
  const pool = newPool(t, srv.port);
  for (let i = 0; i < 4; i++) {
    const res = await roundTrip(pool, srv.port, { body: `{"i":${i}}`, path: `/v1/n${i}` });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(res.body), { url: `/v1/n${i}`, body: `{"i":${i}}` });
  }
  assert.equal(srv.connections, 1);
  assert.equal(pool.size, 1);
  assert.equal(pool.idleCount, 1);
});

test("exchanges beyond maxConnections wait their turn: all complete, never more than 2 connections", { timeout: 10_000 }, async (t) => {
  let inFlight = 0;
  let maxInFlight = 0;
  const srv = await httpServer(t, (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    req.resume();
    req.on("end", () =>
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(`answer to ${req.url}`);
      }, 40),
    );
  });
  const pool = newPool(t, srv.port, { maxConnections: 2 });
  const started = Array.from({ length: 6 }, (_, i) => start(pool, srv.port, { path: `/r${i}` }));
  assert.equal(pool.size, 2, "only two connections opened for six exchanges");
  const bodies = await Promise.all(started.map(async ({ head }) => (await readBody(await head)).toString()));
  assert.deepEqual(
    bodies,
    Array.from({ length: 6 }, (_, i) => `answer to /r${i}`),
  );
  assert.equal(srv.maxOpen, 2);
  assert.equal(srv.connections, 2, "the two connections carried all six");
  assert.equal(maxInFlight, 2);
  assert.equal(pool.size, 2);
  assert.equal(pool.idleCount, 2);
});

test("a response with Connection: close is not reused: the next exchange opens a new connection", { timeout: 10_000 }, async (t) => {
  const srv = await httpServer(t, (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { connection: "close", "content-length": "2" });
      res.end("ok");
    });
  });
  const pool = newPool(t, srv.port);
  assert.equal((await roundTrip(pool, srv.port)).body, "ok");
  assert.equal(pool.idleCount, 0, "not put back in the pool");
  await within(srv.closed[0]!, 2000, "the first connection to close");
  await waitFor(() => pool.size === 0, 1000, "pool.size 0");
  assert.equal(pool.idleCount, 0);
  assert.equal((await roundTrip(pool, srv.port)).body, "ok");
  assert.equal(srv.connections, 2);
});

test("Connection: close (or HTTP/1.0 without keep-alive) from a server that leaves the socket open: the client closes it", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket, index) => {
    // Neither response closes the socket from the server's side.
    if (index === 0) socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none");
    else if (index === 1) socket.write("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\ntwo");
    else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nthree");
  });
  const pool = newPool(t, srv.port);
  assert.equal((await roundTrip(pool, srv.port)).body, "one");
  assert.equal(pool.idleCount, 0);
  await within(srv.closed[0]!, 1000, "the client to close the first connection");
  assert.equal((await roundTrip(pool, srv.port)).body, "two");
  assert.equal(pool.idleCount, 0);
  await within(srv.closed[1]!, 1000, "the client to close the second connection");
  assert.equal((await roundTrip(pool, srv.port)).body, "three");
  assert.equal(pool.idleCount, 1);
  assert.equal(srv.connections, 3);
});

test("destroy() after the body ended is a no-op: the connection stays pooled and is reused", { timeout: 10_000 }, async (t) => {
  const srv = await httpServer(t, echo());
  const pool = newPool(t, srv.port);
  const ex = await start(pool, srv.port).head;
  await readBody(ex);
  assert.equal(ex.destroyed, false);
  // sse-stream's finally block and a consumer that stops late both do this.
  ex.destroy();
  ex.destroy(new Error("late"));
  ex.pause();
  assert.equal(ex.destroyed, true);
  assert.equal(pool.idleCount, 1);
  const res = await roundTrip(pool, srv.port);
  assert.equal(res.status, 200);
  assert.equal(srv.connections, 1);
  assert.equal(srv.open, 1);
});

test("Keep-Alive: timeout=1 leaves no idle time (a second less is 0): the connection is closed at once", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket) => socket.write("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 2\r\n\r\nok"));
  const pool = newPool(t, srv.port);
  assert.equal((await roundTrip(pool, srv.port)).body, "ok");
  assert.equal(pool.idleCount, 0);
  await within(srv.closed[0]!, 1000, "the server to see the close");
  assert.equal((await roundTrip(pool, srv.port)).body, "ok");
  assert.equal(srv.connections, 2);
});

test("an idle connection is closed by the client after idleMs", { timeout: 10_000 }, async (t) => {
  const srv = await httpServer(t, echo());
  const pool = newPool(t, srv.port, { idleMs: 100 });
  assert.equal((await roundTrip(pool, srv.port)).status, 200);
  const idleSince = Date.now();
  assert.equal(pool.size, 1);
  assert.equal(pool.idleCount, 1);
  await sleep(30);
  assert.equal(pool.size, 1, "still open well before idleMs");
  // node's server would keep it 5 s: a close within a second is the client's doing.
  await within(srv.closed[0]!, 1000, "the server to see the idle connection close");
  const elapsed = Date.now() - idleSince;
  assert.ok(elapsed >= 80, `closed after ${elapsed} ms, before idleMs`);
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
  assert.equal(pool.idleCount, 0);
  // The pool still works afterwards, on a new connection.
  assert.equal((await roundTrip(pool, srv.port)).status, 200);
  assert.equal(srv.connections, 2);
});

test("a server closing an idle kept-alive connection does not fail the next exchange: it gets a fresh connection", { timeout: 10_000 }, async (t) => {
  const srv = await httpServer(t, (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-length": "2" });
      res.end("ok");
      // The server drops the connection 50 ms after answering, as one with a short keep-alive would.
      res.on("finish", () => setTimeout(() => req.socket.destroy(), 50));
    });
  });
  const pool = newPool(t, srv.port);
  assert.equal((await roundTrip(pool, srv.port)).body, "ok");
  assert.equal(pool.idleCount, 1);
  await within(srv.closed[0]!, 1000, "the server to close");
  await waitFor(() => pool.size === 0, 1000, "the pool to notice the close");
  assert.equal(pool.idleCount, 0);
  const res = await roundTrip(pool, srv.port);
  assert.equal(res.status, 200);
  assert.equal(res.body, "ok");
  assert.equal(srv.connections, 2);
});

test("a server that accepts but never answers: the firstByte timer fails the exchange with INHOUSE_HEADERS_TIMEOUT", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, () => {});
  const pool = newPool(t, srv.port);
  const began = Date.now();
  const { head } = start(pool, srv.port, { timeouts: { connect: 1000, firstByte: 150, idle: 1000 } });
  await assert.rejects(head, expectCode(HEADERS_TIMEOUT));
  assert.equal(HEADERS_TIMEOUT, "INHOUSE_HEADERS_TIMEOUT");
  const elapsed = Date.now() - began;
  assert.ok(elapsed >= 130 && elapsed < 1000, `timed out after ${elapsed} ms`);
  await within(srv.closed[0]!, 1000, "the timed-out connection to close");
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
});

test("the firstByte timer stops at the head: a slow but steady body within the idle timer completes", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket) => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n");
    let i = 0;
    const tick = setInterval(() => {
      socket.write("abcdef"[i]!);
      if (++i === 6) clearInterval(tick);
    }, 50);
    socket.once("close", () => clearInterval(tick));
  });
  const pool = newPool(t, srv.port);
  // 6 × 50 ms = 300 ms of body: longer than firstByte, each gap shorter than idle.
  const res = await roundTrip(pool, srv.port, { timeouts: { connect: 1000, firstByte: 100, idle: 200 } });
  assert.equal(res.body, "abcdef");
});

test("a body that stalls fails with INHOUSE_BODY_TIMEOUT after the idle timer", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"));
  const pool = newPool(t, srv.port);
  const { head } = start(pool, srv.port, { timeouts: { connect: 1000, firstByte: 1000, idle: 150 } });
  const ex = await head;
  assert.equal(ex.status, 200);
  const got: string[] = [];
  const began = Date.now();
  await assert.rejects(
    readBody(ex, (c) => got.push(c.toString())),
    expectCode(BODY_TIMEOUT),
  );
  assert.equal(BODY_TIMEOUT, "INHOUSE_BODY_TIMEOUT");
  assert.ok(Date.now() - began < 1000);
  assert.equal(got.join(""), "hello");
  assert.equal(ex.destroyed, true);
  await within(srv.closed[0]!, 1000, "the stalled connection to close");
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
});

test("an exchange queued behind a busy connection fails with INHOUSE_CONNECT_TIMEOUT when none frees up", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, () => {});
  const pool = newPool(t, srv.port, { maxConnections: 1 });
  const first = start(pool, srv.port, { timeouts: { connect: 1000, firstByte: 3000, idle: 1000 } });
  const began = Date.now();
  const second = start(pool, srv.port, { timeouts: { connect: 100, firstByte: 1000, idle: 1000 } });
  await assert.rejects(second.head, expectCode(CONNECT_TIMEOUT));
  const elapsed = Date.now() - began;
  assert.ok(elapsed >= 80 && elapsed < 1000, `queued exchange failed after ${elapsed} ms`);
  assert.equal(CONNECT_TIMEOUT, "INHOUSE_CONNECT_TIMEOUT");
  assert.equal(srv.connections, 1);
  // The first is still running, untouched.
  assert.equal(first.ex.destroyed, false);
  assert.equal(pool.size, 1);
});

test("a refused connection reaches onFail with ECONNREFUSED", { timeout: 10_000 }, async (t) => {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const pool = newPool(t, port);
  const { head, ex } = start(pool, port);
  await within(
    assert.rejects(head, expectCode("ECONNREFUSED")),
    2000,
    "ECONNREFUSED",
  );
  assert.equal(ex.destroyed, true);
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
});

test("destroy(err) before the head calls onFail with that error and closes the connection", { timeout: 10_000 }, async (t) => {
  let requests = 0;
  const srv = await rawServer(t, () => requests++);
  const pool = newPool(t, srv.port);
  const { ex, head } = start(pool, srv.port);
  await waitFor(() => requests === 1, 1000, "the request to reach the server");
  const mine = new Error("caller gave up");
  ex.destroy(mine);
  await assert.rejects(head, (err: unknown) => {
    assert.equal(err, mine, "the very error passed to destroy()");
    return true;
  });
  assert.equal(ex.destroyed, true);
  await within(srv.closed[0]!, 1000, "the server to see the connection close");
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
  ex.destroy(new Error("again")); // safe to repeat
});

test("destroy() of a queued exchange: it never runs, and onFail gets the error", { timeout: 10_000 }, async (t) => {
  const paths: string[] = [];
  const srv = await httpServer(t, (req, res) => {
    paths.push(req.url!);
    req.resume();
    req.on("end", () => setTimeout(() => res.end("ok"), 50));
  });
  const pool = newPool(t, srv.port, { maxConnections: 1 });
  const first = start(pool, srv.port, { path: "/first" });
  const second = start(pool, srv.port, { path: "/second" });
  const third = start(pool, srv.port, { path: "/third" });
  const mine = new Error("no longer wanted");
  second.ex.destroy(mine);
  await assert.rejects(second.head, (err: unknown) => err === mine);
  assert.equal((await readBody(await first.head)).toString(), "ok");
  assert.equal((await readBody(await third.head)).toString(), "ok");
  assert.deepEqual(paths, ["/first", "/third"]);
  assert.equal(srv.connections, 1);
});

test("destroy() during the body closes the connection and the pool does not reuse it", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket, index) => {
    if (index === 0) socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n"); // and the rest never comes
    else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
  });
  const pool = newPool(t, srv.port);
  const { head } = start(pool, srv.port);
  const ex = await head;
  const events: string[] = [];
  ex.consume({
    data(chunk) {
      events.push(`data:${chunk.toString()}`);
      ex.destroy();
    },
    end: () => events.push("end"),
    error: (err) => events.push(`error:${err.message}`),
  });
  await within(srv.closed[0]!, 1000, "the server to see the connection close");
  assert.deepEqual(events, ["data:first"], "a destroy() without an error delivers nothing more");
  assert.equal(ex.destroyed, true);
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
  assert.equal((await roundTrip(pool, srv.port)).body, "second");
  assert.equal(srv.connections, 2);
});

test("pause() holds the body back and resume() delivers the rest intact", { timeout: 10_000 }, async (t) => {
  const size = 4 * 1024 * 1024;
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i++) payload[i] = (i * 7 + (i >> 11)) & 0xff;
  const srv = await httpServer(t, (req, res) => {
    req.resume();
    req.on("end", async () => {
      res.writeHead(200, { "content-type": "application/octet-stream" }); // no length: chunked
      for (let at = 0; at < size; at += 16 * 1024) {
        if (!res.write(payload.subarray(at, at + 16 * 1024))) await once(res, "drain");
      }
      res.end();
    });
  });
  const pool = newPool(t, srv.port);
  const { head } = start(pool, srv.port, { timeouts: { connect: 1000, firstByte: 1000, idle: 2000 } });
  const ex = await head;
  assert.equal(ex.headers["transfer-encoding"], "chunked");
  let received = 0;
  let pauses = 0;
  const heldBack: number[] = [];
  const done = readBody(ex, (chunk) => {
    received += chunk.length;
    // Pause at the first piece and again past the middle.
    if ((pauses === 0 || (pauses === 1 && received > size / 2)) && !ex.paused) {
      pauses++;
      ex.pause();
      assert.equal(ex.paused, true);
      setImmediate(() => {
        const atPause = received;
        setTimeout(() => {
          heldBack.push(received - atPause);
          assert.ok(received < size, "the body was not all in already");
          ex.resume();
          assert.equal(ex.paused, false);
        }, 120);
      });
    }
  });
  const body = await done;
  assert.equal(pauses, 2);
  assert.deepEqual(heldBack, [0, 0], "nothing arrived while paused");
  assert.equal(body.length, size);
  assert.equal(createHash("sha256").update(body).digest("hex"), createHash("sha256").update(payload).digest("hex"));
  // The connection went back to the pool, reusable.
  assert.equal(pool.idleCount, 1);
});

test("a malformed response fails the exchange with INHOUSE_MALFORMED_RESPONSE and its connection is not reused", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket, index) => {
    if (index === 0) socket.write("HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 2\r\n\r\nok");
    else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  const pool = newPool(t, srv.port);
  const { head, ex } = start(pool, srv.port);
  await assert.rejects(head, expectCode(MALFORMED_RESPONSE));
  assert.equal(MALFORMED_RESPONSE, "INHOUSE_MALFORMED_RESPONSE");
  assert.equal(ex.destroyed, true);
  await within(srv.closed[0]!, 1000, "the server to see the connection close");
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
  assert.equal((await roundTrip(pool, srv.port)).body, "ok");
  assert.equal(srv.connections, 2);
});

test("a malformed body (bad chunk size) fails the body with INHOUSE_MALFORMED_RESPONSE after the head", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket) => socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\n"));
  const pool = newPool(t, srv.port);
  const ex = await start(pool, srv.port).head;
  assert.equal(ex.status, 200);
  const got: string[] = [];
  await assert.rejects(
    readBody(ex, (c) => got.push(c.toString())),
    expectCode(MALFORMED_RESPONSE),
  );
  assert.deepEqual(got, ["ok"]);
  await within(srv.closed[0]!, 1000, "the server to see the connection close");
});

test("a connection closed before the body is complete fails the body with ECONNRESET", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket) => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"));
  const pool = newPool(t, srv.port);
  const ex = await start(pool, srv.port).head;
  await assert.rejects(readBody(ex), expectCode("ECONNRESET"));
  await waitFor(() => pool.size === 0, 1000, "pool.size 0");
});

test("a close-delimited body ends at the close, and that connection is not pooled", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket) => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ");
    setTimeout(() => socket.end("part two"), 30);
  });
  const pool = newPool(t, srv.port);
  assert.equal((await roundTrip(pool, srv.port)).body, "part one, part two");
  await waitFor(() => pool.size === 0, 1000, "pool.size 0");
  assert.equal(pool.idleCount, 0);
});

test("extra bytes after a response (two responses to one request) close the connection instead of reusing it", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket, index) => {
    if (index === 0) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray");
    else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
  });
  const pool = newPool(t, srv.port);
  assert.equal((await roundTrip(pool, srv.port)).body, "first");
  assert.equal(pool.idleCount, 0, "not put back in the pool");
  await within(srv.closed[0]!, 1000, "the server to see the connection close");
  const res = await roundTrip(pool, srv.port);
  assert.equal(res.body, "second", "the stray response is never read as the answer to the next request");
  assert.equal(srv.connections, 2);
});

test("bytes arriving later on an idle connection close it", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket) => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    setTimeout(() => socket.write("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n"), 50);
  });
  const pool = newPool(t, srv.port);
  assert.equal((await roundTrip(pool, srv.port)).body, "ok");
  assert.equal(pool.idleCount, 1);
  await within(srv.closed[0]!, 1000, "the client to close the connection on unsolicited bytes");
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
  assert.equal(pool.idleCount, 0);
});

test("close() fails a queued and a running exchange and leaves size 0", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, () => {});
  const pool = newPool(t, srv.port, { maxConnections: 1 });
  const running = start(pool, srv.port);
  const queued = start(pool, srv.port);
  await waitFor(() => srv.connections === 1, 1000, "the connection");
  assert.equal(pool.size, 1);
  pool.close();
  await assert.rejects(running.head, expectCode("ECONNRESET"));
  await assert.rejects(queued.head, /closed/);
  assert.equal(running.ex.destroyed, true);
  assert.equal(queued.ex.destroyed, true);
  await within(srv.closed[0]!, 1000, "the server to see the close");
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
  assert.equal(pool.idleCount, 0);
  assert.equal(srv.connections, 1, "the queued exchange never got a connection");
  // Afterwards, sends fail at once.
  await assert.rejects(start(pool, srv.port).head, /closed/);
});

test("close() fails a running body and closes idle connections too", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket, index) => {
    if (index < 2) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nX-Third: 1\r\n\r\nhalf"); // never finishes
  });
  const pool = newPool(t, srv.port, { maxConnections: 2 });
  // Two connections, both idle afterwards.
  const pair = await Promise.all([roundTrip(pool, srv.port), roundTrip(pool, srv.port)]);
  assert.deepEqual(
    pair.map((r) => r.body),
    ["ok", "ok"],
  );
  assert.equal(pool.size, 2);
  assert.equal(pool.idleCount, 2);
  // One of them carries a body that never finishes; the other stays idle.
  const ex = await start(pool, srv.port).head;
  assert.equal(ex.headers["x-third"], "1");
  assert.equal(pool.idleCount, 1);
  const got: string[] = [];
  const body = readBody(ex, (c) => got.push(c.toString()));
  await sleep(20);
  pool.close();
  await assert.rejects(body, expectCode("ECONNRESET"));
  assert.deepEqual(got, ["half"]);
  await within(Promise.all(srv.closed), 1000, "the server to see both connections close");
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
  assert.equal(pool.idleCount, 0);
  assert.equal(srv.connections, 2);
});

// dequeue() leaves placeholders before its read position (the queue is compacted only once empty): close() must
// skip them (it once threw "Cannot read properties of undefined" here and left the rest unfailed).
test("close() after the queue has been partly drained fails the rest without throwing", { timeout: 10_000 }, async (t) => {
  const srv = await rawServer(t, (socket, index) => {
    if (index === 0) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); // the others are never answered
  });
  const pool = newPool(t, srv.port, { maxConnections: 1 });
  const first = start(pool, srv.port);
  const second = start(pool, srv.port);
  const third = start(pool, srv.port);
  assert.equal((await readBody(await first.head)).toString(), "ok");
  // `second` now runs on the connection; `third` still waits behind it.
  await sleep(20);
  assert.doesNotThrow(() => pool.close());
  await within(assert.rejects(second.head, expectCode("ECONNRESET")), 1000, "the running exchange to fail");
  await within(assert.rejects(third.head, /closed/), 1000, "the queued exchange to fail");
  await waitFor(() => pool.size === 0, 500, "pool.size 0");
});

// A response that ends while its reader has paused it (backpressure), with another exchange queued: the socket
// goes straight to the queued exchange, which must find it reading (it once timed out with the answer unread).
test("an exchange handed a connection whose previous body ended while paused still gets its response", { timeout: 10_000 }, async (t) => {
  let answered = 0;
  const srv = await rawServer(t, (socket, index) => {
    answered++;
    if (index > 0) return void socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nbody-${index}`);
    // The first body comes in a later read than its head, as a streamed body does: the consumer is attached by then.
    socket.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n");
    setTimeout(() => socket.write("body-0"), 50);
  });
  const pool = newPool(t, srv.port, { maxConnections: 1 });
  const first = start(pool, srv.port);
  const second = start(pool, srv.port, { timeouts: { connect: 1000, firstByte: 400, idle: 1000 } });
  const ex1 = await first.head;
  let paused = false;
  const body1 = new Promise<string>((resolve, reject) => {
    const pieces: Buffer[] = [];
    ex1.consume({
      data(chunk) {
        pieces.push(chunk);
        ex1.pause(); // the consumer is full for now…
        paused = ex1.paused;
      },
      end() {
        setTimeout(() => ex1.resume(), 10); // …and catches up a moment later, as sse-stream's take() does
        resolve(Buffer.concat(pieces).toString());
      },
      error: reject,
    });
  });
  assert.equal(await body1, "body-0");
  assert.equal(paused, true, "the consumer did pause while the exchange was running");
  const outcome = await second.head.then(
    async (ex2) => (await readBody(ex2)).toString(),
    (err: ErrnoError) => `failed with ${err.code ?? err.message}; the server had answered it: ${answered >= 2}`,
  );
  assert.equal(outcome, "body-1");
});

test("a chunked SSE body written in several delayed writes is delivered in order, each piece as it is written", { timeout: 10_000 }, async (t) => {
  const events = [0, 1, 2, 3, 4].map((i) => `data: {"i":${i},"text":"tok${i}"}\n\n`).concat("data: [DONE]\n\n");
  let written = 0;
  const srv = await httpServer(t, (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      let i = 0;
      const next = (): void => {
        written++;
        res.write(events[i++]!);
        if (i < events.length) setTimeout(next, 40);
        else res.end();
      };
      next();
    });
  });
  const pool = newPool(t, srv.port);
  const ex = await start(pool, srv.port).head;
  assert.equal(ex.status, 200);
  assert.equal(ex.headers["content-type"], "text/event-stream");
  const pieces: string[] = [];
  const writtenAtArrival: number[] = [];
  const body = await readBody(ex, (chunk) => {
    pieces.push(chunk.toString());
    writtenAtArrival.push(written);
  });
  assert.equal(body.toString(), events.join(""));
  assert.deepEqual(pieces, events, "one piece per write, in order");
  assert.deepEqual(
    writtenAtArrival,
    events.map((_, i) => i + 1),
    "each piece arrived before the next was written",
  );
  assert.equal(pool.idleCount, 1);
});

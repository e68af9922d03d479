import assert from "node:assert/strict";
import { test } from "node:test";
import { MALFORMED_RESPONSE, MAX_HEAD_BYTES, MalformedResponse, ResponseParser, type ResponseHead } from "./response-parser.js";

// Real byte sequences in, events out. `run` feeds pieces and records everything the parser reported.

interface Recorded {
  heads: ResponseHead[];
  body: Buffer;
  ends: boolean[];
  /** Event kinds in order, consecutive "data" collapsed into one. */
  order: string[];
  /** Every data event carried at least one byte. */
  emptyData: number;
}

function recorder(): { parser: ResponseParser; rec: Recorded } {
  const pieces: Buffer[] = [];
  const rec: Recorded = { heads: [], body: Buffer.alloc(0), ends: [], order: [], emptyData: 0 };
  const note = (kind: string): void => {
    if (kind !== "data" || rec.order[rec.order.length - 1] !== "data") rec.order.push(kind);
  };
  const parser = new ResponseParser({
    head(head) {
      rec.heads.push(head);
      note("head");
    },
    data(chunk) {
      if (chunk.length === 0) rec.emptyData++;
      // Copy: a parser must not rely on the caller keeping its buffers, and neither do we.
      pieces.push(Buffer.from(chunk));
      rec.body = Buffer.concat(pieces);
      note("data");
    },
    end(clean) {
      rec.ends.push(clean);
      note("end");
    },
  });
  return { parser, rec };
}

function run(pieces: Buffer[], eof = false): Recorded {
  const { parser, rec } = recorder();
  for (const p of pieces) parser.push(p);
  if (eof) parser.eof();
  return rec;
}

const bytes = (s: string): Buffer => Buffer.from(s, "latin1");

function oneByteAtATime(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) out.push(buf.subarray(i, i + 1));
  return out;
}

/** Comparable view of a recording (Buffers compared by content). */
function view(rec: Recorded): unknown {
  return { heads: rec.heads, body: rec.body.toString("latin1"), ends: rec.ends, order: rec.order, emptyData: rec.emptyData };
}

function isMalformed(err: unknown): true {
  assert.ok(err instanceof MalformedResponse, `expected MalformedResponse, got ${String(err)}`);
  assert.equal(err.code, MALFORMED_RESPONSE);
  assert.equal(err.code, "INHOUSE_MALFORMED_RESPONSE");
  return true;
}

/** Throws MalformedResponse both when fed whole and when fed one byte at a time. */
function assertMalformed(raw: Buffer, label: string): void {
  assert.throws(() => run([raw]), isMalformed, `${label} (whole)`);
  assert.throws(() => run(oneByteAtATime(raw)), isMalformed, `${label} (byte by byte)`);
}

test("a Content-Length body is delivered exactly, then end(true)", { timeout: 10_000 }, () => {
  const rec = run([bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"xyz\"}")]);
  assert.deepEqual(rec.heads, [{ status: 200, headers: { "content-type": "application/json", "content-length": "11" }, keepAlive: true, keepAliveMs: undefined }]);
  assert.equal(rec.body.toString("latin1"), '{"a":"xyz"}');
  assert.deepEqual(rec.ends, [true]);
  assert.deepEqual(rec.order, ["head", "data", "end"]);

  // Content-Length: 0 ends at once with no data event.
  const zero = run([bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")]);
  assert.equal(zero.heads.length, 1);
  assert.deepEqual(zero.order, ["head", "end"]);
  assert.deepEqual(zero.ends, [true]);

  // Not ended until the last byte is in.
  const { parser, rec: partial } = recorder();
  parser.push(bytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabc"));
  assert.deepEqual(partial.ends, []);
  assert.equal(parser.done, false);
  parser.push(bytes("d"));
  assert.deepEqual(partial.ends, [true]);
  assert.equal(parser.done, true);
  assert.equal(partial.body.toString("latin1"), "abcd");
});

test("a chunked body with chunk extensions and trailers is decoded", { timeout: 10_000 }, () => {
  const raw = bytes(
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "5;name=value\r\nhello\r\n" +
      "1;a=1;b=\"q;x\"\r\n \r\n" +
      "0000000000B ; ext\r\nhello world\r\n" +
      "0;last=1\r\n" +
      "Trailer-One: 1\r\nTrailer-Two: two\r\n\r\n",
  );
  const rec = run([raw]);
  assert.deepEqual(rec.heads, [{ status: 200, headers: { "transfer-encoding": "chunked" }, keepAlive: true, keepAliveMs: undefined }]);
  assert.equal(rec.body.toString("latin1"), "hello hello world");
  assert.deepEqual(rec.ends, [true]);
  assert.deepEqual(rec.order, ["head", "data", "end"]);
  assert.equal(rec.emptyData, 0);

  // The end waits for the blank line after the trailers, not the last chunk.
  const { parser, rec: partial } = recorder();
  parser.push(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n"));
  assert.deepEqual(partial.ends, []);
  parser.push(bytes("\r\n"));
  assert.deepEqual(partial.ends, [true]);
  assert.equal(partial.body.toString("latin1"), "abc");

  // Upper- and lower-case hex sizes.
  const hex = run([bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n")]);
  assert.equal(hex.body.toString("latin1"), "0123456789abcdefghij");
  assert.deepEqual(hex.ends, [true]);
});

test("a body without framing runs until the connection closes: eof() ends it cleanly", { timeout: 10_000 }, () => {
  const { parser, rec } = recorder();
  parser.push(bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst "));
  parser.push(bytes("second"));
  assert.deepEqual(rec.ends, [], "no end before the close");
  assert.equal(parser.done, false);
  parser.eof();
  assert.deepEqual(rec.ends, [true]);
  assert.equal(parser.done, true);
  assert.equal(rec.body.toString("latin1"), "first second");
  assert.equal(rec.heads[0]!.keepAlive, false, "a close-delimited body cannot leave the connection reusable");
  assert.equal(rec.heads[0]!.keepAliveMs, undefined);
  // A second eof after the end is harmless.
  parser.eof();
  assert.deepEqual(rec.ends, [true]);

  // An empty close-delimited body.
  const empty = run([bytes("HTTP/1.1 200 OK\r\n\r\n")], true);
  assert.deepEqual(empty.order, ["head", "end"]);
  assert.deepEqual(empty.ends, [true]);

  // Transfer-Encoding whose last coding is not chunked is read until close too.
  const gzip = run([bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz")], true);
  assert.equal(gzip.body.toString("latin1"), "zzz");
  assert.equal(gzip.heads[0]!.keepAlive, false);
  assert.deepEqual(gzip.ends, [true]);
});

test("204 and 304 have no body, whatever their Content-Length says", { timeout: 10_000 }, () => {
  for (const status of [204, 304]) {
    const rec = run([bytes(`HTTP/1.1 ${status} Whatever\r\nContent-Length: 10\r\n\r\n`)]);
    assert.equal(rec.heads.length, 1);
    assert.equal(rec.heads[0]!.status, status);
    assert.equal(rec.heads[0]!.keepAlive, true);
    assert.deepEqual(rec.order, ["head", "end"], `${status}: no data event`);
    assert.deepEqual(rec.ends, [true]);
    // A 204 followed by bytes: they are not its body, and the connection is out of step.
    const extra = run([bytes(`HTTP/1.1 ${status} X\r\n\r\nabc`)]);
    assert.deepEqual(extra.order, ["head", "end"]);
    assert.deepEqual(extra.ends, [false]);
  }
});

test("100 Continue and 103 Early Hints are skipped; only the final response's head is reported", { timeout: 10_000 }, () => {
  const raw = bytes(
    "HTTP/1.1 100 Continue\r\n\r\n" + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
  );
  const expected = { heads: [{ status: 201, headers: { "content-length": "2" }, keepAlive: true, keepAliveMs: undefined }], body: "ok", ends: [true] };
  const whole = run([raw]);
  assert.deepEqual({ heads: whole.heads, body: whole.body.toString("latin1"), ends: whole.ends }, expected);
  const bytewise = run(oneByteAtATime(raw));
  assert.deepEqual({ heads: bytewise.heads, body: bytewise.body.toString("latin1"), ends: bytewise.ends }, expected);

  // The interim response alone reports nothing and leaves the parser waiting for the final head.
  const { parser, rec } = recorder();
  parser.push(bytes("HTTP/1.1 100 Continue\r\n\r\n"));
  assert.deepEqual(rec.order, []);
  assert.equal(parser.inHead, true);
  parser.push(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
  assert.deepEqual(rec.order, ["head", "end"]);
  assert.equal(rec.heads[0]!.status, 200);
});

test("101 Switching Protocols is refused (nothing asked for an upgrade)", { timeout: 10_000 }, () => {
  assertMalformed(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"), "101");
});

test("header names are lower-cased and repeated fields are joined with ', '", { timeout: 10_000 }, () => {
  const rec = run([
    bytes(
      "HTTP/1.1 200 OK\r\nX-Mixed-Case: A\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nSET-COOKIE: c=3\r\nVary: Accept\r\nvary: Origin\r\n" +
        "X-Spaces:    padded value  \r\nX-Tab:\tt\t\r\nX-Empty:\r\nX-Obs-Text: caf\xe9\r\nContent-Length: 0\r\n\r\n",
    ),
  ]);
  assert.deepEqual(rec.heads[0]!.headers, {
    "x-mixed-case": "A",
    "set-cookie": "a=1, b=2, c=3",
    vary: "Accept, Origin",
    "x-spaces": "padded value",
    "x-tab": "t",
    "x-empty": "",
    "x-obs-text": "caf\xe9",
    "content-length": "0",
  });
  assert.equal(rec.heads[0]!.status, 200);
  // A status line without a reason phrase, and with an empty one.
  assert.equal(run([bytes("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n")]).heads[0]!.status, 404);
  assert.equal(run([bytes("HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n")]).heads[0]!.status, 503);
});

test("keepAlive: true by default on HTTP/1.1; false for Connection: close, HTTP/1.0, close-delimited bodies, and TE with CL", { timeout: 10_000 }, () => {
  const head = (raw: string, eof = false): ResponseHead => {
    const rec = run([bytes(raw)], eof);
    assert.equal(rec.heads.length, 1, raw);
    return rec.heads[0]!;
  };
  assert.equal(head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive, true);
  assert.equal(head("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive, false);
  assert.equal(head("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n").keepAlive, false, "tokens are case-insensitive");
  assert.equal(head("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n").keepAlive, false);
  assert.equal(head("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive, false);
  assert.equal(head("HTTP/1.1 200 OK\r\nConnection: upgrade-not-close\r\nContent-Length: 0\r\n\r\n").keepAlive, true, "only the whole token 'close' counts");
  // HTTP/1.0: closed unless the server asked to keep it.
  assert.equal(head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive, false);
  assert.equal(head("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").keepAlive, true);
  assert.equal(head("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nxx", true).keepAlive, false, "a close-delimited body wins over keep-alive");
  // Close-delimited body on 1.1.
  assert.equal(head("HTTP/1.1 200 OK\r\n\r\nbody", true).keepAlive, false);
  // Transfer-Encoding and Content-Length together: chunked framing wins, the connection is not reused.
  const { parser, rec } = recorder();
  parser.push(bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  assert.equal(rec.heads[0]!.keepAlive, false);
  assert.equal(rec.body.toString("latin1"), "hello");
  assert.deepEqual(rec.ends, [true]);
});

test("keepAliveMs comes from Keep-Alive: timeout=N (seconds), only on a reusable connection", { timeout: 10_000 }, () => {
  const ms = (fields: string): number | undefined => run([bytes(`HTTP/1.1 200 OK\r\n${fields}Content-Length: 0\r\n\r\n`)]).heads[0]!.keepAliveMs;
  assert.equal(ms("Keep-Alive: timeout=5\r\n"), 5000);
  assert.equal(ms("Keep-Alive: timeout=5, max=1000\r\n"), 5000);
  assert.equal(ms("Keep-Alive: max=100, timeout=30\r\n"), 30_000);
  assert.equal(ms("keep-alive: TIMEOUT = 2\r\n"), 2000);
  assert.equal(ms("Keep-Alive: max=100\r\n"), undefined);
  assert.equal(ms(""), undefined);
  assert.equal(ms("Connection: close\r\nKeep-Alive: timeout=5\r\n"), undefined, "not reusable: no idle time");
});

/** One chunk of a chunked body: hex size, extensions, CRLF, data, CRLF. */
function chunk(data: string, ext = ""): string {
  return `${Buffer.byteLength(data, "latin1").toString(16)}${ext}\r\n${data}\r\n`;
}

// The important property: how the bytes are cut into pieces must not change what is parsed.
function assertSplitInvariant(raw: Buffer, expected: { head: ResponseHead; body: string }): void {
  const reference = run([raw]);
  assert.deepEqual(
    view(reference),
    { heads: [expected.head], body: expected.body, ends: [true], order: ["head", "data", "end"], emptyData: 0 },
    "fed whole",
  );
  const want = view(reference);
  assert.deepEqual(view(run(oneByteAtATime(raw))), want, "one byte at a time");
  for (let i = 1; i < raw.length; i++) {
    assert.deepEqual(view(run([raw.subarray(0, i), raw.subarray(i)])), want, `split at ${i} of ${raw.length}: ${JSON.stringify(raw.toString("latin1", Math.max(0, i - 6), i))}|${JSON.stringify(raw.toString("latin1", i, i + 6))}`);
  }
  // Three pieces, cut at every pair of positions a prime stride apart (a sample of the quadratic space).
  for (let i = 1; i < raw.length; i += 3) {
    for (let j = i + 1; j < raw.length; j += 7) {
      assert.deepEqual(view(run([raw.subarray(0, i), raw.subarray(i, j), raw.subarray(j)])), want, `split at ${i} and ${j}`);
    }
  }
}

test("a chunked response gives the same head, body and end however it is split (every byte; every two-piece cut)", { timeout: 10_000 }, () => {
  const raw = bytes(
    "HTTP/1.1 200 OK\r\n" +
      "Content-Type: text/event-stream\r\n" +
      "Transfer-Encoding: chunked\r\n" +
      "Set-Cookie: a=1\r\n" +
      "Set-Cookie: b=2\r\n" +
      "Keep-Alive: timeout=5, max=100\r\n" +
      "\r\n" +
      chunk('data: {"a":1}\n\n', ";name=value") +
      chunk("\n") +
      chunk("data: [DONE]\r\n\r\n\r\n", ' ; ext="q"') +
      "0;final\r\n" +
      "Trailer-A: x\r\n" +
      "Trailer-B: y\r\n" +
      "\r\n",
  );
  assertSplitInvariant(raw, {
    head: {
      status: 200,
      headers: { "content-type": "text/event-stream", "transfer-encoding": "chunked", "set-cookie": "a=1, b=2", "keep-alive": "timeout=5, max=100" },
      keepAlive: true,
      keepAliveMs: 5000,
    },
    body: 'data: {"a":1}\n\n\ndata: [DONE]\r\n\r\n\r\n',
  });
});

test("a Content-Length response gives the same head, body and end however it is split (every byte; every two-piece cut)", { timeout: 10_000 }, () => {
  const body = '{"id":"x","choices":[{"text":"\r\n\r\nHTTP/1.1 200 OK"}]}';
  const raw = bytes(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`);
  assertSplitInvariant(raw, {
    head: { status: 200, headers: { "content-type": "application/json", "content-length": String(body.length), connection: "keep-alive" }, keepAlive: true, keepAliveMs: undefined },
    body,
  });
});

test("an interim 100 response before a chunked one gives the same result however it is split", { timeout: 10_000 }, () => {
  const raw = bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  assertSplitInvariant(raw, { head: { status: 200, headers: { "transfer-encoding": "chunked" }, keepAlive: true, keepAliveMs: undefined }, body: "abc" });
});

test("malformed status lines are refused", { timeout: 10_000 }, () => {
  for (const line of ["HTTP/2 200 OK", "HTTP/1.2 200 OK", "http/1.1 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 099 Low", "HTTP/1.1 200OK", "HTTP/1.1  200 OK", "ICY 200 OK", " HTTP/1.1 200 OK", "garbage"]) {
    assertMalformed(bytes(`${line}\r\nContent-Length: 0\r\n\r\n`), JSON.stringify(line));
  }
  // A blank line before the status line is not skipped either.
  assertMalformed(bytes("\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), "leading CRLF");
});

test("obsolete line folding is refused", { timeout: 10_000 }, () => {
  for (const fold of [" continued", "\tcontinued", " x: y"]) {
    const raw = bytes(`HTTP/1.1 200 OK\r\nX-Long: first\r\n${fold}\r\nContent-Length: 0\r\n\r\n`);
    assertMalformed(raw, JSON.stringify(fold));
  }
  assert.throws(() => run([bytes("HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n")]), /obsolete line folding/);
});

test("invalid header names are refused: a space, a space before the colon, no name, no colon", { timeout: 10_000 }, () => {
  for (const field of ["Bad Name: x", "X-Name : x", ": no name", "no colon at all", "X(y): z", "X\x7f: y", "Na\xefve: x"]) {
    assertMalformed(bytes(`HTTP/1.1 200 OK\r\n${field}\r\nContent-Length: 0\r\n\r\n`), JSON.stringify(field));
  }
});

test("a CR, LF or NUL inside a field value is refused", { timeout: 10_000 }, () => {
  const prefix = bytes("HTTP/1.1 200 OK\r\nX-Value: ab");
  const suffix = bytes("cd\r\nContent-Length: 0\r\n\r\n");
  for (const bad of [0x0d, 0x0a, 0x00]) {
    const raw = Buffer.concat([prefix, Buffer.from([bad]), suffix]);
    // Make sure the bytes are what we think they are: exactly one control byte between "ab" and "cd".
    assert.equal(raw[prefix.length], bad);
    assert.equal(raw.toString("latin1", prefix.length - 2, prefix.length + 3), `ab${String.fromCharCode(bad)}cd`);
    assertMalformed(raw, `byte 0x${bad.toString(16)}`);
  }
  // A NUL at the very end of a value, too.
  assertMalformed(Buffer.concat([bytes("HTTP/1.1 200 OK\r\nX-Value: ab"), Buffer.from([0]), bytes("\r\nContent-Length: 0\r\n\r\n")]), "trailing NUL");
  // The one-byte-off value is fine (control: the bytes around it are not the problem).
  assert.equal(run([Buffer.concat([prefix, suffix])]).heads[0]!.headers["x-value"], "abcd");
});

// Only spaces and tabs are trimmed from a value: a bare LF or CR at its edge would be read as a line end by a
// parser that accepts bare LF (RFC 9112 §2.2 allows it), so these bytes could be read two ways.
test("a bare CR or LF at the start or end of a field value is refused like one in the middle", { timeout: 10_000 }, () => {
  // Ends with a bare LF: here "X: a\n" then "\r\n" could be the end of the head for a lenient parser.
  assertMalformed(bytes("HTTP/1.1 200 OK\r\nX: a\n\r\nContent-Length: 5\r\n\r\nhello"), "value ending with a bare LF");
  assertMalformed(bytes("HTTP/1.1 200 OK\r\nX: a\r\r\nContent-Length: 0\r\n\r\n"), "value ending with a bare CR");
  assertMalformed(bytes("HTTP/1.1 200 OK\r\nX:\nContent-Length: 5\r\n\r\nhello"), "value starting with a bare LF");
});

// "5\r\r\n": only spaces and tabs may follow the size.
test("a bare CR in a chunk-size line is refused", { timeout: 10_000 }, () => {
  assertMalformed(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\r\nhello\r\n0\r\n\r\n"), "5 CR CRLF");
});

test("conflicting or non-numeric Content-Length values are refused; the same value repeated is accepted", { timeout: 10_000 }, () => {
  for (const fields of ["Content-Length: 5, 6\r\n", "Content-Length: 5\r\nContent-Length: 6\r\n", "Content-Length: 5,\r\n", "Content-Length: 5, 5, 6\r\n"]) {
    assertMalformed(bytes(`HTTP/1.1 200 OK\r\n${fields}\r\nhello`), JSON.stringify(fields));
  }
  for (const value of ["abc", "-1", "+5", "5a", "0x5", "5.0", "", "1e3", "1234567890123456"]) {
    assertMalformed(bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\nhello`), JSON.stringify(value));
  }
  for (const fields of ["Content-Length: 5, 5\r\n", "Content-Length: 5\r\nContent-Length: 5\r\n", "Content-Length:5,5\r\n"]) {
    const rec = run([bytes(`HTTP/1.1 200 OK\r\n${fields}\r\nhello`)]);
    assert.equal(rec.body.toString("latin1"), "hello", fields);
    assert.deepEqual(rec.ends, [true], fields);
    assert.equal(rec.heads[0]!.keepAlive, true, fields);
  }
  // Leading zeros are still the same number.
  assert.equal(run([bytes("HTTP/1.1 200 OK\r\nContent-Length: 005\r\n\r\nhello")]).body.toString("latin1"), "hello");
});

test("chunked framing errors are refused: bad size, data longer than its size, bare LF", { timeout: 10_000 }, () => {
  const head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const cases: Array<[string, string]> = [
    ["size zz", "zz\r\nhello\r\n0\r\n\r\n"],
    ["empty size", "\r\nhello\r\n0\r\n\r\n"],
    ["negative size", "-5\r\nhello\r\n0\r\n\r\n"],
    ["0x prefix", "0x5\r\nhello\r\n0\r\n\r\n"],
    ["space before size", " 5\r\nhello\r\n0\r\n\r\n"],
    ["16 hex digits", "1000000000000000\r\nhello\r\n0\r\n\r\n"],
    ["data longer than its size", "5\r\nhelloX\r\n0\r\n\r\n"],
    ["bare LF after chunk data", "5\r\nhello\n0\r\n\r\n"],
    ["bare LF after chunk size", "5\nhello\r\n0\r\n\r\n"],
    ["bare LF after last chunk", "5\r\nhello\r\n0\n\r\n"],
    ["bare LF in trailers", "5\r\nhello\r\n0\r\nT: 1\n\r\n"],
  ];
  for (const [label, body] of cases) assertMalformed(bytes(head + body), label);
  // Control: the well-formed version of the same body parses.
  assert.equal(run([bytes(`${head}5\r\nhello\r\n0\r\n\r\n`)]).body.toString("latin1"), "hello");
});

test("a head over 64 KiB is refused, whole or arriving in pieces", { timeout: 10_000 }, () => {
  assert.equal(MAX_HEAD_BYTES, 64 * 1024);
  const statusLine = "HTTP/1.1 200 OK\r\n";
  // A head (status line + fields, without the final CRLFCRLF) of exactly MAX_HEAD_BYTES + 1 bytes.
  const filler = "x".repeat(MAX_HEAD_BYTES + 1 - statusLine.length - "X-Big: ".length - "\r\nContent-Length: 0".length);
  const tooBig = bytes(`${statusLine}X-Big: ${filler}\r\nContent-Length: 0\r\n\r\n`);
  assert.equal(tooBig.length - 4, MAX_HEAD_BYTES + 1);
  assert.throws(() => run([tooBig]), isMalformed);
  // One byte shorter is accepted.
  const justFits = bytes(`${statusLine}X-Big: ${filler.slice(1)}\r\nContent-Length: 0\r\n\r\n`);
  const rec = run([justFits]);
  assert.equal(rec.heads[0]!.headers["x-big"]!.length, filler.length - 1);
  assert.deepEqual(rec.ends, [true]);
  // A head that never ends is refused once it passes the limit, without waiting for the blank line.
  const { parser } = recorder();
  const piece = bytes("X-Pad: " + "p".repeat(4096 - 9) + "\r\n");
  assert.equal(piece.length, 4096);
  parser.push(bytes(statusLine));
  let pushed = statusLine.length;
  let thrown: unknown;
  while (thrown === undefined && pushed < 2 * MAX_HEAD_BYTES) {
    try {
      parser.push(piece);
      pushed += piece.length;
    } catch (err) {
      thrown = err;
    }
  }
  assert.ok(thrown !== undefined && isMalformed(thrown));
  // It threw on the piece that took the buffered head past the limit.
  assert.ok(pushed <= MAX_HEAD_BYTES && pushed + piece.length > MAX_HEAD_BYTES, `threw after ${pushed} bytes`);
});

// The limit counts the head without its blank line, however the pieces fall.
test("a head of exactly 64 KiB gets the same verdict however the blank line is split", { timeout: 10_000 }, () => {
  const statusLine = "HTTP/1.1 200 OK\r\n";
  const filler = "x".repeat(MAX_HEAD_BYTES - statusLine.length - "X-Big: ".length - "\r\nContent-Length: 0".length);
  const raw = bytes(`${statusLine}X-Big: ${filler}\r\nContent-Length: 0\r\n\r\n`);
  assert.equal(raw.length - 4, MAX_HEAD_BYTES);
  const whole = run([raw]);
  assert.deepEqual(whole.ends, [true], "accepted when whole");
  for (let back = 1; back <= 4; back++) {
    const cut = raw.length - back;
    const split = run([raw.subarray(0, cut), raw.subarray(cut)]);
    assert.deepEqual(view(split), view(whole), `cut ${back} byte(s) before the end`);
  }
});

test("bytes after the end of the body give end(false)", { timeout: 10_000 }, () => {
  const cl = run([bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA")]);
  assert.equal(cl.body.toString("latin1"), "hello", "the extra bytes are not body");
  assert.deepEqual(cl.ends, [false]);

  const chunked = run([bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n")]);
  assert.equal(chunked.body.toString("latin1"), "hello");
  assert.deepEqual(chunked.ends, [false]);

  const empty = run([bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n\r\n")]);
  assert.deepEqual(empty.ends, [false]);

  // The extra bytes in a separate piece from the body's last byte: the end already went out clean with that piece.
  const later = run([bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), bytes("EXTRA")]);
  assert.deepEqual(later.ends, [true]);
  assert.equal(later.body.toString("latin1"), "hello");
});

test("eof() before the response is complete throws ECONNRESET (not MalformedResponse)", { timeout: 10_000 }, () => {
  const cut = (raw: string): void => {
    const { parser, rec } = recorder();
    parser.push(bytes(raw));
    assert.throws(
      () => parser.eof(),
      (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.ok(!(err instanceof MalformedResponse));
        assert.equal((err as Error & { code?: string }).code, "ECONNRESET");
        return true;
      },
      raw,
    );
    assert.deepEqual(rec.ends, [], `${JSON.stringify(raw)}: no end`);
  };
  cut("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
  cut("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
  cut("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
  cut("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
  cut("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n");
  cut("HTTP/1.1 200 OK\r\nContent-Le");
  cut("");
  cut("HTTP/1.1 100 Continue\r\n\r\n");
  // Once the body is complete, eof() is fine.
  const { parser, rec } = recorder();
  parser.push(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  parser.eof();
  assert.deepEqual(rec.ends, [true]);
});

test("reset() readies the parser for the next response on the same connection", { timeout: 10_000 }, () => {
  const { parser, rec } = recorder();
  parser.push(bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"));
  assert.equal(parser.done, true);
  assert.equal(parser.inHead, false);
  // Without reset, more bytes are not parsed as a second response.
  parser.push(bytes("HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\ntwo"));
  assert.equal(rec.heads.length, 1);

  parser.reset();
  assert.equal(parser.done, false);
  assert.equal(parser.inHead, true);
  parser.push(bytes("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"));
  assert.deepEqual(
    rec.heads.map((h) => h.status),
    [200, 202],
  );
  assert.equal(rec.body.toString("latin1"), "onetwo");
  assert.deepEqual(rec.ends, [true, true]);

  // reset() in the middle of a head (a connection reused after a failure would never do this, but a reset must
  // not carry half a head into the next response).
  const second = recorder();
  second.parser.push(bytes("HTTP/1.1 500 Internal"));
  second.parser.reset();
  second.parser.push(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));
  assert.deepEqual(
    second.rec.heads.map((h) => h.status),
    [200],
  );
  assert.deepEqual(second.rec.ends, [true]);

  // And in the middle of a chunk-size line.
  const third = recorder();
  third.parser.push(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5"));
  third.parser.reset();
  third.parser.push(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
  assert.equal(third.rec.body.toString("latin1"), "abc");
  assert.deepEqual(third.rec.ends, [true]);
});

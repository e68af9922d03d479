import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { SseDecoder } from "./sse-decoder.js";
import { SSE_DONE, sseComment, sseData, sseEvent } from "./sse-encoder.js";

type Ev = [data: string, event: string | undefined];

function decodeAll(pieces: string[]): Ev[] {
  const out: Ev[] = [];
  const d = new SseDecoder((data, event) => out.push([data, event]));
  for (const p of pieces) d.push(p);
  d.end();
  return out;
}

const STREAM =
  ": ping\n\n" +
  sseData(JSON.stringify({ a: "x\ny", b: "ü🙂" })) +
  sseEvent("message_start", "{\"k\":1}") +
  "data: line1\ndata: line2\n\n" +
  "data:nospace\n\n" +
  "id: 7\nretry: 10\n\n" +
  "event: ignored-without-data\n\n" +
  SSE_DONE;

const EXPECTED: Ev[] = [
  [JSON.stringify({ a: "x\ny", b: "ü🙂" }), undefined],
  ["{\"k\":1}", "message_start"],
  ["line1\nline2", undefined],
  ["nospace", undefined],
  ["[DONE]", undefined],
];

test("decodes data, named events, multi-line data and comments", () => {
  assert.deepEqual(decodeAll([STREAM]), EXPECTED);
});

for (const [name, eol] of [["LF", "\n"], ["CRLF", "\r\n"], ["CR", "\r"]] as const) {
  test(`same events whatever the cut position (${name} line ends)`, () => {
    const text = STREAM.replace(/\n/g, eol);
    for (let i = 0; i <= text.length; i++) {
      assert.deepEqual(decodeAll([text.slice(0, i), text.slice(i)]), EXPECTED, `cut at ${i}`);
    }
  });
}

test("same events for any split into many pieces", () => {
  const text = STREAM.replace(/\n/g, "\r\n");
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
      const sorted = [...new Set(cuts)].sort((a, b) => a - b);
      const pieces: string[] = [];
      let prev = 0;
      for (const c of sorted) {
        pieces.push(text.slice(prev, c));
        prev = c;
      }
      pieces.push(text.slice(prev));
      assert.deepEqual(decodeAll(pieces), EXPECTED);
    }),
  );
});

test("a last event without the closing blank line is still delivered at end()", () => {
  assert.deepEqual(decodeAll(["data: {\"x\":1}\ndata: 2"]), [["{\"x\":1}\n2", undefined]]);
});

test("comments are single-line whatever their text", () => {
  assert.equal(sseComment("a\nb"), ": a b\n\n");
  assert.deepEqual(decodeAll([sseComment("keep\r\nalive") + sseData("1")]), [["1", undefined]]);
});

test("pending counts what an unfinished event holds", () => {
  const d = new SseDecoder(() => {});
  d.push("data: abc");
  assert.equal(d.pending, 9);
  d.push("\n");
  assert.equal(d.pending, 3);
  d.push("\n");
  assert.equal(d.pending, 0);
});

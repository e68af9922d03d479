import { test } from "node:test";
import assert from "node:assert/strict";
import { parseWrk, wrkScript } from "./wrk.js";

const OUTPUT = `Running 2s test @ http://127.0.0.1:40000/v1/chat/completions
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.80ms  420.11us   9.87ms   91.23%
    Req/Sec     8.91k   300.12     9.30k    80.00%
  Latency Distribution
     50%    1.75ms
     75%    1.90ms
     90%    2.10ms
     99%  850.00us
  17820 requests in 2.00s, 9.61MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   8909.73
Transfer/sec:      4.80MB
`;

test("parseWrk reads rate, percentiles, and every kind of error", () => {
  const r = parseWrk(OUTPUT);
  assert.equal(r.rps, 8909.73);
  assert.equal(r.requests, 17820);
  assert.equal(r.p50ms, 1.75);
  assert.equal(r.p99ms, 0.85);
  assert.equal(r.non2xx, 4);
  assert.equal(r.socketErrors, 3);
});

test("parseWrk reports no errors when wrk prints none", () => {
  const r = parseWrk(OUTPUT.replace(/ {2}Socket errors.*\n/, "").replace(/ {2}Non-2xx.*\n/, ""));
  assert.equal(r.non2xx, 0);
  assert.equal(r.socketErrors, 0);
});

test("wrkScript posts the exact body with the headers", () => {
  const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: 'say "hi"\n' }] });
  const lua = wrkScript(body, { authorization: "Bearer k" });
  assert.match(lua, /^wrk\.method = "POST"$/m);
  assert.ok(lua.includes(`wrk.body = ${JSON.stringify(body)}`));
  assert.ok(lua.includes(`wrk.headers["authorization"] = "Bearer k"`));
});

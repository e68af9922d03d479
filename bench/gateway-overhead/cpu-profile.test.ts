import { test } from "node:test";
import assert from "node:assert/strict";
import { area, hotFunctions } from "./cpu-profile.js";

const root = "/repo";
const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

// root → handler (dist/server) → parse (node_modules/undici) ; handler → handler (recursion)
const profile = {
  nodes: [
    { id: 1, callFrame: frame("(root)", ""), children: [2, 5] },
    { id: 2, callFrame: frame("handler", "file:///repo/dist/server/app.js", 9), children: [3, 4] },
    { id: 3, callFrame: frame("parse", "file:///repo/node_modules/undici/lib/x.js", 1) },
    { id: 4, callFrame: frame("handler", "file:///repo/dist/server/app.js", 9) },
    { id: 5, callFrame: frame("(idle)", "") },
  ],
  samples: [2, 3, 4, 5, 3],
  // Each sample's time is the delta to the next one (µs); the last sample gets none.
  timeDeltas: [0, 1000, 2000, 3000, 4000],
};

test("self time goes to the sampled function, inclusive time once per stack even with recursion", () => {
  const hot = hotFunctions(profile, 10, root);
  assert.equal(hot.totalMs, 10);
  const self = Object.fromEntries(hot.self);
  assert.equal(self["handler dist/server/app.js:10"], 1 + 3);
  assert.equal(self["parse node_modules/undici/lib/x.js:2"], 2);
  assert.equal(self["(idle) :1"], 4);
  const incl = Object.fromEntries(hot.inclusive);
  assert.equal(incl["handler dist/server/app.js:10"], 6);
  assert.equal(incl["(root) :1"], 10);
});

test("areas group by the gateway's folder, package, Node internals or native", () => {
  assert.equal(area("file:///repo/dist/router/router.js", "run", root), "dist/router");
  assert.equal(area("file:///repo/node_modules/@hono/node-server/dist/index.js", "x", root), "package @hono/node-server");
  assert.equal(area("node:internal/streams/writable", "write", root), "node: internals");
  assert.equal(area("", "(garbage collector)", root), "(garbage collector)");
  assert.equal(area("", "writev", root), "native (writev)");
  const areas = Object.fromEntries(hotFunctions(profile, 10, root).areas);
  assert.equal(areas["dist/server"], 4);
  assert.equal(areas["package undici"], 2);
});

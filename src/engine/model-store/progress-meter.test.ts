import assert from "node:assert/strict";
import { test } from "node:test";
import { ProgressMeter } from "./progress-meter.js";
import type { PullProgress } from "./types.js";

test("rate and ETA come from the window of this session, not the resumed prefix", () => {
  let t = 0;
  const seen: PullProgress[] = [];
  const m = new ProgressMeter({ base: { source: "s", url: "u", path: "p" }, onProgress: (p) => seen.push(p), now: () => t, intervalMs: 0 });
  m.begin(1000, 3000, false);
  t = 1000;
  m.add(500);
  const last = seen.at(-1)!;
  assert.equal(last.bytes, 1500);
  assert.equal(last.rate, 500);
  assert.equal(last.etaSeconds, 3);
  assert.equal(last.resumedFrom, 1000);
});

test("reports are throttled between the start and the forced end", () => {
  let t = 0;
  const seen: PullProgress[] = [];
  const m = new ProgressMeter({ base: { source: "s", url: "u", path: "p" }, onProgress: (p) => seen.push(p), now: () => t, intervalMs: 100 });
  m.begin(0, null, false);
  for (let i = 0; i < 50; i++) {
    t += 10;
    m.add(1);
  }
  m.emit("done");
  assert.equal(seen.length, 1 + 5 + 1);
  assert.equal(seen.at(-1)!.etaSeconds, null);
});

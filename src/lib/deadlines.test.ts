import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Deadlines } from "./deadlines.js";

function item(log: string[], name: string, then?: () => void) {
  return {
    expire() {
      log.push(name);
      then?.();
    },
  };
}

test("items expire in deadline order, each after its own time; cleared ones never", { timeout: 10_000 }, async () => {
  const d = new Deadlines();
  const log: string[] = [];
  const started = performance.now();
  const times: Record<string, number> = {};
  const timed = (name: string) => item(log, name, () => (times[name] = performance.now() - started));
  d.add(timed("late"), 120);
  d.add(timed("early"), 30);
  const cleared = d.add(timed("cleared"), 60);
  d.add(timed("middle"), 80);
  assert.equal(d.size, 4);
  d.clear(cleared);
  d.clear(cleared); // twice is harmless
  assert.equal(d.size, 3);
  await sleep(200);
  assert.deepEqual(log, ["early", "middle", "late"]);
  assert.ok(times.early! >= 29 && times.early! < 100, `early fired at ${times.early} ms`);
  assert.ok(times.middle! >= 79, `middle fired at ${times.middle} ms`);
  assert.ok(times.late! >= 119, `late fired at ${times.late} ms`);
  assert.equal(d.size, 0);
});

test("a later, earlier deadline re-arms the timer; freed slots are reused", { timeout: 10_000 }, async () => {
  const d = new Deadlines();
  const log: string[] = [];
  const a = d.add(item(log, "a"), 5_000);
  d.add(item(log, "b"), 20);
  await sleep(80);
  assert.deepEqual(log, ["b"], "the 20 ms item did not wait for the 5 s timer");
  d.clear(a);
  const c = d.add(item(log, "c"), 5_000);
  assert.ok(c === a || c === 1, "a freed slot is taken again");
  d.clear(c);
  assert.equal(d.size, 0);
});

test("expire() may add and clear items; the table stays consistent", { timeout: 10_000 }, async () => {
  const d = new Deadlines();
  const log: string[] = [];
  let other = -1;
  d.add(
    item(log, "first", () => {
      d.add(item(log, "added by first"), 20);
      d.clear(other);
    }),
    10,
  );
  other = d.add(item(log, "cleared by first"), 40);
  await sleep(150);
  assert.deepEqual(log, ["first", "added by first"]);
  assert.equal(d.size, 0);
});

test("a clock that jumps past several deadlines expires them all in one sweep", { timeout: 10_000 }, async () => {
  let now = 0;
  const d = new Deadlines(() => now);
  const log: string[] = [];
  d.add(item(log, "x"), 10);
  d.add(item(log, "y"), 20);
  d.add(item(log, "z"), 1_000_000);
  now = 25;
  await sleep(30); // the timer (armed for 10 ms) fires; the clock says 25
  assert.deepEqual(log.sort(), ["x", "y"]);
  assert.equal(d.size, 1);
});

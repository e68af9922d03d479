import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Cancellation, linkAbort } from "./abort.js";

test("a cancellation calls each listener once, in order; removed ones are not called", () => {
  const c = new Cancellation();
  const calls: string[] = [];
  const a = { handleAbort: () => calls.push("a") };
  const b = { handleAbort: () => calls.push("b") };
  const removed = { handleAbort: () => calls.push("removed") };
  c.onAbort(a);
  c.onAbort(removed);
  c.onAbort(b);
  c.offAbort(removed);
  const reason = new Error("client went away");
  c.abort(reason);
  c.abort(new Error("again"));
  assert.deepEqual(calls, ["a", "b"]);
  assert.equal(c.aborted, true);
  assert.equal(c.reason, reason, "the first reason stays");
});

test("its AbortSignal is made on first read and follows it, before or after it fires", () => {
  const before = new Cancellation();
  const signal = before.signal;
  assert.equal(signal, before.signal, "one signal per cancellation");
  let seen: unknown;
  signal.addEventListener("abort", () => (seen = signal.reason));
  const reason = new Error("gone");
  before.abort(reason);
  assert.equal(signal.aborted, true);
  assert.equal(seen, reason);

  const after = new Cancellation();
  after.abort(reason);
  assert.equal(after.signal.aborted, true, "read after the fact: already aborted");
  assert.equal(after.signal.reason, reason);
});

test("linkAbort: the child fires on the parent's abort or on its own timer, and says which", async () => {
  const parent = new Cancellation();
  const byParent = linkAbort(parent);
  parent.abort(new Error("client"));
  assert.equal(byParent.cancel.aborted, true);
  assert.equal(byParent.reason, "client");

  const quiet = new Cancellation();
  const byTimer = linkAbort(quiet);
  byTimer.arm(20);
  await sleep(60);
  assert.equal(byTimer.cancel.aborted, true);
  assert.equal(byTimer.reason, "timeout");
  assert.equal(quiet.aborted, false, "the parent is not touched");

  const disposed = new Cancellation();
  const link = linkAbort(disposed);
  link.arm(20);
  link.dispose();
  disposed.abort(new Error("late"));
  await sleep(60);
  assert.equal(link.cancel.aborted, false, "after dispose neither the parent nor the timer reaches it");
});

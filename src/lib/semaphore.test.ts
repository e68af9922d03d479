import assert from "node:assert/strict";
import { test } from "node:test";
import { QueueFullError, Semaphore } from "./semaphore.js";

test("admits up to the limit, queues FIFO up to maxQueue, refuses beyond", async () => {
  const s = new Semaphore(2, 1);
  const r1 = await s.acquire();
  await s.acquire();
  const order: number[] = [];
  const third = s.acquire().then((r) => {
    order.push(3);
    return r;
  });
  await assert.rejects(s.acquire(), QueueFullError);
  assert.equal(s.queued, 1);
  r1();
  r1(); // a second release of the same slot is ignored
  (await third)();
  assert.deepEqual(order, [3]);
  assert.equal(s.inUse, 1);
});

test("an aborted waiter leaves the queue", async () => {
  const s = new Semaphore(1, 5);
  await s.acquire();
  const ac = new AbortController();
  const p = s.acquire(ac.signal);
  ac.abort(new Error("gone"));
  await assert.rejects(p, /gone/);
  assert.equal(s.queued, 0);
});

test("tryAcquire takes a free slot at once and never queues", () => {
  const s = new Semaphore(1, 5);
  const release = s.tryAcquire();
  assert.ok(release);
  assert.equal(s.inUse, 1);
  assert.equal(s.tryAcquire(), undefined, "no free slot: nothing taken, nothing queued");
  assert.equal(s.queued, 0);
  release();
  assert.equal(s.inUse, 0);
  assert.ok(s.tryAcquire());
});

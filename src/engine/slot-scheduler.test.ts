import { test } from "node:test";
import assert from "node:assert/strict";
import { SlotScheduler } from "./slot-scheduler.js";
import { GatewayError } from "../errors/index.js";

test("slot scheduler: FIFO hand-over, bounded queue, abort leaves the queue", async () => {
  const s = new SlotScheduler(["a", "b"], { maxQueue: 2, label: "m", retryAfterSeconds: 3 });
  const l1 = await s.acquire();
  const l2 = await s.acquire();
  assert.deepEqual([l1.slot, l2.slot], ["a", "b"]);
  const order: string[] = [];
  const w1 = s.acquire().then((l) => (order.push("w1"), l));
  const ac = new AbortController();
  const w2 = s.acquire(ac.signal);
  assert.equal(s.queued, 2);
  await assert.rejects(s.acquire(), (e: unknown) => e instanceof GatewayError && e.code === "overloaded" && e.retryAfter === 3);
  ac.abort();
  await assert.rejects(w2);
  assert.equal(s.queued, 1);
  l1.release();
  l1.release(); // idempotent
  const got = await w1;
  assert.equal(got.slot, "a");
  assert.deepEqual(order, ["w1"]);
  assert.equal(s.active, 2);
  got.release();
  l2.release();
  assert.equal(s.active, 0);
});

test("slot scheduler: a free slot is taken lowest index first, whatever the release order", async () => {
  const s = new SlotScheduler(["s0", "s1", "s2", "s3"], { maxQueue: 0, label: "m" });
  const leases = await Promise.all([0, 1, 2, 3].map(() => s.acquire()));
  assert.deepEqual(leases.map((l) => l.slot), ["s0", "s1", "s2", "s3"]);
  leases[2]!.release();
  leases[0]!.release();
  leases[3]!.release();
  const next = await Promise.all([0, 1].map(() => s.acquire()));
  assert.deepEqual(next.map((l) => l.slot), ["s0", "s2"]);
  leases[1]!.release();
  assert.equal((await s.acquire()).slot, "s1");
});

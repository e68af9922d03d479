import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryLimiter } from "./memory-limiter.js";

function clocked(start: number) {
  const clock = { now: start };
  return { clock, tick: (ms: number) => (clock.now += ms), read: () => clock.now };
}

test("rpm is an exact sliding window: the (N+1)th request gets in once the oldest is a minute old", async () => {
  const c = clocked(1_000_000);
  const l = new MemoryLimiter({ clock: c.read });
  const limits = { rpm: 3 };
  for (const at of [0, 10_000, 20_000]) {
    c.clock.now = 1_000_000 + at;
    assert.equal((await l.admit({ keyId: "k", limits, estimatedTokens: 0 })).ok, true);
  }
  c.clock.now = 1_000_000 + 59_999;
  const d = await l.admit({ keyId: "k", limits, estimatedTokens: 0 });
  assert.equal(d.ok, false);
  assert.equal(!d.ok && d.retryAfterSeconds, 1);
  c.clock.now = 1_000_000 + 60_000;
  assert.equal((await l.admit({ keyId: "k", limits, estimatedTokens: 0 })).ok, true);
  // The next slot frees when the request made at 10 s is a minute old.
  c.clock.now = 1_000_000 + 65_000;
  const d2 = await l.admit({ keyId: "k", limits, estimatedTokens: 0 });
  assert.equal(!d2.ok && d2.retryAfterSeconds, 5);
});

test("tpm refills proportionally and a release with more tokens than estimated leaves a debt", async () => {
  const c = clocked(0);
  const l = new MemoryLimiter({ clock: c.read });
  const limits = { tpm: 600 }; // 10 tokens a second
  const lease = await l.admit({ keyId: "k", limits, estimatedTokens: 600 });
  assert.ok(lease.ok);
  await lease.lease.release(900); // 300 more than charged
  c.tick(30_000); // +300 tokens: back to zero
  const d = await l.admit({ keyId: "k", limits, estimatedTokens: 100 });
  assert.equal(!d.ok && d.retryAfterSeconds, 10);
  c.tick(10_000);
  assert.equal((await l.admit({ keyId: "k", limits, estimatedTokens: 100 })).ok, true);
});

test("a new budget period is seeded again and starts from the usage table's count", async () => {
  const c = clocked(Date.parse("2026-11-28T23:59:00Z"));
  const seeds: number[] = [];
  const l = new MemoryLimiter({ clock: c.read, seedBudget: async (_k, since) => (seeds.push(since), seeds.length === 1 ? 900 : 0) });
  const limits = { budget_tokens: 1000, budget_period: "day" as const };
  assert.equal((await l.admit({ keyId: "k", limits, estimatedTokens: 100 })).ok, true);
  const spent = await l.admit({ keyId: "k", limits, estimatedTokens: 1 });
  assert.equal(!spent.ok && spent.retryAfterSeconds, 60);
  c.tick(60_000);
  assert.equal((await l.admit({ keyId: "k", limits, estimatedTokens: 500 })).ok, true);
  assert.deepEqual(seeds, [Date.parse("2026-11-28T00:00:00Z"), Date.parse("2026-11-29T00:00:00Z")]);
});

test("concurrent first requests share one seed query", async () => {
  let calls = 0;
  const l = new MemoryLimiter({ seedBudget: async () => (calls++, 0) });
  const limits = { budget_tokens: 10, budget_period: "month" as const };
  const results = await Promise.all(Array.from({ length: 20 }, () => l.admit({ keyId: "k", limits, estimatedTokens: 1 })));
  assert.equal(calls, 1);
  assert.equal(results.filter((r) => r.ok).length, 10);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { scheduleRetention } from "./retention-timer.js";
import type { PruneOptions, PruneResult } from "./types.js";

test("prunes with the configured days, repeats, reports errors, and stops", async () => {
  const calls: PruneOptions[] = [];
  const results: PruneResult[] = [];
  const errors: unknown[] = [];
  const store = {
    async prune(o: PruneOptions): Promise<PruneResult> {
      calls.push(o);
      if (calls.length === 2) throw new Error("db down");
      return { usageDeleted: 1, auditDeleted: 0 };
    },
  };
  const stop = scheduleRetention(store, { usageDays: 30, auditDays: 365, firstAfterMs: 1, everyMs: 5, onResult: (r) => results.push(r), onError: (e) => errors.push(e) });
  for (let i = 0; i < 200 && calls.length < 3; i++) await sleep(5);
  stop();
  const n = calls.length;
  await sleep(30);
  assert.equal(calls.length, n, "no run after stop");
  assert.ok(n >= 3);
  assert.deepEqual(calls[0], { usageDays: 30, auditDays: 365 });
  assert.equal(errors.length, 1);
  assert.ok(results.length >= 2);
});

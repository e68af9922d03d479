import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { storeConfigShape } from "./store-schema.js";

const schema = z.strictObject(storeConfigShape);

test("defaults: SQLite, no Redis, 90/365 days retention, 1 s flushes of up to 500 rows", () => {
  assert.deepEqual(schema.parse({}), {
    database: "sqlite",
    retention: { usage_days: 90, audit_days: 365 },
    usage: { enabled: true, flush_interval: 1000, batch_size: 500 },
  });
});

test("accepts Postgres and Redis URLs, durations and numbers from env strings", () => {
  const c = schema.parse({
    database: "postgres://u:p@db:5432/inhouse",
    redis: "redis://cache:6379",
    retention: { usage_days: "30", audit_days: 400 },
    usage: { flush_interval: "250ms", batch_size: "2000" },
  });
  assert.equal(c.database, "postgres://u:p@db:5432/inhouse");
  assert.deepEqual(c.retention, { usage_days: 30, audit_days: 400 });
  assert.deepEqual(c.usage, { enabled: true, flush_interval: 250, batch_size: 2000 });
});

test("rejects unknown keys, bad URLs and out-of-range values, naming the key", () => {
  const bad: [unknown, string][] = [
    [{ database: "mysql://x" }, "database"],
    [{ redis: "http://x" }, "redis"],
    [{ retention: { usage_days: 0 } }, "retention.usage_days"],
    [{ retention: { keep: 1 } }, "retention"],
    [{ usage: { flush_interval: "1 fortnight" } }, "usage.flush_interval"],
    [{ usage: { flush_interval: "5m" } }, "usage.flush_interval"],
    [{ usage: { batch_size: 0 } }, "usage.batch_size"],
  ];
  for (const [input, path] of bad) {
    const r = schema.safeParse(input);
    assert.equal(r.success, false, JSON.stringify(input));
    assert.equal(r.error!.issues[0]!.path.join("."), path, JSON.stringify(r.error!.issues));
  }
});

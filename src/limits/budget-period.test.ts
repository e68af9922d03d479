import { test } from "node:test";
import assert from "node:assert/strict";
import { periodEnd, periodStart } from "./budget-period.js";

const at = (iso: string) => Date.parse(iso);

test("day, week (Monday) and month boundaries are UTC calendar periods", () => {
  const now = at("2026-11-28T13:45:10.123Z"); // a Saturday
  assert.equal(periodStart("day", now), at("2026-11-28T00:00:00Z"));
  assert.equal(periodEnd("day", now), at("2026-11-29T00:00:00Z"));
  assert.equal(periodStart("week", now), at("2026-11-23T00:00:00Z"));
  assert.equal(periodEnd("week", now), at("2026-11-30T00:00:00Z"));
  assert.equal(periodStart("month", now), at("2026-11-01T00:00:00Z"));
  assert.equal(periodEnd("month", now), at("2026-12-01T00:00:00Z"));
  assert.equal(periodStart("total", now), 0);
  assert.equal(periodEnd("total", now), Number.POSITIVE_INFINITY);
});

test("a Monday starts its own week and December rolls into January", () => {
  assert.equal(periodStart("week", at("2026-11-23T00:00:00Z")), at("2026-11-23T00:00:00Z"));
  assert.equal(periodStart("week", at("2026-11-22T23:59:59Z")), at("2026-11-16T00:00:00Z"));
  assert.equal(periodEnd("month", at("2026-12-31T23:00:00Z")), at("2027-01-01T00:00:00Z"));
});

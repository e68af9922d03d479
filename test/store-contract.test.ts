// One contract for the store, run over every dialect available: SQLite always, Postgres with DATABASE_URL.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import type { KyselyPlugin } from "kysely";
import { sql } from "../src/store/kysely.js";
import { isGatewayError } from "../src/errors/index.js";
import { openStore, type Store, type StoreOptions } from "../src/store/index.js";
import { KeyRepo } from "../src/store/keys.js";
import { storeTargets } from "./store-dialects.js";

const DAY = 86_400_000;

for (const target of storeTargets()) {
  describe(`store contract: ${target.name}`, () => {
    const open: Store[] = [];
    async function fresh(extra: Partial<StoreOptions> = {}): Promise<{ store: Store; options: StoreOptions }> {
      const options = { ...target.fresh(), ...extra };
      const store = await openStore(options);
      open.push(store);
      return { store, options };
    }
    async function again(options: StoreOptions, extra: Partial<StoreOptions> = {}): Promise<Store> {
      const store = await openStore({ ...options, ...extra });
      open.push(store);
      return store;
    }
    after(async () => {
      for (const s of open) await s.close().catch(() => {});
      await target.cleanup();
    });

    test("migrates at open, and opening again is a no-op that keeps the data", async () => {
      const { store, options } = await fresh();
      assert.equal(store.dialect, target.name);
      const created = await store.createKey({ name: "team-a" });
      const second = await again(options);
      assert.deepEqual((await second.listKeys()).map((k) => k.id), [created.id]);
    });

    test("a key's secret is returned once; only its hash and a display prefix are stored", async () => {
      const { store } = await fresh();
      const created = await store.createKey({
        name: "search-app",
        models: ["chat", "qwen3-*"],
        rpm: 60,
        tpm: 10_000,
        max_concurrent: 4,
        budget_tokens: 1_000_000,
        budget_period: "month",
        in_house_only: true,
        metadata: { team: "search", cost_center: 42 },
      });
      assert.match(created.key, /^ih-[0-9A-Za-z]{40}$/);
      assert.match(created.id, /^key_/);
      assert.equal(created.prefix, created.key.slice(0, 8));
      const listed = await store.listKeys();
      assert.equal(listed.length, 1);
      const k = listed[0]!;
      assert.equal("key" in k, false);
      assert.deepEqual(k.models, ["chat", "qwen3-*"]);
      assert.equal(k.rpm, 60);
      assert.equal(k.tpm, 10_000);
      assert.equal(k.max_concurrent, 4);
      assert.equal(k.budget_tokens, 1_000_000);
      assert.equal(k.budget_period, "month");
      assert.equal(k.in_house_only, true);
      assert.deepEqual(k.metadata, { team: "search", cost_center: 42 });
      assert.equal(k.revoked_at, null);
      const raw = await store.db.selectFrom("keys").selectAll().execute();
      assert.equal(JSON.stringify(raw).includes(created.key), false, "the secret must not be stored");
    });

    test("findKeyBySecret: active, unknown, malformed, expired and revoked", async () => {
      const { store } = await fresh();
      const a = await store.createKey({ name: "a" });
      const found = await store.findKeyBySecret(a.key);
      assert.equal(found.ok, true);
      assert.equal(found.ok && found.key.id, a.id);
      assert.deepEqual(await store.findKeyBySecret(a.key), found, "a cache hit answers the same");
      assert.deepEqual(await store.findKeyBySecret("ih-" + "x".repeat(40)), { ok: false, reason: "unknown" });
      assert.deepEqual(await store.findKeyBySecret("Bearer nonsense"), { ok: false, reason: "unknown" });
      const old = await store.createKey({ name: "old", expires_at: new Date(Date.now() - 1000).toISOString() });
      assert.deepEqual(await store.findKeyBySecret(old.key), { ok: false, reason: "expired" });
      await store.revokeKey(a.id);
      assert.deepEqual(await store.findKeyBySecret(a.key), { ok: false, reason: "revoked" }, "revocation is immediate on this replica");
      assert.equal((await store.listKeys()).some((k) => k.id === a.id), false);
      const all = await store.listKeys({ includeRevoked: true });
      assert.ok(all.find((k) => k.id === a.id)?.revoked_at);
    });

    test("a key revoked on one replica stops working on another once its cache entry expires", async () => {
      const { store: a, options } = await fresh();
      const b = await again(options, { keyCacheTtlMs: 100 });
      const k = await a.createKey({ name: "shared" });
      assert.equal((await b.findKeyBySecret(k.key)).ok, true);
      await a.revokeKey(k.id);
      await sleep(150);
      assert.deepEqual(await b.findKeyBySecret(k.key), { ok: false, reason: "revoked" });
    });

    test("invalid key settings are invalid_request errors naming the field", async () => {
      const { store } = await fresh();
      const cases: [Record<string, unknown>, string][] = [
        [{ name: "" }, "name"],
        [{ name: "x", rpm: 0 }, "rpm"],
        [{ name: "x", tpm: 1.5 }, "tpm"],
        [{ name: "x", budget_period: "year", budget_tokens: 5 }, "budget_period"],
        [{ name: "x", budget_tokens: 5 }, "budget_period"],
        [{ name: "x", expires_at: "tomorrow" }, "expires_at"],
        [{ name: "x", colour: "red" }, ""],
      ];
      for (const [input, param] of cases) {
        await assert.rejects(store.createKey(input as never), (err: unknown) => {
          assert.ok(isGatewayError(err), String(err));
          assert.equal(err.code, "invalid_request");
          if (param) assert.equal(err.param, param, JSON.stringify(input));
          return true;
        });
      }
      assert.equal((await store.listKeys()).length, 0);
    });

    test("revoking is idempotent and an unknown id answers undefined", async () => {
      const { store } = await fresh();
      const k = await store.createKey({ name: "k" });
      const first = await store.revokeKey(k.id);
      const second = await store.revokeKey(k.id);
      assert.equal(first?.revoked_at, second?.revoked_at);
      assert.equal(await store.revokeKey("key_nope"), undefined);
      const actions = (await store.audit.list({})).map((r) => r.action);
      assert.deepEqual(actions, ["key.revoke", "key.create"]);
    });

    test("usage rows are batched, flushed and summarised by key, model and day", async () => {
      const { store } = await fresh({ usage: { flushIntervalMs: 60_000, batchSize: 10_000 } });
      const t0 = Date.parse("2026-11-20T10:00:00Z");
      const expect = new Map<string, { requests: number; prompt: number; completion: number }>();
      for (let i = 0; i < 300; i++) {
        const key = `key_${i % 3}`;
        const row = { time: t0 + (i % 2) * DAY, request_id: `req_${i}`, key_id: key, alias: "chat", backend: "local", model: i % 5 === 0 ? "m-a" : "m-b", prompt_tokens: i, completion_tokens: 2 * i, latency_ms: 12.4, ttft_ms: 3, status: 200, attempts: 1, language: "en" };
        store.usage.record(row);
        const e = expect.get(key) ?? { requests: 0, prompt: 0, completion: 0 };
        expect.set(key, { requests: e.requests + 1, prompt: e.prompt + i, completion: e.completion + 2 * i });
      }
      assert.equal(store.usage.stats().buffered, 300, "nothing is written before a flush");
      await store.usage.flush();
      assert.deepEqual(store.usage.stats(), { buffered: 0, written: 300, dropped: 0, flushErrors: 0, lastError: null });

      const byKey = await store.usageSummary({ group_by: "key" });
      assert.deepEqual(
        byKey.rows,
        [...expect].sort().map(([key_id, e]) => ({ key_id, requests: e.requests, prompt_tokens: e.prompt, completion_tokens: e.completion })),
      );
      const byModel = await store.usageSummary({ group_by: "model" });
      assert.deepEqual(byModel.rows.map((r) => [r.model, r.requests]), [["m-a", 60], ["m-b", 240]]);
      const byDay = await store.usageSummary({ group_by: "day" });
      assert.deepEqual(byDay.rows.map((r) => [r.day, r.requests]), [["2026-11-20", 150], ["2026-11-21", 150]]);
      const since = await store.usageSummary({ group_by: "day", since: "2026-11-21T00:00:00Z" });
      assert.deepEqual(since.rows.map((r) => r.day), ["2026-11-21"]);
      const until = await store.usageSummary({ group_by: "key", until: t0 + 1 });
      assert.equal(until.rows.reduce((n, r) => n + r.requests, 0), 150);
      const one = await store.usageSummary({ group_by: "model", key_id: "key_0" });
      assert.equal(one.rows.reduce((n, r) => n + r.requests, 0), 100);
      await assert.rejects(store.usageSummary({ group_by: "day", since: "yesterday" }), (e: unknown) => isGatewayError(e) && e.param === "since");
      await assert.rejects(store.usageSummary({ group_by: "team" as never }), (e: unknown) => isGatewayError(e) && e.param === "group_by");
    });

    test("tokensUsed sums a key's prompt and completion tokens from a time on (budgets)", async () => {
      const { store } = await fresh();
      const now = Date.now();
      store.usage.record({ time: now - 10 * DAY, request_id: "r0", key_id: "k", prompt_tokens: 1000, completion_tokens: 1000, status: 200 });
      store.usage.record({ time: now - 1000, request_id: "r1", key_id: "k", prompt_tokens: 10, completion_tokens: 5, status: 200 });
      store.usage.record({ time: now, request_id: "r2", key_id: "k", prompt_tokens: 7, completion_tokens: 3, status: 200 });
      store.usage.record({ time: now, request_id: "r3", key_id: "other", prompt_tokens: 99, completion_tokens: 1, status: 200 });
      await store.usage.flush();
      assert.equal(await store.tokensUsed("k", now - DAY), 25);
      assert.equal(await store.tokensUsed("k", 0), 2025);
      assert.equal(await store.tokensUsed("nobody", 0), 0);
    });

    test("a full batch flushes without waiting for the timer, and close() writes the rest", async () => {
      const { store, options } = await fresh({ usage: { flushIntervalMs: 60_000, batchSize: 50 } });
      for (let i = 0; i < 120; i++) store.usage.record({ request_id: `r${i}`, key_id: "k", prompt_tokens: 1, status: 200 });
      for (let i = 0; i < 100 && store.usage.stats().written < 100; i++) await sleep(10);
      assert.ok(store.usage.stats().written >= 100, JSON.stringify(store.usage.stats()));
      await store.close();
      store.usage.record({ request_id: "late", status: 200 });
      assert.equal(store.usage.stats().dropped, 1, "a row after close is counted, not lost silently");
      const reader = await again(options);
      assert.equal((await reader.usageSummary({ group_by: "key" })).rows[0]?.requests, 120);
    });

    test("audit records chain by hash and list filters by action, time and seq", async () => {
      const { store } = await fresh();
      // Appends issued together are group-committed; the chain must still be one sequence.
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          store.audit.append({ actor: "admin", action: i % 4 === 0 ? "policy.block" : "config.load", subject: `s${i}`, details: { i, nested: { z: 1, a: [1, 2] } } }),
        ),
      );
      const records = await store.audit.list({ limit: 1000 });
      assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 40 }, (_, i) => 40 - i));
      for (let i = 0; i < records.length - 1; i++) assert.equal(records[i]!.prev_hash, records[i + 1]!.hash);
      assert.equal(records.at(-1)!.prev_hash, "0".repeat(64));
      assert.deepEqual(records.at(-1)!.details, { i: 0, nested: { a: [1, 2], z: 1 } });
      assert.deepEqual(await store.audit.verify(), { ok: true, checked: 40 });
      const blocks = await store.audit.list({ action: "policy.block", limit: 3 });
      assert.equal(blocks.length, 3);
      assert.ok(blocks.every((r) => r.action === "policy.block"));
      const page = await store.audit.list({ before_seq: 10, limit: 5 });
      assert.deepEqual(page.map((r) => r.seq), [9, 8, 7, 6, 5]);
      assert.equal((await store.audit.list({ since: Date.now() + DAY })).length, 0);
    });

    test("two processes appending at once keep one valid chain", async () => {
      const { store, options } = await fresh();
      const child = spawn(process.execPath, ["--import", "tsx", "test/store-audit-child.ts", JSON.stringify(options), "30"], { stdio: ["pipe", "pipe", "inherit"] });
      const lines = createInterface({ input: child.stdout! });
      const next = () => new Promise<string>((resolve) => lines.once("line", resolve));
      assert.equal(await next(), "ready");
      const done = next();
      child.stdin!.write("go\n");
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.audit.append({ actor: "parent", action: "config.load", subject: `p${i}`, details: { i } })));
      assert.equal(await done, "done");
      const records = await store.audit.list({ limit: 1000 });
      assert.equal(records.length, 60);
      assert.equal(records.filter((r) => r.actor === "child").length, 30);
      assert.deepEqual(await store.audit.verify(), { ok: true, checked: 60 });
    });

    test("verify finds the first tampered, deleted or reordered record", async () => {
      const { store } = await fresh();
      for (let i = 0; i < 10; i++) await store.audit.append({ actor: "admin", action: "key.create", subject: `k${i}`, details: { n: i } });
      await store.db.updateTable("audit").set({ details: '{"n":400}' }).where("seq", "=", 6).execute();
      assert.deepEqual(await store.audit.verify(), { ok: false, checked: 5, firstBadSeq: 6, reason: "hash does not match the record's content" });
      await store.db.deleteFrom("audit").where("seq", "=", 6).execute();
      const gap = await store.audit.verify();
      assert.equal(gap.ok, false);
      assert.equal(gap.firstBadSeq, 7);
      await store.db.updateTable("audit").set({ actor: "mallory" }).where("seq", "=", 2).execute();
      assert.equal((await store.audit.verify()).firstBadSeq, 2);
    });

    test("pruning deletes old usage in batches and old audit records, keeping the chain verifiable", async () => {
      const { store } = await fresh();
      const now = Date.now();
      for (let i = 0; i < 25; i++) store.usage.record({ time: now - 40 * DAY + i, request_id: `old${i}`, status: 200 });
      for (let i = 0; i < 5; i++) store.usage.record({ time: now - DAY, request_id: `new${i}`, status: 200 });
      await store.usage.flush();
      for (let i = 0; i < 7; i++) await store.audit.append({ actor: "admin", action: "config.load", details: { i } });

      const first = await store.prune({ usageDays: 30, auditDays: 30, batchSize: 4, now });
      assert.deepEqual(first, { usageDeleted: 25, auditDeleted: 0 });
      // Seen from 100 days on, every audit record is old: all go, the anchor keeps the head's hash.
      const head = (await store.audit.list({ limit: 1 }))[0]!;
      const second = await store.prune({ auditDays: 30, batchSize: 3, now: now + 100 * DAY });
      assert.equal(second.auditDeleted, 7);
      assert.deepEqual(await store.audit.verify(), { ok: true, checked: 0 });
      const next = await store.audit.append({ actor: "admin", action: "key.create" });
      assert.equal(next.seq, head.seq + 1);
      assert.equal(next.prev_hash, head.hash);
      assert.deepEqual(await store.audit.verify(), { ok: true, checked: 1 });
      await store.db.updateTable("store_meta").set({ value: JSON.stringify({ seq: head.seq, hash: "f".repeat(64) }) }).execute();
      assert.deepEqual(await store.audit.verify(), { ok: false, checked: 0, firstBadSeq: next.seq, reason: "prev_hash does not match the previous record" });
      const left = await sql<{ n: number }>`select count(*) as n from usage`.execute(store.db);
      assert.equal(Number(left.rows[0]!.n), 5);
    });

    test("a partial audit prune removes only the old prefix and the rest still verifies", async () => {
      let now = Date.now() - 60 * DAY;
      const { store } = await fresh({ clock: () => now });
      for (let i = 0; i < 4; i++) await store.audit.append({ actor: "admin", action: "config.load", details: { i } });
      now = Date.now();
      for (let i = 4; i < 7; i++) await store.audit.append({ actor: "admin", action: "config.load", details: { i } });
      assert.deepEqual(await store.prune({ auditDays: 30, batchSize: 3 }), { usageDeleted: 0, auditDeleted: 4 });
      assert.deepEqual((await store.audit.list({})).map((r) => r.seq), [7, 6, 5]);
      assert.deepEqual(await store.audit.verify(), { ok: true, checked: 3 });
      // Pruned history put back (or the anchor moved) shows.
      await store.db.insertInto("audit").values({ seq: 1, time: 0, actor: "x", action: "x", subject: null, details: "{}", prev_hash: "0".repeat(64), hash: "0".repeat(64) }).execute();
      assert.equal((await store.audit.verify()).ok, false);
    });

    if (target.name === "postgres") {
      // Needs two connections at once (a lookup held mid-read while a revocation commits): Postgres only,
      // SQLite has one connection and serialises the two.
      test("a lookup that read the key before its revocation does not cache it as active", async () => {
        const { store } = await fresh();
        let release!: () => void;
        let held!: () => void;
        const heldRead = new Promise<void>((r) => (held = r));
        let armed = false;
        const gate: KyselyPlugin = {
          transformQuery: (args) => args.node,
          async transformResult(args) {
            if (armed) {
              armed = false;
              held();
              await new Promise<void>((r) => (release = r));
            }
            return args.result;
          },
        };
        const repo = new KeyRepo(store.db.withPlugin(gate), store.audit);
        const k = await repo.create({ name: "racy" });
        armed = true;
        const lookup = repo.findBySecret(k.key); // reads "active", then waits at the gate
        await heldRead;
        await repo.revoke(k.id);
        release();
        assert.equal((await lookup).ok, true, "the read that began before the revocation may still answer active");
        assert.deepEqual(await repo.findBySecret(k.key), { ok: false, reason: "revoked" });
      });

      test("connections killed by the server (a restart) neither crash the process nor lose later writes", async () => {
        const { store, options } = await fresh();
        await store.listKeys(); // the pool now holds an idle connection
        const admin = await again(options);
        // Every connection of this test's schema (and only those: other suites share the server).
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${`inhouse:${options.schema}`} and pid <> pg_backend_pid()`.execute(admin.db);
        await sleep(100);
        store.usage.record({ request_id: "after-restart", status: 200 });
        // The first attempt may meet a connection that died; the writer keeps the rows and the next works.
        await store.usage.flush().catch(() => store.usage.flush());
        assert.equal(store.usage.stats().buffered, 0);
        const fresh3 = await again(options);
        assert.equal((await fresh3.usageSummary({ group_by: "key" })).rows[0]?.requests, 1);
      });
    }
  });
}

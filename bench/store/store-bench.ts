// Store and limiter costs, each beside a reference measured in the same run:
//   usage batch insert rows/s (UsageWriter vs the raw driver), findKeyBySecret cache hits (vs one sha256),
//   limiter admit+release (memory vs Redis, vs a Redis PING), and what a SIGKILL loses from the usage buffer.
// Run: node --import tsx bench/store/store-bench.ts [--quick]
// Postgres and Redis come from DATABASE_URL / REDIS_URL (defaults: the CI services on 127.0.0.1).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import SQLite from "better-sqlite3";
import { Redis } from "ioredis";
import pg from "pg";
import { randomBase62 } from "../../src/lib/ids.js";
import { MemoryLimiter, RedisLimiter, type Limiter } from "../../src/limits/index.js";
import { hashSecret } from "../../src/store/key-secret.js";
import { openStore, type Store, type StoreOptions } from "../../src/store/index.js";

const quick = process.argv.includes("--quick");
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const ROWS = quick ? 20_000 : 100_000;

function table(title: string, head: string[], body: (string | number)[][]): void {
  const cells = [head, ...body.map((r) => r.map(String))];
  const width = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  console.log(`\n${title}\n`);
  cells.forEach((r, n) => {
    console.log(`| ${r.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join(" | ")} |`);
    if (n === 0) console.log(`|${width.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`);
  });
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function usageRow(i: number) {
  return { time: Date.now(), request_id: `req_${i}`, key_id: `key_${i % 50}`, alias: "chat", backend: "local", model: "qwen3-0.6b", prompt_tokens: 100 + (i % 7), completion_tokens: 20, latency_ms: 42, ttft_ms: 9, status: 200, policy_action: null, attempts: 1, language: "en" };
}

/** Time to push ROWS rows through UsageWriter.record() and flush them all. */
async function writerRate(store: Store): Promise<{ rowsPerS: number; recordNs: number }> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ROWS; i++) store.usage.record(usageRow(i));
  const t1 = process.hrtime.bigint();
  await store.usage.flush();
  const t2 = process.hrtime.bigint();
  const stats = store.usage.stats();
  if (stats.written !== ROWS || stats.dropped !== 0) throw new Error(`writer lost rows: ${JSON.stringify(stats)}`);
  return { rowsPerS: ROWS / (Number(t2 - t0) / 1e9), recordNs: Number(t1 - t0) / ROWS };
}

async function sqliteReference(dir: string): Promise<number> {
  const db = new SQLite(join(dir, "raw.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("create table usage (id integer primary key autoincrement, time integer, request_id text, key_id text, alias text, backend text, model text, prompt_tokens integer, completion_tokens integer, latency_ms integer, ttft_ms integer, status integer, policy_action text, attempts integer, language text)");
  const insert = db.prepare("insert into usage (time, request_id, key_id, alias, backend, model, prompt_tokens, completion_tokens, latency_ms, ttft_ms, status, policy_action, attempts, language) values (@time, @request_id, @key_id, @alias, @backend, @model, @prompt_tokens, @completion_tokens, @latency_ms, @ttft_ms, @status, @policy_action, @attempts, @language)");
  const all = Array.from({ length: ROWS }, (_, i) => usageRow(i));
  const t0 = process.hrtime.bigint();
  db.transaction(() => {
    for (const r of all) insert.run(r);
  })();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return ROWS / secs;
}

async function pgReference(schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  await client.query("create table raw_usage (id bigserial primary key, time bigint, request_id text, key_id text, alias text, backend text, model text, prompt_tokens int, completion_tokens int, latency_ms int, ttft_ms int, status int, policy_action text, attempts int, language text)");
  const all = Array.from({ length: ROWS }, (_, i) => usageRow(i));
  const t0 = process.hrtime.bigint();
  await client.query("begin");
  for (let i = 0; i < all.length; i += 1000) {
    const chunk = all.slice(i, i + 1000);
    const params: unknown[] = [];
    const values = chunk.map((r) => {
      const row = [r.time, r.request_id, r.key_id, r.alias, r.backend, r.model, r.prompt_tokens, r.completion_tokens, r.latency_ms, r.ttft_ms, r.status, r.policy_action, r.attempts, r.language];
      const start = params.length;
      params.push(...row);
      return `(${row.map((_, j) => `$${start + j + 1}`).join(",")})`;
    });
    await client.query(`insert into raw_usage (time, request_id, key_id, alias, backend, model, prompt_tokens, completion_tokens, latency_ms, ttft_ms, status, policy_action, attempts, language) values ${values.join(",")}`, params);
  }
  await client.query("commit");
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await client.end();
  return ROWS / secs;
}

/** ns per call of fn over n calls (after a warm-up of n/10). */
async function nsPerOp(n: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < n / 10; i++) await fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - t0) / n;
}

function nsPerOpSync(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < n / 10; i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / n;
}

async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists "${schema}" cascade`);
  await c.end();
}

async function insertBench(dir: string, havePg: boolean): Promise<void> {
  const body: (string | number)[][] = [];
  const sqliteStore = await openStore({ database: "sqlite", dataDir: dir, usage: { flushIntervalMs: 60_000, batchSize: 1_000_000 } });
  const s = await writerRate(sqliteStore);
  await sqliteStore.close();
  const sRef = await sqliteReference(dir);
  body.push(["SQLite (WAL, synchronous=NORMAL)", fmt(s.rowsPerS), fmt(sRef), fmt(s.rowsPerS / sRef, 2), fmt(s.recordNs)]);
  if (havePg) {
    const schema = `bench_${randomBase62(8).toLowerCase()}`;
    try {
      const pgStore = await openStore({ database: PG_URL, dataDir: dir, schema, usage: { flushIntervalMs: 60_000, batchSize: 1_000_000 } });
      const p = await writerRate(pgStore);
      await pgStore.close();
      const pRef = await pgReference(schema);
      body.push(["Postgres 15 (loopback)", fmt(p.rowsPerS), fmt(pRef), fmt(p.rowsPerS / pRef, 2), fmt(p.recordNs)]);
    } finally {
      await dropSchema(schema);
    }
  }
  table(
    `Usage batch insert: ${fmt(ROWS)} rows through UsageWriter (one transaction) vs the raw driver`,
    ["database", "UsageWriter rows/s", "raw driver rows/s", "ratio", "record() ns/row incl. building it"],
    body,
  );
}

async function keyBench(dir: string, havePg: boolean): Promise<void> {
  const body: (string | number)[][] = [];
  const n = quick ? 200_000 : 1_000_000;
  const secretForHash = "ih-" + randomBase62(40);
  const shaNs = nsPerOpSync(n / 4, () => hashSecret(secretForHash));
  const map = new Map([[secretForHash, 1]]);
  const mapNs = nsPerOpSync(n, () => map.get(secretForHash));
  const targets: [string, StoreOptions][] = [["SQLite", { database: "sqlite", dataDir: dir }]];
  const schema = `bench_${randomBase62(8).toLowerCase()}`;
  if (havePg) targets.push(["Postgres", { database: PG_URL, dataDir: dir, schema }]);
  try {
    for (const [name, options] of targets) {
      const store = await openStore(options);
      const { key } = await store.createKey({ name: "bench" });
      const hitNs = await nsPerOp(n, () => store.findKeyBySecret(key));
      // A miss goes to the database: a fresh unknown secret each time (never cached).
      const misses = quick ? 500 : 2000;
      const unknown = Array.from({ length: misses + misses / 10 }, () => "ih-" + randomBase62(40));
      const missNs = await nsPerOp(misses, (i) => store.findKeyBySecret(unknown[i]!));
      body.push([name, fmt(hitNs), fmt(shaNs), fmt(hitNs / shaNs, 2), fmt(missNs / 1000, 1)]);
      await store.close();
    }
  } finally {
    if (havePg) await dropSchema(schema);
  }
  table(
    `findKeyBySecret: cache hit vs one sha256 of the secret (reference; a bare Map.get is ${fmt(mapNs, 1)} ns)`,
    ["database", "hit ns/call", "sha256 ns", "ratio", "miss µs/call (DB query)"],
    body,
  );
}

async function limiterBench(): Promise<void> {
  const limits = { rpm: 1e9, tpm: 1e12, max_concurrent: 1e6, budget_tokens: 1e15, budget_period: "month" as const };
  const body: (string | number)[][] = [];
  const memory = new MemoryLimiter({ seedBudget: async () => 0 });
  const n = quick ? 200_000 : 1_000_000;
  const cycle = (l: Limiter, keyId: string, lim: object) => async () => {
    const a = await l.admit({ keyId, limits: lim, estimatedTokens: 100 });
    if (!a.ok) throw new Error(a.message);
    await a.lease.release(120);
  };
  const memAll = await nsPerOp(n, cycle(memory, "k", limits));
  // rpm within the exact ring (≤ 1,000) never refuses here because the clock moves 100 ms per call.
  let fake = Date.now();
  const ringLimiter = new MemoryLimiter({ seedBudget: async () => 0, clock: () => (fake += 100) });
  const ringLimits = { ...limits, rpm: 1000 };
  const memRing = await nsPerOp(n, cycle(ringLimiter, "k", ringLimits));
  const memNone = await nsPerOp(n, cycle(memory, "free", {}));
  let redisOk = true;
  let redis: RedisLimiter | undefined;
  let raw: Redis | undefined;
  try {
    redis = await RedisLimiter.connect({ url: REDIS_URL, prefix: `inhouse:bench:${randomBase62(6)}:` });
    raw = new Redis(REDIS_URL);
  } catch {
    redisOk = false;
  }
  body.push(["  reference: memory, a key without limits", fmt(memNone), "", fmt(1, 2), "", ""]);
  body.push(["memory, rpm (exact, ≤1,000)+tpm+concurrency+budget", fmt(memRing), "", fmt(memRing / memNone, 2), "", ""]);
  body.push(["memory, rpm (by second, >1,000)+tpm+concurrency+budget", fmt(memAll), "", fmt(memAll / memNone, 2), "", ""]);
  if (redisOk && redis && raw) {
    const m = quick ? 2000 : 10_000;
    const pingNs = await nsPerOp(m, () => raw!.ping());
    const redisNs = await nsPerOp(m, cycle(redis, "k", limits));
    // Throughput with 64 admissions in flight (many requests at once on one replica).
    const total = quick ? 5000 : 20_000;
    let next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next++ < total) await cycle(redis!, `k${next % 16}`, limits)();
      }),
    );
    const perS = total / (Number(process.hrtime.bigint() - t0) / 1e9);
    const pipelinedPing = await (async () => {
      let k = 0;
      const s = process.hrtime.bigint();
      await Promise.all(Array.from({ length: 64 }, async () => { while (k++ < total) await raw!.ping(); }));
      return total / (Number(process.hrtime.bigint() - s) / 1e9);
    })();
    body.push(["Redis 7 (loopback), rpm (by second)+tpm+concurrency+budget", fmt(redisNs), fmt(pingNs), fmt(redisNs / pingNs, 2), fmt(perS), fmt(perS / pipelinedPing, 2)]);
    body.push(["  reference: Redis PING", fmt(pingNs), fmt(pingNs), "1.00", fmt(pipelinedPing), "1.00"]);
    await redis.close();
    await raw.quit();
  } else body.push(["Redis", "not available", "", "", "", ""]);
  table(
    "Limiter: one admit + release (Redis: 2 round trips), sequential ns per cycle (memory: ratio to a key without limits, i.e. the interface alone; Redis: to a PING); cycles/s with 64 in flight",
    ["limiter", "ns/cycle", "PING ns", "ratio to reference", "cycles/s @64", "ratio to PING/s @64"],
    body,
  );
}

/** Audit appends: one at a time (each its own locked transaction) vs 64 at once (group commit). */
async function auditBench(dir: string, havePg: boolean): Promise<void> {
  const body: (string | number)[][] = [];
  const n = quick ? 300 : 1000;
  const targets: [string, StoreOptions][] = [["SQLite", { database: "sqlite", dataDir: join(dir, "audit") }]];
  const schema = `bench_${randomBase62(8).toLowerCase()}`;
  if (havePg) targets.push(["Postgres", { database: PG_URL, dataDir: dir, schema }]);
  try {
    for (const [name, options] of targets) {
      const store = await openStore(options);
      const entry = (i: number) => ({ actor: "bench", action: "policy.block", subject: `req_${i}`, details: { detector: "email", count: 1 } });
      let t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await store.audit.append(entry(i));
      const seqPerS = n / (Number(process.hrtime.bigint() - t0) / 1e9);
      t0 = process.hrtime.bigint();
      let next = 0;
      await Promise.all(Array.from({ length: 64 }, async () => { while (next < n * 4) await store.audit.append(entry(next++)); }));
      const grpPerS = (n * 4) / (Number(process.hrtime.bigint() - t0) / 1e9);
      t0 = process.hrtime.bigint();
      const verified = await store.audit.verify();
      const verifyPerS = verified.checked / (Number(process.hrtime.bigint() - t0) / 1e9);
      if (!verified.ok) throw new Error(`chain broken: ${JSON.stringify(verified)}`);
      body.push([name, fmt(seqPerS), fmt(grpPerS), fmt(grpPerS / seqPerS, 2), fmt(verifyPerS)]);
      await store.close();
    }
  } finally {
    if (havePg) await dropSchema(schema);
  }
  table("Audit log: appends/s one at a time (reference) vs 64 concurrent (group commit), and verify() records/s", ["database", "sequential/s", "64 concurrent/s", "ratio", "verify records/s"], body);
}

/** A child records usage at a steady rate with the given flush interval; we SIGKILL it and count. */
async function crashBench(dir: string, havePg: boolean): Promise<void> {
  const body: (string | number)[][] = [];
  const runs: [string, number, StoreOptions][] = [];
  for (const intervalMs of [200, 1000]) runs.push(["SQLite", intervalMs, { database: "sqlite", dataDir: join(dir, `crash-${intervalMs}`) }]);
  const schemas: string[] = [];
  if (havePg) {
    for (const intervalMs of [200, 1000]) {
      const schema = `bench_${randomBase62(8).toLowerCase()}`;
      schemas.push(schema);
      runs.push(["Postgres", intervalMs, { database: PG_URL, dataDir: dir, schema }]);
    }
  }
  try {
    for (const [name, intervalMs, options] of runs) {
      const child = spawn(process.execPath, ["--import", "tsx", new URL("./crash-child.ts", import.meta.url).pathname, JSON.stringify(options), String(intervalMs)], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const lines = createInterface({ input: child.stdout! });
      let recorded = 0;
      let ready = false;
      lines.on("line", (l) => {
        if (l === "ready") ready = true;
        else recorded = Number(l);
      });
      for (let i = 0; i < 500 && !ready; i++) await sleep(20);
      // A random moment within the flush cycle, after a few cycles.
      await sleep(2000 + Math.random() * intervalMs);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const store = await openStore(options);
      const written = (await store.usageSummary({ group_by: "key" })).rows.reduce((n, r) => n + r.requests, 0);
      await store.close();
      // The child records 10 rows every 10 ms: lost rows / 1 row per ms = ms of traffic lost.
      body.push([name, `${intervalMs} ms`, fmt(recorded), fmt(written), fmt(recorded - written)]);
    }
  } finally {
    for (const schema of schemas) await dropSchema(schema);
  }
  table(
    "SIGKILL mid-load: usage rows a child recorded (1 row per ms) vs rows in the database afterwards; lost rows ≈ ms of traffic",
    ["database", "flush interval", "recorded", "in database", "lost"],
    body,
  );
}

const dir = mkdtempSync(join(tmpdir(), "inhouse-store-bench-"));
try {
  const havePg = await pgAvailable();
  console.log(`store bench (${quick ? "quick" : "full"}), node ${process.version}, Postgres ${havePg ? "yes" : "not available"}, load average ${loadavg().map((n) => n.toFixed(1)).join(" ")} on ${cpus().length} cores`);
  await insertBench(dir, havePg);
  await keyBench(dir, havePg);
  await auditBench(dir, havePg);
  await limiterBench();
  await crashBench(dir, havePg);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

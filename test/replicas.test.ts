// Two gateway processes on different ports sharing Postgres and Redis under concurrent load: limits hold
// across both, usage totals match what clients received, and a replica killed with SIGKILL loses at most
// the usage of its last flush interval. Runs when DATABASE_URL and REDIS_URL are set (.ci/run sets them).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { chatCompletion, startFakeUpstream, USAGE, type FakeUpstream } from "./fixtures/fake-upstream.js";
import { spawnGateway, type GatewayProcess } from "./helpers/process.js";

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const BIN = new URL("../bin/inhouse.js", import.meta.url).pathname;
const ADMIN = "ih-admin-replica-test-key-0123456789";
const FLUSH_MS = 300;

describe("two replicas on Postgres + Redis", { skip: !DATABASE_URL || !REDIS_URL ? "DATABASE_URL and REDIS_URL not set" : false }, () => {
  const dbName = `inhouse_replicas_${process.pid}_${Date.now()}`;
  let dbUrl: string;
  let up: FakeUpstream;
  let a: GatewayProcess;
  let b: GatewayProcess;
  let yaml: string;

  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  before(async () => {
    await admin(`CREATE DATABASE ${dbName}`);
    const u = new URL(DATABASE_URL!);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
    up = await startFakeUpstream();
    yaml = `
database: ${dbUrl}
redis: ${REDIS_URL}
usage: { flush_interval: ${FLUSH_MS}ms }
log: { level: warn }
backends:
  up: { type: openai, base_url: ${up.url} }
models:
  chat: { targets: [up/m] }
`;
    // Both replicas migrate at once: the migrator's lock must make that safe.
    const started = await Promise.allSettled([spawnGateway(yaml, { INHOUSE_ADMIN_KEY: ADMIN }), spawnGateway(yaml, { INHOUSE_ADMIN_KEY: ADMIN })]);
    // Keep whichever started, so that after() stops it even when the other did not (else it holds the run open).
    [a, b] = started.map((r) => (r.status === "fulfilled" ? r.value : undefined)) as [GatewayProcess, GatewayProcess];
    for (const r of started) if (r.status === "rejected") throw r.reason;
  });

  after(async () => {
    for (const g of [a, b]) if (g && g.child.exitCode === null && g.child.signalCode === null) g.child.kill("SIGTERM");
    await Promise.all([a?.exited, b?.exited]);
    await up?.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  });

  const createKey = (...flags: string[]) => {
    const r = spawnSync(process.execPath, [BIN, "keys", "create", "--name", `k${Math.random()}`, "--json", ...flags], {
      encoding: "utf8",
      env: { ...process.env, INHOUSE_CONFIG: "", INHOUSE_DATA_DIR: a.dir },
      input: "",
      cwd: a.dir,
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { id: string; key: string };
  };
  const cliConfig = () => ["--config", `${a.dir}/inhouse.yaml`];
  const chat = (g: GatewayProcess, key: string) =>
    fetch(`${g.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hi" }] }),
    });

  test("an rpm limit of N admits N (±1) across both replicas", async () => {
    const { key } = createKey("--rpm", "20", ...cliConfig());
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => chat(i % 2 ? a : b, key)));
    const ok = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    assert.ok(ok >= 19 && ok <= 21, `admitted ${ok}`);
    assert.equal(ok + limited.length, 60);
    assert.ok(limited.every((r) => Number(r.headers.get("retry-after")) >= 1));
  });

  test("a token budget holds across both replicas", async () => {
    const { key } = createKey("--budget-tokens", String(5 * USAGE.total_tokens), "--budget-period", "day", ...cliConfig());
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await chat(i % 2 ? a : b, key)).status);
    const ok = statuses.filter((s) => s === 200).length;
    assert.ok(ok >= 5 && ok <= 6, statuses.join(","));
    assert.equal(statuses.at(-1), 429);
  });

  test("usage totals equal the sum of what clients received; SIGKILL loses at most one flush interval", async () => {
    const ka = createKey(...cliConfig());
    const kb = createKey(...cliConfig());
    up.respond({ delay: 2, json: chatCompletion() });
    const received = { a: 0, b: 0 };
    const completedAt: number[] = [];
    let killedAt = 0;
    const deadline = Date.now() + 15_000;
    // 8 concurrent loops per replica, bounded in count and time; replica b is killed mid-way.
    const loop = async (g: GatewayProcess, key: string, side: "a" | "b", count: number) => {
      for (let i = 0; i < count && Date.now() < deadline; i++) {
        if (side === "b" && killedAt) return;
        const r = await chat(g, key).catch(() => null);
        if (!r || r.status !== 200) continue;
        const body = (await r.json().catch(() => null)) as { usage?: { total_tokens: number } } | null;
        if (!body?.usage) continue;
        received[side] += body.usage.total_tokens;
        if (side === "b") completedAt.push(Date.now());
      }
    };
    const killer = new Promise<void>((resolve) =>
      setTimeout(() => {
        killedAt = Date.now();
        b.child.kill("SIGKILL");
        resolve();
      }, 1500),
    );
    await Promise.all([...Array.from({ length: 8 }, () => loop(a, ka.key, "a", 60)), ...Array.from({ length: 8 }, () => loop(b, kb.key, "b", 1000)), killer]);
    await b.exited;
    // a shuts down gracefully: everything it completed is flushed.
    a.child.kill("SIGTERM");
    assert.equal(await a.exited, 0);

    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const total = async (keyId: string) =>
      Number((await c.query("select coalesce(sum(prompt_tokens + completion_tokens), 0) as t from usage where key_id = $1", [keyId])).rows[0].t);
    const [recordedA, recordedB] = [await total(ka.id), await total(kb.id)];
    await c.end();
    assert.equal(recordedA, received.a, "graceful replica: usage equals what clients received");
    const lostB = received.b - recordedB;
    const lastWindow = completedAt.filter((t) => t >= killedAt - FLUSH_MS - 50).length * USAGE.total_tokens;
    assert.ok(received.b > 0 && lostB >= 0, `b received ${received.b}, recorded ${recordedB}`);
    assert.ok(lostB <= lastWindow, `lost ${lostB} tokens; the last flush interval held ${lastWindow}`);
    console.log(`# replica b: ${received.b / USAGE.total_tokens} requests answered, ${lostB / USAGE.total_tokens} lost to SIGKILL (flush interval ${FLUSH_MS} ms)`);
  });
});

// One contract for the limiters: in memory always, in Redis when REDIS_URL is set. Plus what only a
// shared backend can show: two limiter instances (two replicas) admit exactly N of M concurrent requests.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { randomBase62 } from "../src/lib/ids.js";
import { MemoryLimiter, RedisLimiter, type Admission, type BudgetSeed, type Lease, type Limiter } from "../src/limits/index.js";

interface Target {
  name: string;
  make(seed?: BudgetSeed): Promise<Limiter>;
}

const redisUrl = process.env.REDIS_URL;
const prefix = `inhouse:test:${randomBase62(8)}:`;
const targets: Target[] = [{ name: "memory", make: async (seed) => new MemoryLimiter(seed ? { seedBudget: seed } : {}) }];
if (redisUrl) targets.push({ name: "redis", make: (seed) => RedisLimiter.connect({ url: redisUrl, prefix, ...(seed ? { seedBudget: seed } : {}) }) });

function admitted(a: Admission): Lease {
  assert.equal(a.ok, true, a.ok ? "" : a.message);
  return (a as { ok: true; lease: Lease }).lease;
}

let keyCounter = 0;
const newKey = () => `key_${randomBase62(6)}_${++keyCounter}`;

for (const target of targets) {
  describe(`limits contract: ${target.name}`, () => {
    const limiters: Limiter[] = [];
    const make = async (seed?: BudgetSeed) => {
      const l = await target.make(seed);
      limiters.push(l);
      return l;
    };
    after(async () => {
      for (const l of limiters) await l.close();
    });

    test("a key without limits is always admitted", async () => {
      const l = await make();
      for (let i = 0; i < 100; i++) admitted(await l.admit({ keyId: "free", limits: {}, estimatedTokens: 10_000 }));
      assert.equal(l.stats().admitted, 100);
    });

    test("rpm: N requests in a minute, then 429 rate_limit_exceeded with a Retry-After within the window", async () => {
      const l = await make();
      const key = newKey();
      for (let i = 0; i < 5; i++) admitted(await l.admit({ keyId: key, limits: { rpm: 5 }, estimatedTokens: 1 }));
      const d = await l.admit({ keyId: key, limits: { rpm: 5 }, estimatedTokens: 1 });
      assert.equal(d.ok, false);
      if (d.ok) return;
      assert.equal(d.code, "rate_limit_exceeded");
      assert.equal(d.limit, "rpm");
      assert.ok(d.retryAfterSeconds! >= 1 && d.retryAfterSeconds! <= 60, String(d.retryAfterSeconds));
      assert.match(d.message, /5 requests per minute/);
      admitted(await l.admit({ keyId: newKey(), limits: { rpm: 5 }, estimatedTokens: 1 }));
      assert.equal(l.stats().denied, 1);
    });

    test("rpm above the exact-window size counts by second and still admits exactly N", async () => {
      const l = await make();
      const key = newKey();
      const limits = { rpm: 1500 };
      let ok = 0;
      for (let i = 0; i < 1600; i++) if ((await l.admit({ keyId: key, limits, estimatedTokens: 1 })).ok) ok++;
      assert.equal(ok, 1500);
      const d = await l.admit({ keyId: key, limits, estimatedTokens: 1 });
      assert.equal(!d.ok && d.limit, "rpm");
      assert.ok(!d.ok && d.retryAfterSeconds! >= 1 && d.retryAfterSeconds! <= 60);
    });

    test("max_concurrent: slots are taken at admit and given back once at release", async () => {
      const l = await make();
      const key = newKey();
      const limits = { max_concurrent: 2 };
      const a = admitted(await l.admit({ keyId: key, limits, estimatedTokens: 0 }));
      admitted(await l.admit({ keyId: key, limits, estimatedTokens: 0 }));
      const d = await l.admit({ keyId: key, limits, estimatedTokens: 0 });
      assert.equal(d.ok, false);
      assert.equal(!d.ok && d.limit, "concurrency");
      assert.equal(!d.ok && d.code, "rate_limit_exceeded");
      assert.equal(!d.ok && d.retryAfterSeconds, 1);
      await a.release();
      await a.release(); // a second release must not free a second slot
      admitted(await l.admit({ keyId: key, limits, estimatedTokens: 0 }));
      assert.equal((await l.admit({ keyId: key, limits, estimatedTokens: 0 })).ok, false);
    });

    test("tpm: the estimate is charged at admit and corrected to the actual tokens at release", async () => {
      const l = await make();
      const key = newKey();
      const limits = { tpm: 1000 };
      const first = admitted(await l.admit({ keyId: key, limits, estimatedTokens: 600 }));
      const d = await l.admit({ keyId: key, limits, estimatedTokens: 600 });
      assert.equal(d.ok, false);
      if (d.ok) return;
      assert.equal(d.limit, "tpm");
      // 200 tokens short at 1000 per minute: about 12 s.
      assert.ok(d.retryAfterSeconds! >= 11 && d.retryAfterSeconds! <= 13, String(d.retryAfterSeconds));
      assert.match(d.message, /1000 tokens per minute/);
      await first.release(100); // 500 tokens given back
      admitted(await l.admit({ keyId: key, limits, estimatedTokens: 600 }));
    });

    test("tpm: a request larger than the whole bucket is admitted when the bucket is full", async () => {
      const l = await make();
      const key = newKey();
      admitted(await l.admit({ keyId: key, limits: { tpm: 100 }, estimatedTokens: 5000 }));
      assert.equal((await l.admit({ keyId: key, limits: { tpm: 100 }, estimatedTokens: 1 })).ok, false);
    });

    test("budget: seeded from the usage table, charged, corrected, and 429 insufficient_quota when spent", async () => {
      const seen: [string, number][] = [];
      const l = await make(async (keyId, since) => {
        seen.push([keyId, since]);
        return 700;
      });
      const key = newKey();
      const limits = { budget_tokens: 1000, budget_period: "day" as const };
      const a = admitted(await l.admit({ keyId: key, limits, estimatedTokens: 200 }));
      assert.equal(seen.length, 1);
      assert.equal(seen[0]![0], key);
      assert.equal(seen[0]![1] % 86_400_000, 0, "the seed query starts at midnight UTC");
      const d = await l.admit({ keyId: key, limits, estimatedTokens: 200 });
      assert.equal(d.ok, false);
      if (d.ok) return;
      assert.equal(d.code, "insufficient_quota");
      assert.equal(d.limit, "budget");
      assert.ok(d.retryAfterSeconds! >= 1 && d.retryAfterSeconds! <= 86_400);
      assert.match(d.message, /1000 tokens per day/);
      await a.release(50); // used is now 750
      admitted(await l.admit({ keyId: key, limits, estimatedTokens: 200 }));
      assert.equal(seen.length, 1, "seeded once per period");
    });

    test("budget: a spent total budget has no Retry-After", async () => {
      const l = await make(async () => 5000);
      const d = await l.admit({ keyId: newKey(), limits: { budget_tokens: 5000, budget_period: "total" }, estimatedTokens: 1 });
      assert.equal(d.ok, false);
      assert.equal(!d.ok && d.retryAfterSeconds, undefined);
      assert.match(!d.ok ? d.message : "", /5000 tokens in total/);
    });

    test("a denied request charges nothing: not rpm, not tpm, not a slot", async () => {
      const l = await make(async () => 0);
      const key = newKey();
      const limits = { rpm: 3, tpm: 1000, max_concurrent: 3, budget_tokens: 100, budget_period: "month" as const };
      for (let i = 0; i < 20; i++) assert.equal((await l.admit({ keyId: key, limits, estimatedTokens: 101 })).ok, false);
      for (let i = 0; i < 3; i++) admitted(await l.admit({ keyId: key, limits, estimatedTokens: 10 }));
    });

    test("tpm refills with time", async () => {
      const l = await make();
      const key = newKey();
      const limits = { tpm: 60_000 }; // 1,000 tokens a second
      admitted(await l.admit({ keyId: key, limits, estimatedTokens: 60_000 }));
      assert.equal((await l.admit({ keyId: key, limits, estimatedTokens: 100 })).ok, false);
      await sleep(300);
      admitted(await l.admit({ keyId: key, limits, estimatedTokens: 100 }));
    });
  });
}

if (redisUrl) {
  describe("limits across replicas: two RedisLimiter instances", () => {
    const limiters: RedisLimiter[] = [];
    const pair = async () => {
      const ns = `${prefix}pair${randomBase62(4)}:`;
      const a = await RedisLimiter.connect({ url: redisUrl, prefix: ns, seedBudget: async () => 0 });
      const b = await RedisLimiter.connect({ url: redisUrl, prefix: ns, seedBudget: async () => 0 });
      limiters.push(a, b);
      return [a, b] as const;
    };
    after(async () => {
      for (const l of limiters) await l.close();
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });

    const race = async (a: Limiter, b: Limiter, m: number, input: Parameters<Limiter["admit"]>[0]) => {
      const results = await Promise.all(Array.from({ length: m }, (_, i) => (i % 2 ? a : b).admit(input)));
      return results.filter((r) => r.ok).length;
    };
    // A burst never gets more than N in. A replica whose own requests ran out while it held part of a grant
    // keeps those admissions from the other for at most a grant's life (docs/operations.md); a grant is at
    // most 1/8 of the headroom, so two replicas hold at most a quarter. Once grants end, exactly N in all.
    const raceToExactlyN = async (m: number, n: number, input: Parameters<Limiter["admit"]>[0]) => {
      const [a, b] = await pair();
      let ok = await race(a, b, m, input);
      assert.ok(ok <= n && ok >= n - n / 4, `burst admitted ${ok} of limit ${n}`);
      await a.flushGrants();
      await b.flushGrants();
      for (let i = 0; i < m; i++) {
        if (!(await (i % 2 ? a : b).admit(input)).ok) break;
        ok++;
      }
      assert.equal(ok, n);
    };

    test("rpm N admits exactly N of M concurrent requests", async () => {
      await raceToExactlyN(200, 37, { keyId: newKey(), limits: { rpm: 37 }, estimatedTokens: 1 });
    });

    test("rpm above the exact-window size admits exactly N of M concurrent requests too", async () => {
      await raceToExactlyN(1400, 1234, { keyId: newKey(), limits: { rpm: 1234 }, estimatedTokens: 1 });
    });

    test("max_concurrent N admits exactly N of M concurrent requests", async () => {
      await raceToExactlyN(100, 7, { keyId: newKey(), limits: { max_concurrent: 7 }, estimatedTokens: 1 });
    });

    test("a budget holds: exactly budget / estimate requests get in", async () => {
      await raceToExactlyN(100, 10, { keyId: newKey(), limits: { budget_tokens: 1000, budget_period: "week" }, estimatedTokens: 100 });
    });

    test("without grants every request is checked in Redis: a burst admits exactly N at once", async () => {
      const ns = `${prefix}nogrant${randomBase62(4)}:`;
      const a = await RedisLimiter.connect({ url: redisUrl, prefix: ns, seedBudget: async () => 0, grants: false });
      const b = await RedisLimiter.connect({ url: redisUrl, prefix: ns, seedBudget: async () => 0, grants: false });
      limiters.push(a, b);
      assert.equal(await race(a, b, 1400, { keyId: newKey(), limits: { rpm: 1234 }, estimatedTokens: 1 }), 1234);
    });

    test("scripts flushed from Redis (a restart) are loaded again", async () => {
      const [a] = await pair();
      const redis = new Redis(redisUrl);
      await redis.script("FLUSH");
      await redis.quit();
      const lease = admitted(await a.admit({ keyId: newKey(), limits: { max_concurrent: 1 }, estimatedTokens: 1 }));
      await lease.release();
      assert.equal(a.stats().errors, 0);
    });

    test("a release with nothing to give back costs no round trip; one holding a slot does", async () => {
      const [a] = await pair();
      // Count this instance's script calls (a shared Redis's own counters include other suites).
      const client = a["redis"];
      let calls = 0;
      const evalsha = client.evalsha.bind(client);
      client.evalsha = ((...args: Parameters<typeof evalsha>) => (calls++, evalsha(...args))) as typeof client.evalsha;
      const key = newKey();
      const lease = admitted(await a.admit({ keyId: key, limits: { rpm: 100 }, estimatedTokens: 10 }));
      await lease.release(10);
      assert.equal(calls, 1, "rpm only: the admission is the only round trip");
      const other = newKey();
      const held = admitted(await a.admit({ keyId: other, limits: { max_concurrent: 1 }, estimatedTokens: 10 }));
      await held.release(10);
      assert.equal(calls, 3, "a concurrency slot is given back");
      admitted(await a.admit({ keyId: other, limits: { max_concurrent: 1 }, estimatedTokens: 10 }));
    });

    // Grants: far from its limits a busy key is served from admissions charged in Redis k at a time.
    const countCalls = (l: RedisLimiter) => {
      const client = l["redis"];
      const counter = { calls: 0 };
      const evalsha = client.evalsha.bind(client);
      client.evalsha = ((...args: Parameters<typeof evalsha>) => (counter.calls++, evalsha(...args))) as typeof client.evalsha;
      return counter;
    };
    for (const rpm of [900, 3000]) {
      test(`grants: rpm ${rpm} (${rpm > 1000 ? "by second" : "exact window"}) costs a round trip per grant, never admits more than N, and exactly N once grants end`, async () => {
        const [a, b] = await pair();
        const ca = countCalls(a);
        const cb = countCalls(b);
        const input = { keyId: newKey(), limits: { rpm }, estimatedTokens: 1 };
        // Waves of concurrent requests, as a busy gateway sends them: up to half the limit, grants serve most.
        let ok = 0;
        for (let wave = 0; wave < Math.floor(rpm / 2 / 64); wave++) ok += await race(a, b, 64, input);
        const calls = ca.calls + cb.calls;
        assert.ok(calls <= ok / 4, `${calls} script calls for ${ok} admissions`);
        // Then past the limit: never more than N.
        for (let wave = 0; wave < Math.ceil(rpm / 64); wave++) ok += await race(a, b, 64, input);
        assert.ok(ok <= rpm, `admitted ${ok} > ${rpm}`);
        await a.flushGrants();
        await b.flushGrants();
        for (;;) {
          const r = await (ok % 2 ? a : b).admit(input);
          if (!r.ok) break;
          ok++;
        }
        assert.equal(ok, rpm);
      });
    }

    test("grants: concurrency slots are never over-held, and all come back when the requests end", async () => {
      const [a, b] = await pair();
      const key = newKey();
      const input = { keyId: key, limits: { max_concurrent: 300 }, estimatedTokens: 1 };
      const leases: Lease[] = [];
      for (let wave = 0; wave < 10; wave++) {
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).admit(input)));
        for (const r of results) if (r.ok) leases.push(r.lease);
      }
      assert.ok(leases.length <= 300 && leases.length >= 250, `${leases.length} held`);
      const redis = new Redis(redisUrl);
      const slotKey = `${a["prefix"]}{${key}}:cc`;
      assert.ok((await redis.zcard(slotKey)) <= 300);
      for (const l of leases.splice(0)) await l.release();
      await a.flushGrants();
      await b.flushGrants();
      assert.equal(await redis.zcard(slotKey), 0);
      await redis.quit();
    });

    test("grants: the budget ends at exactly the tokens used, estimates corrected, once grants end", async () => {
      const [a, b] = await pair();
      const key = newKey();
      const input = { keyId: key, limits: { budget_tokens: 10_000_000, budget_period: "month" as const }, estimatedTokens: 100 };
      let n = 0;
      for (let wave = 0; wave < 10; wave++) {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).admit(input)));
        for (const r of results) if (r.ok) (n++, await r.lease.release(40));
      }
      assert.equal(n, 500);
      await a.flushGrants();
      await b.flushGrants();
      const redis = new Redis(redisUrl);
      const [budgetKey] = await redis.keys(`${a["prefix"]}{${key}}:bud:*`);
      assert.equal(Number(await redis.get(budgetKey!)), 500 * 40);
      await redis.quit();
    });

    test("grants: requests that use more tokens than estimated still get full grants, and the budget ends exact", async () => {
      const [a] = await pair();
      const key = newKey();
      // Every limit set far away, as for a busy team's key; the estimate (prompt only) is a third of what
      // each request uses once its answer is counted.
      const limits = { rpm: 100_000_000, tpm: 100_000_000_000, max_concurrent: 100_000, budget_tokens: 1_000_000_000_000, budget_period: "month" as const };
      const input = { keyId: key, limits, estimatedTokens: 10 };
      const calls = countCalls(a);
      const wave = async () => {
        const results = await Promise.all(Array.from({ length: 16 }, () => a.admit(input)));
        for (const r of results) await admitted(r).release(30);
      };
      for (let i = 0; i < 20; i++) await wave();
      const before = calls.calls;
      for (let i = 0; i < 100; i++) await wave();
      const perAdmission = (calls.calls - before) / 1600;
      // Grants of up to 64 cost ~3 calls each (charge, give back, late slots); sized by the estimate they ran
      // out of tokens after a third of their admissions and shrank: 1 call per ~7 admissions.
      assert.ok(perAdmission <= 1 / 12, `${calls.calls - before} script calls for 1,600 admissions`);
      await a.flushGrants();
      const redis = new Redis(redisUrl);
      const [budgetKey] = await redis.keys(`${a["prefix"]}{${key}}:bud:*`);
      assert.equal(Number(await redis.get(budgetKey!)), 120 * 16 * 30, "the budget holds exactly the tokens used");
      await redis.quit();
    });

    test("grants: what a quiet key holds goes back on its own within about a second", async () => {
      const [a] = await pair();
      const key = newKey();
      admitted(await a.admit({ keyId: key, limits: { rpm: 1000 }, estimatedTokens: 1 }));
      const redis = new Redis(redisUrl);
      const windowKey = `${a["prefix"]}{${key}}:rpm`;
      assert.ok((await redis.zcard(windowKey)) >= 2, "a grant of at least 2 was charged");
      await sleep(1600);
      assert.equal(await redis.zcard(windowKey), 1);
      await redis.quit();
    });

    test("every Redis key the limiter writes has a TTL", async () => {
      const [a] = await pair();
      const key = newKey();
      const lease = admitted(await a.admit({ keyId: key, limits: { rpm: 10, tpm: 1000, max_concurrent: 2, budget_tokens: 10, budget_period: "total" }, estimatedTokens: 5 }));
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`*{${key}}*`);
      assert.equal(keys.length, 4, keys.join(","));
      for (const k of keys) assert.ok((await redis.pttl(k)) > 0, `${k} has no TTL`);
      await lease.release(5);
      await redis.quit();
    });
  });
}

/** A Redis that answers "+OK" to everything until told to hang: a backend that stops responding. */
async function hangingRedis(): Promise<{ url: string; hang(): void; close(): void }> {
  let hung = false;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", (buf) => {
      if (hung) return;
      // One reply per command (each starts as a RESP array: "*<n>\r\n$").
      const commands = buf.toString("latin1").match(/\*\d+\r\n\$/g)?.length ?? 0;
      socket.write("+OK\r\n".repeat(commands));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    hang: () => void (hung = true),
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe("Redis limiter when Redis stops answering", () => {
  test("a Redis that cannot be reached fails at start, naming the host", async () => {
    const fake = await hangingRedis();
    const port = new URL(fake.url).port;
    fake.close(); // nothing listens there now
    await assert.rejects(RedisLimiter.connect({ url: `redis://127.0.0.1:${port}` }), new RegExp(`cannot connect to Redis at 127\\.0\\.0\\.1:${port}`));
  });


  for (const mode of ["allow", "deny"] as const) {
    test(`onBackendError "${mode}" ${mode === "allow" ? "serves without limits" : "refuses with 429"} and counts the error`, async () => {
      const fake = await hangingRedis();
      const l = await RedisLimiter.connect({ url: fake.url, commandTimeoutMs: 100, onBackendError: mode });
      fake.hang();
      const r = await l.admit({ keyId: "k", limits: { rpm: 1 }, estimatedTokens: 1 });
      assert.equal(r.ok, mode === "allow");
      if (!r.ok) assert.equal(r.code, "rate_limit_exceeded");
      assert.equal(l.stats().errors, 1);
      fake.close();
      await l.close();
    });
  }
});

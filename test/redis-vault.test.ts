// The Redis pseudonym vault: round trip, encrypted at rest, bound to its conversation, expiring.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { RedisVault } from "../src/store/redis-vault.js";

const REDIS_URL = process.env.REDIS_URL;

describe("RedisVault", { skip: REDIS_URL ? false : "REDIS_URL not set" }, () => {
  const prefix = `inhouse:test-vault:${process.pid}:`;
  let vault: RedisVault;
  let raw: Redis;
  before(async () => {
    vault = await RedisVault.connect({ url: REDIS_URL!, secret: "shared-admin-key-for-tests", prefix });
    raw = new Redis(REDIS_URL!);
  });
  after(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await raw.quit();
    await vault.close();
  });

  test("entries round-trip and are never stored in clear", async () => {
    const entries = [["[EMAIL_1]", "mei.lin@acme-corp.cn"], ["[ID_1]", "11010519491231002X"]] as const;
    await vault.put("team-a:conv-1", entries, 60_000);
    assert.deepEqual(await vault.get("team-a:conv-1"), entries);
    const keys = await raw.keys(`${prefix}*`);
    assert.equal(keys.length, 1);
    assert.ok(!keys[0]!.includes("conv-1"), "the conversation id is hashed");
    const stored = await raw.getBuffer(keys[0]!);
    assert.ok(stored && !stored.toString("latin1").includes("acme-corp") && !stored.toString("latin1").includes("EMAIL"));
  });

  test("another replica with the same secret reads it; a different secret or conversation does not", async () => {
    await vault.put("c2", [["[PHONE_1]", "+81 90-1234-5678"]], 60_000);
    const twin = await RedisVault.connect({ url: REDIS_URL!, secret: "shared-admin-key-for-tests", prefix });
    const stranger = await RedisVault.connect({ url: REDIS_URL!, secret: "another-secret", prefix });
    try {
      assert.deepEqual(await twin.get("c2"), [["[PHONE_1]", "+81 90-1234-5678"]]);
      assert.equal(await stranger.get("c2"), undefined);
      assert.equal(await twin.get("c3"), undefined);
    } finally {
      await twin.close();
      await stranger.close();
    }
  });

  test("entries expire with the TTL", async () => {
    await vault.put("short", [["[EMAIL_1]", "a@b.co"]], 50);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(await vault.get("short"), undefined);
  });
});

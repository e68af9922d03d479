import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { GatewayError } from "../errors/index.js";
import { Auth, type Principal } from "./auth.js";
import { AuthFailures } from "./auth-failures.js";

const ADMIN = "ih-admin-auth-failures-test-key";
const request = (key: string, address: string) => ({ headers: { authorization: `Bearer ${key}` }, socket: { remoteAddress: address } }) as unknown as IncomingMessage;
const team: Principal = { id: "key_team", name: "team", admin: false, models: null, inHouseOnly: false };

function setup(limit: number) {
  let now = 1_000_000;
  const failures = new AuthFailures({ limit, windowMs: 60_000, maxAddresses: 3, now: () => now });
  const lookups: string[] = [];
  const auth = new Auth(ADMIN, { find: async (s) => (lookups.push(s), s === "good" ? team : null) }, failures);
  return { auth, failures, lookups, advance: (ms: number) => (now += ms) };
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (e) {
    assert.ok(e instanceof GatewayError);
    return `${e.code}${e.retryAfter === undefined ? "" : ` retry ${e.retryAfter}`}`;
  }
};

test("past the limit an address is refused with 429 and Retry-After, without a key lookup, until its minute ends", async () => {
  const { auth, lookups, advance } = setup(3);
  for (let i = 0; i < 3; i++) assert.equal(await code(auth.authenticate(request(`bad${i}`, "10.0.0.1"))), "authentication");
  advance(20_000);
  assert.equal(await code(auth.authenticate(request("bad3", "10.0.0.1"))), "rate_limit_exceeded retry 40");
  // A known key from the same address waits too (the lookup is what is bounded); the admin key does not.
  assert.equal(await code(auth.authenticate(request("good", "10.0.0.1"))), "rate_limit_exceeded retry 40");
  assert.equal((await auth.authenticate(request(ADMIN, "10.0.0.1"))).admin, true);
  // Other addresses are not affected.
  assert.equal((await auth.authenticate(request("good", "10.0.0.2"))).id, "key_team");
  assert.deepEqual(lookups, ["bad0", "bad1", "bad2", "good"], "no lookup while refused");
  advance(40_000);
  assert.equal((await auth.authenticate(request("good", "10.0.0.1"))).id, "key_team");
});

test("successful lookups do not count; failures spread over windows do not add up", async () => {
  const { auth, advance } = setup(3);
  for (let i = 0; i < 10; i++) await auth.authenticate(request("good", "10.0.0.1"));
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 2; i++) assert.equal(await code(auth.authenticate(request("bad", "10.0.0.1"))), "authentication");
    advance(60_000);
  }
  assert.equal((await auth.authenticate(request("good", "10.0.0.1"))).id, "key_team");
});

test("memory is bounded: the oldest address's window goes first", async () => {
  const { auth, failures, advance } = setup(1);
  for (const a of ["a", "b", "c", "d"]) {
    await code(auth.authenticate(request("bad", a)));
    advance(1);
  }
  assert.equal(failures.size, 3);
  assert.equal(failures.retryAfter("a"), 0, "a was dropped");
  assert.ok(failures.retryAfter("d") > 0);
});

test("limit 0 turns the throttle off", async () => {
  const { auth } = setup(0);
  for (let i = 0; i < 20; i++) assert.equal(await code(auth.authenticate(request("bad", "10.0.0.1"))), "authentication");
});

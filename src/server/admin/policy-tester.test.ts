import assert from "node:assert/strict";
import { test } from "node:test";
import { createPolicyEngine } from "../../policy/index.js";
import { policyTester } from "./policy-tester.js";

const TEXT = "Mail mei.ling@example.com or mei.ling@example.com, card 4111 1111 1111 1111.";

test("pseudonymize (the default): findings with placeholders, and the text an external model gets", () => {
  const r = policyTester(createPolicyEngine({})).test(TEXT);
  assert.ok(r.external !== null);
  assert.equal(r.action, "pseudonymize");
  const kinds = r.findings.map((f) => f.kind);
  assert.ok(kinds.includes("email") && kinds.includes("payment_card"), kinds.join());
  assert.ok(!r.external.includes("mei.ling@example.com") && !r.external.includes("4111"));
  const email = r.findings.find((f) => f.kind === "email")!;
  assert.equal(TEXT.slice(email.start, email.end), "mei.ling@example.com");
  assert.ok(r.external.includes(email.replacement!));
  assert.equal(r.external.split(email.replacement!).length, 3, "the same value gets the same placeholder");
});

test("block and keep_in_house send nothing out; clean text passes as it is", () => {
  const blocked = policyTester(createPolicyEngine({ block: ["payment_card"] })).test(TEXT);
  assert.equal(blocked.action, "block");
  assert.equal(blocked.external, null);
  const kept = policyTester(createPolicyEngine({ on_sensitive: { external: "keep_in_house" } })).test(TEXT);
  assert.equal(kept.external, null);
  const clean = policyTester(createPolicyEngine({})).test("Nothing to see here.");
  assert.deepEqual(clean, { findings: [], action: "allow", external: "Nothing to see here.", reason: "Nothing sensitive found." });
});

test("redact replaces values by their kind", () => {
  const r = policyTester(createPolicyEngine({ on_sensitive: { external: "redact" } })).test(TEXT);
  assert.ok(r.external?.includes("[EMAIL]"), r.external ?? "null");
  assert.equal(r.findings[0]!.replacement, "[EMAIL]");
});

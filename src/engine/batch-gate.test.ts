import { test } from "node:test";
import assert from "node:assert/strict";
import { BatchGate } from "./batch-gate.js";

const item = (n: number) => ({ tokens: Array.from({ length: n }, (_, i) => i) as never, logits: [], evaluationPriority: 5 as const });

test("batch gate: waits (bounded) for every generating sequence, then shares the batch fairly", () => {
  const gate = new BatchGate();
  gate.enter();
  gate.enter();
  const one = [item(1)];
  assert.deepEqual(gate.strategy({ items: one, size: 512 }), []);
  let rounds = 1;
  while (gate.strategy({ items: one, size: 512 }).length === 0) rounds++;
  assert.equal(rounds, 64); // gave up waiting for the straggler
  const both = gate.strategy({ items: [item(1), item(1)], size: 512 });
  assert.deepEqual(both.map((p) => p.processAmount), [1, 1]);
  const prompt = gate.strategy({ items: [item(1), item(900)], size: 512 });
  assert.deepEqual(prompt.map((p) => p.processAmount), [1, 511]);
  gate.leave();
  assert.equal(gate.strategy({ items: one, size: 512 }).length, 1);
});

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

test("batch gate: tags registered sequences with id + 1 and puts the batch in sequence-id order", () => {
  const gate = new BatchGate();
  const seqs = [{}, {}, {}, {}];
  gate.register(seqs);
  assert.deepEqual(seqs.map((s) => gate.priorityOf(s)), [1, 2, 3, 4]);
  assert.equal(gate.priorityOf({}), undefined);
  const tagged = (n: number, seq: number) => ({ ...item(n), evaluationPriority: (seq + 1) as never });
  // Queued as sequences 1, 3, 0, 2 (a 4-token prompt on 3): llama.cpp would split that into three passes.
  const batch = gate.strategy({ items: [tagged(1, 1), tagged(4, 3), tagged(1, 0), tagged(1, 2)], size: 512 });
  assert.deepEqual(batch.map((p) => p.item.evaluationPriority), [1, 2, 3, 4]);
  assert.deepEqual(batch.map((p) => p.processAmount), [1, 1, 1, 4]);
});

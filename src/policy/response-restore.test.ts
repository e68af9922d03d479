import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { ChatChunk } from "../spec/index.js";
import { PseudonymTable } from "./pseudonym-table.js";
import { createStreamRestorer } from "./response-restore.js";
import { restoreText } from "./restore.js";

const table = PseudonymTable.fromEntries([
  ["EMAIL_1", "kenji@example.jp"],
  ["PHONE_1", "090-1234-5678"],
]);
const chunk = (delta: ChatChunk["choices"][0]["delta"], finish: ChatChunk["choices"][0]["finish_reason"] = null, index = 0): ChatChunk => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 0,
  model: "m",
  choices: [{ index, delta, finish_reason: finish }],
});

test("stream restorer: content, reasoning and tool-call arguments split anywhere", () => {
  const r = createStreamRestorer(table);
  const outs = [
    chunk({ role: "assistant", reasoning_content: "user is [EMA" }),
    chunk({ reasoning_content: "IL_1]." }),
    chunk({ content: "Calling [PHO" }),
    chunk({ tool_calls: [{ index: 0, id: "t1", type: "function", function: { name: "call", arguments: '{"n":"[PHONE' } }] }),
    chunk({ content: "NE_1] now", tool_calls: [{ index: 0, function: { arguments: '_1]"}' } }] }),
    chunk({ content: " PHONE_1" }),
    chunk({}, "tool_calls"),
  ].map((c) => r.transform(c));
  const join = (f: (c: ChatChunk) => string | undefined) => outs.map((c) => f(c) ?? "").join("");
  assert.equal(join((c) => c.choices[0]!.delta.reasoning_content), "user is kenji@example.jp.");
  assert.equal(join((c) => c.choices[0]!.delta.content ?? undefined), "Calling 090-1234-5678 now 090-1234-5678");
  assert.equal(join((c) => c.choices[0]!.delta.tool_calls?.[0]?.function?.arguments), '{"n":"090-1234-5678"}');
  // Held text went out no later than the finish chunk.
  assert.equal(outs[5]!.choices[0]!.delta.content, " ");
  assert.equal(outs[6]!.choices[0]!.delta.content, "090-1234-5678");
  assert.equal(outs[6]!.choices[0]!.finish_reason, "tool_calls");
  assert.equal(r.flush({ id: "c", created: 0, model: "m" }), undefined);
});

test("stream restorer: text held at an unfinished end comes out of flush", () => {
  const r = createStreamRestorer(table);
  assert.equal(r.transform(chunk({ content: "see [EMAIL_" })).choices[0]!.delta.content, "see ");
  const rest = r.flush({ id: "c", created: 0, model: "m" });
  assert.equal(rest?.choices[0]?.delta.content, "[EMAIL_");
});

test("stream restorer passes chunks through untouched when nothing was pseudonymized", () => {
  const r = createStreamRestorer(new PseudonymTable());
  const c = chunk({ content: "[EMAIL_1]" });
  assert.equal(r.transform(c), c);
});

test("property: chunk-level restore equals whole-text restore for any cutting, per field and tool index", () => {
  const piece = fc.oneof(fc.constantFrom("[EMAIL_1]", "[ phone_1 ]", "PHONE_1", "【EMAIL 1】", "[EMAIL_9]", "[EMA", "PHONE_"), fc.string({ maxLength: 5 }));
  const text = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(""));
  const cutsOf = (s: string, cuts: number[]) => {
    const at = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
    const parts: string[] = [];
    let last = 0;
    for (const c of at) {
      parts.push(s.slice(last, c));
      last = c;
    }
    parts.push(s.slice(last));
    return parts;
  };
  fc.assert(
    fc.property(text, text, fc.array(fc.nat(), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 10 }), (content, args, c1, c2) => {
      const r = createStreamRestorer(table);
      const a = cutsOf(content, c1);
      const b = cutsOf(args, c2);
      const n = Math.max(a.length, b.length);
      let gotContent = "";
      let gotArgs = "";
      for (let i = 0; i < n; i++) {
        const delta: ChatChunk["choices"][0]["delta"] = {};
        if (i < a.length) delta.content = a[i]!;
        if (i < b.length) delta.tool_calls = [{ index: 1, function: { arguments: b[i]! } }];
        const out = r.transform(chunk(delta, i === n - 1 ? "stop" : null)).choices[0]!.delta;
        gotContent += out.content ?? "";
        gotArgs += out.tool_calls?.find((t) => t.index === 1)?.function?.arguments ?? "";
      }
      assert.equal(gotContent, restoreText(content, table));
      assert.equal(gotArgs, restoreText(args, table, "json"));
      assert.equal(r.flush({ id: "c", created: 0, model: "m" }), undefined);
    }),
    { numRuns: 2000 },
  );
});

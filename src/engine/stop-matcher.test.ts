import { test } from "node:test";
import assert from "node:assert/strict";
import { StopMatcher } from "./stop-matcher.js";

test("stop matcher: holds partial matches, cuts at the earliest stop", () => {
  const m = new StopMatcher(["END", "<|im_end|>"]);
  assert.deepEqual(m.push("hello E"), { emit: "hello ", stopped: false });
  assert.deepEqual(m.push("x <|im"), { emit: "Ex ", stopped: false });
  assert.deepEqual(m.push("_end|> more"), { emit: "", stopped: true });
  const n = new StopMatcher(["ab"]);
  assert.deepEqual(n.push("xa"), { emit: "x", stopped: false });
  assert.equal(n.flush(), "a");
  assert.deepEqual(new StopMatcher([]).push("abc"), { emit: "abc", stopped: false });
});

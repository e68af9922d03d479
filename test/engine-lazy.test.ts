// A gateway that never uses an embedded model never loads node-llama-cpp.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isNodeLlamaCppLoaded } from "../src/engine/index.js";
import { callOptions, tinyBackend } from "./fixtures/gguf-engine-backend.js";

test("node-llama-cpp is imported on the first embedded call, not when the backend is created", async () => {
  const backend = tinyBackend();
  try {
    assert.equal(isNodeLlamaCppLoaded(), false);
    await backend.chat({ model: "tiny", messages: [{ role: "user", content: "x" }], max_tokens: 1 }, callOptions("tiny"));
    assert.equal(isNodeLlamaCppLoaded(), true);
  } finally {
    await backend.close();
  }
});

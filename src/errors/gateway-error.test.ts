import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError, toGatewayError, wireError } from "./index.js";

test("wire body follows OpenAI's error shape and the table's status", () => {
  const err = new GatewayError("model_not_found", "Model `nope` does not exist.", { param: "model" });
  assert.equal(err.status, 404);
  assert.deepEqual(wireError(err), {
    error: { message: "Model `nope` does not exist.", type: "invalid_request_error", code: "model_not_found", param: "model" },
  });
});

test("unknown throwables become internal errors without their message", () => {
  const err = toGatewayError(new Error("secret sk-123 leaked"));
  assert.equal(err.status, 500);
  assert.ok(!wireError(err).error.message.includes("sk-123"));
});

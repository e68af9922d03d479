import assert from "node:assert/strict";
import { test } from "node:test";
import { SecretScrubber } from "./secret-scrubber.js";
import { parseRetryAfter, statusError, upstreamMessage } from "./upstream-error.js";

const ctx = { backend: "b", scrubber: new SecretScrubber("my-very-secret-key", { Authorization: "Bearer hdr-secret-value" }) };

test("the scrubber removes the key, header secrets, bearer tokens and sk- shapes", () => {
  const out = ctx.scrubber.scrub("k=my-very-secret-key h=hdr-secret-value auth: Bearer abc.def other sk-proj-****1234abcd\nend");
  assert.equal(out, "k=[redacted] h=[redacted] auth: Bearer [redacted] other [redacted] end");
  assert.equal(ctx.scrubber.scrub("x".repeat(5000)).length, 801);
});

test("error messages are found in the usual body shapes", () => {
  assert.equal(upstreamMessage('{"error":{"message":"bad","type":"x"}}'), "bad");
  assert.equal(upstreamMessage('{"error":"plain"}'), "plain");
  assert.equal(upstreamMessage('{"object":"error","message":"vllm says"}'), "vllm says");
  assert.equal(upstreamMessage('{"detail":"fastapi"}'), "fastapi");
  assert.equal(upstreamMessage('{"detail":[{"msg":"field required"}]}'), '[{"msg":"field required"}]');
  assert.equal(upstreamMessage("<html><body>502</body></html>"), "(an HTML page instead of an API error)");
  assert.equal(upstreamMessage("  upstream down "), "upstream down");
});

test("Retry-After as seconds, decimals, an HTTP date, or retry-after-ms", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter({ "retry-after": "12" }, now), 12);
  assert.equal(parseRetryAfter({ "retry-after": "0.2" }, now), 1);
  assert.equal(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, now), 30);
  assert.equal(parseRetryAfter({ "retry-after-ms": "1500" }, now), 2);
  assert.equal(parseRetryAfter({ "retry-after": "soon" }, now), undefined);
  assert.equal(parseRetryAfter({}, now), undefined);
});

test("status mapping follows the table", () => {
  assert.equal(statusError(400, {}, "", ctx).code, "upstream_rejected");
  assert.equal(statusError(413, {}, "", ctx).status, 413);
  assert.equal(statusError(408, {}, "", ctx).code, "upstream_error");
  assert.equal(statusError(429, { "retry-after": "3" }, "", ctx).retryAfter, 3);
  assert.equal(statusError(504, {}, "", ctx).retryable, true);
  assert.equal(statusError(302, {}, "", ctx).code, "upstream_error");
});

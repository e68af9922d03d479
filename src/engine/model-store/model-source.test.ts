import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayError } from "../../errors/index.js";
import { parseModelSource, parseSha256 } from "./model-source.js";

test("hf: URIs map to the hub's resolve URL and a folder per repository", () => {
  const s = parseModelSource("hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf", { env: {} });
  assert.equal(s.kind, "remote");
  if (s.kind !== "remote") return;
  assert.equal(s.url, "https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf");
  assert.equal(s.relPath, "hf/Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf");
  assert.equal(s.hub, true);
});

test("the hub endpoint comes from the option, then INHOUSE_HF_ENDPOINT", () => {
  const a = parseModelSource("hf:o/r/f.gguf", { env: { INHOUSE_HF_ENDPOINT: "http://127.0.0.1:1/" } });
  assert.equal(a.kind === "remote" && a.url, "http://127.0.0.1:1/o/r/resolve/main/f.gguf");
  const b = parseModelSource("hf:o/r/f.gguf", { hfEndpoint: "http://mirror", env: { INHOUSE_HF_ENDPOINT: "http://x" } });
  assert.equal(b.kind === "remote" && b.url, "http://mirror/o/r/resolve/main/f.gguf");
});

test("hf: URIs with sub-folders keep them; traversal and missing parts are refused", () => {
  const s = parseModelSource("hf:o/r/sub/f.gguf", { env: {} });
  assert.equal(s.kind === "remote" && s.relPath, "hf/o/r/sub/f.gguf");
  for (const bad of ["hf:o/r", "hf:o/../f.gguf", "hf:o/r/..", "hf:o/r/f.bin", "hf:/r/f.gguf"]) {
    assert.throws(() => parseModelSource(bad, { env: {} }), (e: unknown) => e instanceof GatewayError && e.code === "invalid_request", bad);
  }
});

test("URLs go under url/<host_port>/<file>", () => {
  const s = parseModelSource("http://10.0.0.5:8080/files/m.gguf?x=1", {});
  assert.equal(s.kind === "remote" && s.relPath, "url/10.0.0.5_8080/m.gguf");
  assert.equal(s.kind === "remote" && s.hub, false);
});

test("paths are local; bare names go through the lookup, keeping the name and catalog hash", () => {
  const l = parseModelSource("./m.gguf", { cwd: "/srv" });
  assert.deepEqual(l, { kind: "local", name: "./m.gguf", source: "/srv/m.gguf", path: "/srv/m.gguf" });
  const sha = "A".repeat(64);
  const n = parseModelSource("tiny", { env: {}, lookup: (x) => (x === "tiny" ? { source: "hf:o/r/f.gguf", sha256: sha, size: 3 } : undefined) });
  assert.equal(n.kind === "remote" && n.name, "tiny");
  assert.equal(n.kind === "remote" && n.expectedSha256, "a".repeat(64));
  assert.equal(n.kind === "remote" && n.expectedSize, 3);
  assert.throws(() => parseModelSource("nope", {}), (e: unknown) => e instanceof GatewayError && e.code === "model_not_found");
});

test("ETag-like values yield a sha256 only when they hold 64 hex digits", () => {
  assert.equal(parseSha256(`"${"ab".repeat(32)}"`), "ab".repeat(32));
  assert.equal(parseSha256(`W/"${"AB".repeat(32)}"`), "ab".repeat(32));
  assert.equal(parseSha256(`"${"a".repeat(40)}"`), undefined); // a git blob sha1 (non-LFS file)
  assert.equal(parseSha256(undefined), undefined);
});

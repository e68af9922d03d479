import assert from "node:assert/strict";
import { test } from "node:test";
import { isPrivateHost } from "./private-host.js";

test("loopback, private ranges and internal names are in-house; public hosts are not", () => {
  for (const u of ["http://127.0.0.1:8000/v1", "http://localhost:11434", "http://10.0.0.5:8000/v1", "http://172.20.1.1", "http://192.168.1.9", "http://[::1]:8080", "http://[fd00::1]/v1", "http://vllm:8000/v1", "http://gpu.internal/v1"]) {
    assert.equal(isPrivateHost(u), true, u);
  }
  for (const u of ["https://api.deepseek.com/v1", "http://8.8.8.8", "http://172.32.0.1", "https://openrouter.ai/api/v1", "not a url"]) {
    assert.equal(isPrivateHost(u), false, u);
  }
});

// `inhouse chat`: the terminal chat streams answers from a model through an in-process gateway.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chatChunks, startFakeUpstream, type FakeUpstream } from "./fixtures/fake-upstream.js";

const BIN = new URL("../bin/inhouse.js", import.meta.url).pathname;
let up: FakeUpstream;
before(async () => {
  up = await startFakeUpstream();
});
after(() => up.close());

test("inhouse chat: streams each answer, keeps the conversation, /reset and /exit", async () => {
  up.enqueue({ sse: chatChunks({ content: ["Xin ", "chào!"] }) }, { sse: chatChunks({ content: ["Tạm ", "biệt."] }) }, { sse: chatChunks({ content: ["Fresh."] }) });
  const dir = mkdtempSync(join(tmpdir(), "inhouse-chat-"));
  writeFileSync(join(dir, "inhouse.yaml"), `backends:\n  up: { type: openai, base_url: ${up.url} }\nmodels:\n  chat: { targets: [up/m] }\n`);
  const child = spawn(process.execPath, [BIN, "chat", "chat", "--system", "Be brief.", "--config", join(dir, "inhouse.yaml"), "--data-dir", join(dir, "data")], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  const waitFor = async (text: string) => {
    for (let i = 0; i < 300 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(out.includes(text), `expected "${text}" in:\n${out}\n${err}`);
  };
  await waitFor("Chatting with chat");
  child.stdin.write("Hello\n");
  await waitFor("Xin chào!");
  child.stdin.write("Bye\n");
  await waitFor("Tạm biệt.");
  child.stdin.write("/reset\n");
  await waitFor("conversation cleared");
  child.stdin.write("Again\n");
  await waitFor("Fresh.");
  child.stdin.write("/exit\n");
  const code = await new Promise((r) => child.on("exit", r));
  assert.equal(code, 0, err);
  const sent = up.requests.map((r) => r.body.messages.map((m: { role: string; content: string }) => `${m.role}:${m.content}`));
  assert.deepEqual(sent[1], ["system:Be brief.", "user:Hello", "assistant:Xin chào!", "user:Bye"]);
  assert.deepEqual(sent[2], ["system:Be brief.", "user:Again"]);
  assert.ok(up.requests.every((r) => r.body.stream === true));
});

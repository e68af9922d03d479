// POST /admin/models/pull streams a download's progress as server-sent events, against a local stand-in
// for the Hugging Face hub; GET /admin/models/pulled then lists the file.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ADMIN_KEY, startGateway, type TestGateway } from "./helpers/gateway.js";
import { makeContent, startModelServer, type ModelServer } from "./model-store-server.js";

let gw: TestGateway;
let hub: ModelServer;
const auth = { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" };

before(async () => {
  hub = await startModelServer(makeContent(3 * 1024 * 1024, 11));
  // The model store reads the hub's address from the environment (a mirror, or this stand-in).
  process.env.INHOUSE_HF_ENDPOINT = hub.baseUrl;
  gw = await startGateway("policy: {}\n");
});
after(async () => {
  await gw.close();
  await hub.close();
});

async function pull(model: string): Promise<{ status: number; type: string | null; events: { event: string; data: any }[] }> {
  const res = await fetch(`${gw.url}/admin/models/pull`, { method: "POST", headers: auth, body: JSON.stringify({ model }) });
  const text = await res.text();
  const events = text
    .split("\n\n")
    .filter((block) => block.startsWith("event: "))
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      return { event: eventLine!.slice(7), data: JSON.parse(dataLine!.slice(6)) };
    });
  return { status: res.status, type: res.headers.get("content-type"), events };
}

test("a pull streams progress events, then done with the verified sha256; the file is listed", async () => {
  const { status, type, events } = await pull("hf:acme/Tiny-GGUF/tiny-Q8_0.gguf");
  assert.equal(status, 200);
  assert.equal(type, "text/event-stream");
  const done = events.at(-1)!;
  assert.equal(done.event, "done", JSON.stringify(events.at(-1)));
  assert.equal(done.data.sha256, hub.sha256);
  assert.equal(done.data.size, hub.content.length);
  assert.equal(done.data.verified_by, "hub");
  const progress = events.filter((e) => e.event === "progress");
  assert.ok(progress.length >= 2, `progress events: ${progress.length}`);
  assert.equal(progress[0]!.data.phase, "connecting");
  assert.ok(progress.some((e) => e.data.phase === "downloading" && e.data.total === hub.content.length));
  const pulled = await (await fetch(`${gw.url}/admin/models/pulled`, { headers: auth })).json();
  assert.equal(pulled.models.length, 1);
  assert.equal(pulled.models[0].sha256, hub.sha256);
  assert.equal(pulled.models[0].source, "hf:acme/Tiny-GGUF/tiny-Q8_0.gguf");
});

test("a failure after the stream started arrives as an error event in the contract's shape", async () => {
  const { status, events } = await pull(`${hub.baseUrl}/not-there.gguf`);
  assert.equal(status, 200);
  const last = events.at(-1)!;
  assert.equal(last.event, "error");
  assert.ok(last.data.error.message.length > 0);
  assert.ok(last.data.error.type);
});

test("a catalog model without a GGUF file, or no model at all, is a 400 before any stream", async () => {
  const big = await fetch(`${gw.url}/admin/models/pull`, { method: "POST", headers: auth, body: JSON.stringify({ model: "deepseek-v3" }) });
  assert.equal(big.status, 400);
  assert.match((await big.json()).error.message, /no GGUF file/);
  const none = await fetch(`${gw.url}/admin/models/pull`, { method: "POST", headers: auth, body: "{}" });
  assert.equal(none.status, 400);
  assert.equal((await none.json()).error.param, "model");
});

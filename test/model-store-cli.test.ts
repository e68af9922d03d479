// `inhouse pull` and `inhouse models` against the local hub stand-in.
import assert from "node:assert/strict";
import { mkdtemp, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import { modelsCommand } from "../src/cli/commands/models.js";
import { pullCommand } from "../src/cli/commands/pull.js";
import { listCatalog } from "../src/catalog/index.js";
import { makeContent, startModelServer, type ModelServer } from "./model-store-server.js";

const SOURCE = "hf:acme/Tiny-GGUF/tiny-Q8_0.gguf";
let server: ModelServer;

before(async () => {
  server = await startModelServer(makeContent(200_000, 3));
});
after(async () => {
  await server.close();
});

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

async function ctx(tty = false) {
  const out = sink();
  const err = sink();
  const dataDir = await mkdtemp(join(tmpdir(), "inhouse-cli-"));
  return { out, err, c: { dataDir, stdout: out.stream, stderr: err.stream, isTTY: tty, env: { INHOUSE_HF_ENDPOINT: server.baseUrl } } };
}

describe("inhouse pull", () => {
  test("--help and usage errors", async () => {
    const { out, c } = await ctx();
    assert.equal(await pullCommand(["--help"], c), 0);
    assert.match(out.text(), /Usage: inhouse pull <model>/);
    const e = await ctx();
    assert.equal(await pullCommand([], e.c), 2);
    assert.match(e.err.text(), /name a model/);
    assert.equal(await pullCommand(["--bogus"], e.c), 2);
  });

  test("pulls with plain progress lines when not a terminal, then prints path and sha256", async () => {
    const { out, err, c } = await ctx(false);
    assert.equal(await pullCommand([SOURCE], c), 0);
    const lines = err.text().trim().split("\n");
    assert.ok(lines.length >= 3, err.text());
    assert.ok(!err.text().includes("\r"));
    assert.match(err.text(), /downloading http:\/\/127\.0\.0\.1:\d+\/acme\/Tiny-GGUF\/resolve\/main\/tiny-Q8_0\.gguf/);
    assert.match(lines.at(-1)!, /200 kB \/ 200 kB {2}100\.0%/);
    assert.ok(out.text().includes(server.sha256));
    assert.ok(out.text().includes(join(c.dataDir, "models", "hf", "acme", "Tiny-GGUF", "tiny-Q8_0.gguf")));
    assert.match(out.text(), /matches the hub's sha256/);
  });

  test("rewrites one line on a terminal", async () => {
    const { err, c } = await ctx(true);
    assert.equal(await pullCommand([SOURCE], c), 0);
    assert.ok(err.text().includes("\r"));
    assert.ok(err.text().includes("\x1b[K"));
    assert.ok(err.text().endsWith("\n"));
  });

  test("offline: exit 1 with the URL and the path to place the file at", async () => {
    const { err, c } = await ctx();
    const code = await pullCommand([SOURCE], { ...c, env: { INHOUSE_HF_ENDPOINT: "http://127.0.0.1:9" } });
    assert.equal(code, 1);
    assert.match(err.text(), /http:\/\/127\.0\.0\.1:9\/acme\/Tiny-GGUF\/resolve\/main\/tiny-Q8_0\.gguf/);
    assert.ok(err.text().includes(join(c.dataDir, "models", "hf", "acme", "Tiny-GGUF", "tiny-Q8_0.gguf")));
  });

  test("a catalog model without a GGUF says so and names its hosted vendors", async () => {
    const { err, c } = await ctx();
    assert.equal(await pullCommand(["kimi-k2-instruct"], c), 1);
    assert.match(err.text(), /no GGUF file to pull/);
    assert.match(err.text(), /moonshot/);
  });
});

describe("inhouse models", () => {
  test("lists the catalog and configured models with their state", async () => {
    const { c } = await ctx();
    assert.equal(await pullCommand([SOURCE, "--quiet"], c), 0);
    await mkdir(join(c.dataDir, "own"), { recursive: true });
    await writeFile(join(c.dataDir, "own", "mine.gguf"), "GGUF");
    const out = sink();
    const configuredModels = [
      { backend: "local", name: "tiny", source: SOURCE },
      { backend: "local", name: "mine", source: join(c.dataDir, "own", "mine.gguf") },
      { backend: "local", name: "gone", source: join(c.dataDir, "nope.gguf") },
      { backend: "local", name: "small", source: "qwen3-0.6b" },
    ];
    assert.equal(await modelsCommand([], { ...c, stdout: out.stream, configuredModels }), 0);
    const text = out.text();
    assert.match(text, /^Catalog \(\d+ models/m);
    assert.match(text, /^qwen3-0\.6b +0\.6B +32K +Apache-2\.0 +CN +not-pulled/m);
    assert.match(text, /^kimi-k2-instruct +1\.04T\/32B .*hosted-only/m);
    assert.match(text, new RegExp(`^local/tiny +${SOURCE.replace(/[.]/g, "\\.")} +pulled +200 kB +${server.sha256.slice(0, 12)}`, "m"));
    assert.match(text, /^local\/mine .* pulled +4 B/m);
    assert.match(text, /^local\/gone .* missing/m);
    assert.match(text, /^local\/small +qwen3-0\.6b +not-pulled/m);

    const json = sink();
    assert.equal(await modelsCommand(["--json", "--family", "qwen"], { ...c, stdout: json.stream, configuredModels }), 0);
    const parsed = JSON.parse(json.text()) as { catalog: { name: string; family: string; state: { state: string } }[]; configured: { state: string }[] };
    assert.ok(parsed.catalog.length > 5);
    assert.ok(parsed.catalog.every((m) => m.family === "qwen"));
    assert.equal(parsed.configured.length, 4);

    const pulledOnly = sink();
    assert.equal(await modelsCommand(["--pulled", "--json"], { ...c, stdout: pulledOnly.stream, configuredModels }), 0);
    const p = JSON.parse(pulledOnly.text()) as { catalog: unknown[]; configured: { name: string }[] };
    assert.equal(p.catalog.length, 0);
    assert.deepEqual(p.configured.map((r) => r.name).sort(), ["mine", "tiny"]);
    assert.ok(listCatalog().length > 40);
  });

  test("a file changed in size after the pull shows as changed", async () => {
    const { c } = await ctx();
    assert.equal(await pullCommand([SOURCE, "--quiet"], c), 0);
    await writeFile(join(c.dataDir, "models", "hf", "acme", "Tiny-GGUF", "tiny-Q8_0.gguf"), "short");
    const out = sink();
    await modelsCommand([], { ...c, stdout: out.stream, configuredModels: [{ backend: "local", name: "tiny", source: SOURCE }] });
    assert.match(out.text(), /changed: lock says 200000 bytes/);
  });

  test("--help", async () => {
    const { out, c } = await ctx();
    assert.equal(await modelsCommand(["--help"], { ...c, configuredModels: [] }), 0);
    assert.match(out.text(), /Usage: inhouse models/);
  });
});

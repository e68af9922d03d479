import assert from "node:assert/strict";
import { test } from "node:test";
import { parseModelSource } from "../engine/model-store/index.js";
import { getPreset } from "../providers/openai-compatible/presets.js";
import { catalogSourceLookup, findCatalogGguf, findCatalogModel, listCatalog } from "./index.js";

const models = listCatalog();
const SPDX = new Set(["Apache-2.0", "MIT"]);

test("names are unique, lower-case and addressable", () => {
  const names = models.map((m) => m.name);
  assert.equal(new Set(names).size, names.length, "duplicate names");
  for (const n of names) assert.match(n, /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, n);
});

test("every family the product promises is present", () => {
  const families = new Set(models.map((m) => m.family));
  for (const f of ["deepseek", "qwen", "kimi", "glm", "minimax", "llama", "gemma", "mistral", "gpt-oss", "phi", "olmo", "smollm"]) {
    assert.ok(families.has(f), `missing family ${f}`);
  }
  assert.ok(models.some((m) => m.name.startsWith("deepseek-r1-distill")), "R1 distills");
  assert.ok(models.some((m) => m.name.startsWith("qwen2.5-")), "Qwen2.5");
});

test("license fields are complete and conditional licenses say what the conditions are", () => {
  for (const m of models) {
    const l = m.license;
    assert.ok(l.id && l.name, `${m.name}: license id and name`);
    if (l.spdx) assert.ok(SPDX.has(l.id), `${m.name}: ${l.id} is not a known SPDX id`);
    for (const k of ["commercialUse", "modification"] as const) {
      assert.ok([true, false, "conditional", "unknown"].includes(l[k]), `${m.name}: ${k}`);
    }
    if (l.commercialUse === "conditional" || l.commercialUse === false) assert.ok(l.conditions, `${m.name}: conditions`);
  }
});

test("facts have sane shapes", () => {
  for (const m of models) {
    assert.match(m.origin, /^[A-Z]{2}$/, `${m.name}: origin`);
    assert.ok(m.publisher.length > 0);
    assert.ok(m.parameters.total > 0 && m.parameters.active > 0 && m.parameters.active <= m.parameters.total, `${m.name}: parameters`);
    if (m.contextLength !== "unknown") assert.ok(Number.isInteger(m.contextLength) && m.contextLength >= 2048, `${m.name}: context`);
    if (m.extendedContextLength !== undefined) {
      assert.ok(m.contextLength !== "unknown" && m.extendedContextLength > m.contextLength, `${m.name}: extended context`);
    }
    if (m.languages !== "unknown") {
      assert.ok(m.languages.length > 0);
      for (const lang of m.languages) assert.match(lang, /^[a-z]{2,3}$/, `${m.name}: ${lang}`);
    }
    assert.ok(m.capabilities.includes("chat"), `${m.name}: capabilities`);
  }
});

test("GGUF sources parse as hf: sources, are unique, and carry valid optional size and sha256", () => {
  const seen = new Set<string>();
  for (const m of models) {
    for (const g of m.gguf) {
      assert.ok(!seen.has(g.source), `duplicate source ${g.source}`);
      seen.add(g.source);
      const spec = parseModelSource(g.source, { env: {} });
      assert.equal(spec.kind, "remote", g.source);
      assert.ok(g.quantization.length > 0);
      if (g.sha256 !== undefined) assert.match(g.sha256, /^[0-9a-f]{64}$/);
      if (g.sizeBytes !== undefined) assert.ok(Number.isSafeInteger(g.sizeBytes) && g.sizeBytes > 0);
      if (g.approxGB !== undefined) assert.ok(g.approxGB > 0 && g.approxGB < 200);
    }
    if (m.gguf.length === 0) assert.ok(m.notes, `${m.name}: say why there is no GGUF`);
  }
  assert.ok(seen.size >= 30, `only ${seen.size} GGUF sources`);
});

test("hosted offers name existing vendor presets", () => {
  for (const m of models) {
    const vendors = m.hostedBy.map((h) => h.vendor);
    assert.equal(new Set(vendors.map((v, i) => `${v}/${m.hostedBy[i]?.model ?? ""}`)).size, vendors.length, `${m.name}: duplicate offer`);
    for (const v of vendors) assert.ok(getPreset(v), `${m.name}: unknown vendor preset ${v}`);
  }
});

test("lookups: case-insensitive names, :QUANT picks a file, the store lookup returns the default source", () => {
  assert.equal(findCatalogModel("Qwen3-0.6B")?.name, "qwen3-0.6b");
  assert.equal(findCatalogModel("nope"), undefined);
  assert.equal(catalogSourceLookup("qwen3-0.6b")?.source, "hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf");
  assert.equal(findCatalogGguf("qwen3-8b:q8_0")?.gguf.quantization, "Q8_0");
  assert.equal(findCatalogGguf("qwen3-8b:q2_k"), undefined);
  assert.equal(catalogSourceLookup("kimi-k2-instruct"), undefined, "no GGUF: nothing to pull");
  const spec = parseModelSource("qwen3-0.6b", { env: {}, lookup: catalogSourceLookup });
  assert.equal(spec.kind === "remote" && spec.url, "https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf");
});

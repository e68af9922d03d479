// Qwen (Alibaba Cloud, CN): Qwen3 dense and MoE sizes, the 2507 update, and Qwen2.5 instruct models.
import { APACHE_2, QWEN_LICENSE, QWEN_RESEARCH } from "../licenses.js";
import type { CatalogGgufSource, CatalogModel, HostedOffer } from "../types.js";

const base = { family: "qwen", publisher: "Qwen (Alibaba Cloud)", origin: "CN" } as const;
// The languages Qwen's model cards name explicitly; Qwen3 claims 119 languages and dialects overall.
const QWEN_LANGS = ["zh", "en", "fr", "es", "pt", "de", "it", "ru", "ja", "ko", "vi", "th", "ar"] as const;

function qwen3(
  size: string,
  total: number,
  active: number,
  gguf: CatalogGgufSource[],
  hostedBy: HostedOffer[],
  long: boolean,
): CatalogModel {
  const displayName = `Qwen3-${size}`;
  return {
    ...base,
    name: `qwen3-${size.toLowerCase()}`,
    displayName,
    license: APACHE_2,
    parameters: { total, active },
    contextLength: 32_768,
    ...(long ? { extendedContextLength: 131_072 } : {}),
    languages: QWEN_LANGS,
    languageNote: "119 languages and dialects claimed by the publisher.",
    capabilities: ["chat", "reasoning", "tools", "code"],
    hfRepo: `Qwen/${displayName}`,
    gguf,
    hostedBy,
    notes: "Hybrid thinking model: `enable_thinking` (or /no_think in the prompt) switches reasoning off.",
  };
}

// bartowski names Qwen3 files with the organisation prefix: Qwen_Qwen3-8B-Q4_K_M.gguf.
const bart = (size: string, quant = "Q4_K_M"): CatalogGgufSource => ({
  source: `hf:bartowski/Qwen_Qwen3-${size}-GGUF/Qwen_Qwen3-${size}-${quant}.gguf`,
  quantization: quant,
});
const or = (id: string): HostedOffer => ({ vendor: "openrouter", model: id });
const dash = (id: string): HostedOffer => ({ vendor: "qwen", model: id });

function qwen25(size: string, params: number, license: CatalogModel["license"], gguf: CatalogGgufSource, long: boolean, hostedBy: HostedOffer[] = []): CatalogModel {
  const displayName = `Qwen2.5-${size}-Instruct`;
  return {
    ...base,
    name: `qwen2.5-${size.toLowerCase()}`,
    displayName,
    license,
    parameters: { total: params, active: params },
    contextLength: 32_768,
    ...(long ? { extendedContextLength: 131_072 } : {}),
    languages: QWEN_LANGS,
    languageNote: "More than 29 languages claimed by the publisher.",
    capabilities: ["chat", "tools", "code"],
    hfRepo: `Qwen/${displayName}`,
    gguf: [gguf],
    hostedBy,
  };
}

const officialQ25 = (size: string, quant: string): CatalogGgufSource => ({
  // Qwen's own Qwen2.5 GGUF repositories use lower-case file names.
  source: `hf:Qwen/Qwen2.5-${size}-Instruct-GGUF/qwen2.5-${size.toLowerCase()}-instruct-${quant.toLowerCase()}.gguf`,
  quantization: quant,
});
const bartQ25 = (size: string): CatalogGgufSource => ({
  source: `hf:bartowski/Qwen2.5-${size}-Instruct-GGUF/Qwen2.5-${size}-Instruct-Q4_K_M.gguf`,
  quantization: "Q4_K_M",
});

export const QWEN_MODELS: readonly CatalogModel[] = [
  qwen3("0.6B", 0.6e9, 0.6e9, [{ source: "hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf", quantization: "Q8_0" }, bart("0.6B")], [], false),
  qwen3("1.7B", 1.7e9, 1.7e9, [{ source: "hf:Qwen/Qwen3-1.7B-GGUF/Qwen3-1.7B-Q8_0.gguf", quantization: "Q8_0" }, bart("1.7B")], [], false),
  qwen3("4B", 4.0e9, 4.0e9, [bart("4B"), bart("4B", "Q8_0")], [], true),
  qwen3("8B", 8.2e9, 8.2e9, [bart("8B"), bart("8B", "Q8_0")], [dash("qwen3-8b"), or("qwen/qwen3-8b")], true),
  qwen3("14B", 14.8e9, 14.8e9, [bart("14B")], [dash("qwen3-14b"), or("qwen/qwen3-14b")], true),
  qwen3("32B", 32.8e9, 32.8e9, [bart("32B")], [dash("qwen3-32b"), or("qwen/qwen3-32b")], true),
  qwen3("30B-A3B", 30.5e9, 3.3e9, [bart("30B-A3B")], [dash("qwen3-30b-a3b"), or("qwen/qwen3-30b-a3b")], true),
  qwen3("235B-A22B", 235e9, 22e9, [], [dash("qwen3-235b-a22b"), or("qwen/qwen3-235b-a22b"), { vendor: "together" }, { vendor: "fireworks" }], true),
  {
    ...base,
    name: "qwen3-4b-instruct-2507",
    displayName: "Qwen3-4B-Instruct-2507",
    license: APACHE_2,
    parameters: { total: 4.0e9, active: 4.0e9 },
    contextLength: 262_144,
    languages: QWEN_LANGS,
    languageNote: "119 languages and dialects claimed by the publisher.",
    capabilities: ["chat", "tools", "code"],
    hfRepo: "Qwen/Qwen3-4B-Instruct-2507",
    gguf: [{ source: "hf:unsloth/Qwen3-4B-Instruct-2507-GGUF/Qwen3-4B-Instruct-2507-Q4_K_M.gguf", quantization: "Q4_K_M" }],
    hostedBy: [],
    notes: "July 2025 update: non-thinking only.",
  },
  qwen25("0.5B", 0.49e9, APACHE_2, officialQ25("0.5B", "Q8_0"), false),
  qwen25("1.5B", 1.54e9, APACHE_2, officialQ25("1.5B", "Q4_K_M"), false),
  qwen25("3B", 3.09e9, QWEN_RESEARCH, officialQ25("3B", "Q4_K_M"), false),
  qwen25("7B", 7.61e9, APACHE_2, bartQ25("7B"), true, [or("qwen/qwen-2.5-7b-instruct")]),
  qwen25("14B", 14.7e9, APACHE_2, bartQ25("14B"), true),
  qwen25("32B", 32.5e9, APACHE_2, bartQ25("32B"), true),
  qwen25("72B", 72.7e9, QWEN_LICENSE, bartQ25("72B"), true, [or("qwen/qwen-2.5-72b-instruct"), { vendor: "together" }]),
];

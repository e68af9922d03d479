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

// Sizes and sha256 below were cross-checked in several public manifests that pin these files (Nov 2026);
// the hub's own published hash still wins at download time.
const pinned = (sizeBytes?: number, sha256?: string) => ({ ...(sizeBytes ? { sizeBytes } : {}), ...(sha256 ? { sha256 } : {}) });
// bartowski names Qwen3 files with the organisation prefix: Qwen_Qwen3-8B-Q4_K_M.gguf.
const bart = (size: string, quant = "Q4_K_M", sizeBytes?: number, sha256?: string): CatalogGgufSource => ({
  source: `hf:bartowski/Qwen_Qwen3-${size}-GGUF/Qwen_Qwen3-${size}-${quant}.gguf`,
  quantization: quant,
  ...pinned(sizeBytes, sha256),
});
const official = (size: string, quant: string, sizeBytes?: number, sha256?: string): CatalogGgufSource => ({
  source: `hf:Qwen/Qwen3-${size}-GGUF/Qwen3-${size}-${quant}.gguf`,
  quantization: quant,
  ...pinned(sizeBytes, sha256),
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
  qwen3(
    "0.6B",
    0.6e9,
    0.6e9,
    [
      official("0.6B", "Q8_0", 639_446_688, "9465e63a22add5354d9bb4b99e90117043c7124007664907259bd16d043bb031"),
      bart("0.6B", "Q4_K_M", 484_220_320, "9acfc1e001311f34b4252001b626f2e466d592a42065f66571bff3790d4e1b14"),
    ],
    [],
    false,
  ),
  qwen3(
    "1.7B",
    1.7e9,
    1.7e9,
    [official("1.7B", "Q8_0"), bart("1.7B", "Q4_K_M", 1_282_439_584, "72c5c3cb38fa32d5256e2fe30d03e7a64c6c79e668ad84057e3bd66e250b24fb")],
    [],
    false,
  ),
  qwen3("4B", 4.0e9, 4.0e9, [official("4B", "Q4_K_M", 2_497_280_256, "7485fe6f11af29433bc51cab58009521f205840f5b4ae3a32fa7f92e8534fdf5"), bart("4B", "Q8_0")], [], true),
  qwen3(
    "8B",
    8.2e9,
    8.2e9,
    [official("8B", "Q4_K_M", 5_027_783_488, "d98cdcbd03e17ce47681435b5150e34c1417f50b5c0019dd560e4882c5745785"), bart("8B", "Q8_0")],
    [dash("qwen3-8b"), or("qwen/qwen3-8b")],
    true,
  ),
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
  qwen25(
    "3B",
    3.09e9,
    QWEN_RESEARCH,
    { ...officialQ25("3B", "Q4_K_M"), ...pinned(2_104_932_768, "626b4a6678b86442240e33df819e00132d3ba7dddfe1cdc4fbb18e0a9615c62d") },
    false,
  ),
  qwen25("7B", 7.61e9, APACHE_2, bartQ25("7B"), true, [or("qwen/qwen-2.5-7b-instruct")]),
  qwen25("14B", 14.7e9, APACHE_2, bartQ25("14B"), true),
  qwen25("32B", 32.5e9, APACHE_2, bartQ25("32B"), true),
  qwen25("72B", 72.7e9, QWEN_LICENSE, bartQ25("72B"), true, [or("qwen/qwen-2.5-72b-instruct"), { vendor: "together" }]),
];

// SmolLM (Hugging Face, US): small models for CPUs and edge devices.
import { APACHE_2 } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = { family: "smollm", publisher: "Hugging Face", origin: "US", license: APACHE_2 } as const;

function smollm2(size: string, params: number, quant: string, pin?: { sizeBytes: number; sha256: string }): CatalogModel {
  const displayName = `SmolLM2-${size}-Instruct`;
  return {
    ...base,
    name: `smollm2-${size.toLowerCase()}`,
    displayName,
    parameters: { total: params, active: params },
    contextLength: 8_192,
    languages: ["en"],
    capabilities: ["chat"],
    hfRepo: `HuggingFaceTB/${displayName}`,
    // Hugging Face's own GGUF repositories use lower-case file names.
    gguf: [
      {
        source: `hf:HuggingFaceTB/${displayName}-GGUF/smollm2-${size.toLowerCase()}-instruct-${quant.toLowerCase()}.gguf`,
        quantization: quant,
        ...(pin ?? {}),
      },
    ],
    hostedBy: [],
  };
}

export const SMOLLM_MODELS: readonly CatalogModel[] = [
  smollm2("135M", 0.135e9, "Q8_0"),
  smollm2("360M", 0.362e9, "Q8_0"),
  smollm2("1.7B", 1.71e9, "Q4_K_M", { sizeBytes: 1_055_609_536, sha256: "decd2598bc2c8ed08c19adc3c8fdd461ee19ed5708679d1c54ef54a5a30d4f33" }),
  {
    ...base,
    name: "smollm3-3b",
    displayName: "SmolLM3-3B",
    parameters: { total: 3.08e9, active: 3.08e9 },
    contextLength: 65_536,
    extendedContextLength: 131_072,
    languages: ["en", "fr", "es", "de", "it", "pt"],
    capabilities: ["chat", "reasoning", "tools"],
    hfRepo: "HuggingFaceTB/SmolLM3-3B",
    gguf: [
      {
        source: "hf:unsloth/SmolLM3-3B-GGUF/SmolLM3-3B-Q4_K_M.gguf",
        quantization: "Q4_K_M",
        sizeBytes: 1_915_306_528,
        sha256: "4de907d2d388a5508fb7cb443a06effe14cce3518b0a78d3bdd9e74d9edce989",
      },
      { source: "hf:bartowski/HuggingFaceTB_SmolLM3-3B-GGUF/HuggingFaceTB_SmolLM3-3B-Q4_K_M.gguf", quantization: "Q4_K_M", approxGB: 1.92 },
    ],
    hostedBy: [],
    notes: "Hybrid reasoning: /think and /no_think in the system prompt.",
  },
];

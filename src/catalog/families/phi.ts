// Phi (Microsoft, US).
import { MIT } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = { family: "phi", publisher: "Microsoft", origin: "US", license: MIT } as const;

export const PHI_MODELS: readonly CatalogModel[] = [
  {
    ...base,
    name: "phi-4",
    displayName: "phi-4",
    parameters: { total: 14.7e9, active: 14.7e9 },
    contextLength: 16_384,
    languages: ["en"],
    languageNote: "Mostly English; multilingual data was about 8% of training.",
    capabilities: ["chat", "reasoning", "code"],
    hfRepo: "microsoft/phi-4",
    gguf: [{
        source: "hf:bartowski/phi-4-GGUF/phi-4-Q4_K_M.gguf",
        quantization: "Q4_K_M",
        sizeBytes: 9_053_114_816,
        sha256: "009aba717c09d4a35890c7d35eb59d54e1dba884c7c526e7197d9c13ab5911d9",
      }],
    hostedBy: [{ vendor: "openrouter", model: "microsoft/phi-4" }],
  },
  {
    ...base,
    name: "phi-4-mini",
    displayName: "Phi-4-mini-instruct",
    parameters: { total: 3.84e9, active: 3.84e9 },
    contextLength: 131_072,
    languages: ["en", "ar", "zh", "cs", "da", "nl", "fi", "fr", "de", "he", "hu", "it", "ja", "ko", "no", "pl", "pt", "ru", "es", "sv", "th", "tr", "uk"],
    capabilities: ["chat", "tools", "code"],
    hfRepo: "microsoft/Phi-4-mini-instruct",
    gguf: [{
        source: "hf:bartowski/microsoft_Phi-4-mini-instruct-GGUF/microsoft_Phi-4-mini-instruct-Q4_K_M.gguf",
        quantization: "Q4_K_M",
        sizeBytes: 2_491_874_688,
        sha256: "01999f17c39cc3074afae5e9c539bc82d45f2dd7faa3917c66cbef76fce8c0c2",
      }],
    hostedBy: [],
  },
  {
    ...base,
    name: "phi-3-mini-4k",
    displayName: "Phi-3-mini-4k-instruct",
    parameters: { total: 3.82e9, active: 3.82e9 },
    contextLength: 4_096,
    languages: ["en"],
    capabilities: ["chat"],
    hfRepo: "microsoft/Phi-3-mini-4k-instruct",
    gguf: [{ source: "hf:microsoft/Phi-3-mini-4k-instruct-gguf/Phi-3-mini-4k-instruct-q4.gguf", quantization: "Q4" }],
    hostedBy: [],
  },
];

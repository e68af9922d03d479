// Kimi K2 (Moonshot AI, Beijing, CN): 1T-parameter MoE, far beyond one machine as a single GGUF file.
import { KIMI_MODIFIED_MIT } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = {
  family: "kimi",
  publisher: "Moonshot AI",
  origin: "CN",
  license: KIMI_MODIFIED_MIT,
  parameters: { total: 1.04e12, active: 32e9 },
  languages: ["en", "zh"],
  capabilities: ["chat", "tools", "code"],
  gguf: [],
} as const satisfies Partial<CatalogModel>;

export const KIMI_MODELS: readonly CatalogModel[] = [
  {
    ...base,
    name: "kimi-k2-instruct",
    displayName: "Kimi-K2-Instruct",
    contextLength: 131_072,
    hfRepo: "moonshotai/Kimi-K2-Instruct",
    hostedBy: [
      { vendor: "moonshot", model: "kimi-k2-0711-preview" },
      { vendor: "openrouter", model: "moonshotai/kimi-k2" },
      { vendor: "together" },
      { vendor: "fireworks" },
    ],
    notes: "July 2025 release; about 1 TB of weights: serve with vLLM/SGLang on a multi-GPU node or use a hosted API.",
  },
  {
    ...base,
    name: "kimi-k2-instruct-0905",
    displayName: "Kimi-K2-Instruct-0905",
    contextLength: 262_144,
    hfRepo: "moonshotai/Kimi-K2-Instruct-0905",
    hostedBy: [{ vendor: "moonshot", model: "kimi-k2-0905-preview" }, { vendor: "openrouter", model: "moonshotai/kimi-k2-0905" }],
    notes: "September 2025 update with a 256K window; same size as K2.",
  },
];

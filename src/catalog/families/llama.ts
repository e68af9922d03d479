// Llama 3.x (Meta, US).
import { LLAMA_3_1, LLAMA_3_2, LLAMA_3_3 } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = {
  family: "llama",
  publisher: "Meta",
  origin: "US",
  contextLength: 131_072,
  // The eight languages Meta lists as officially supported for Llama 3.1-3.3.
  languages: ["en", "de", "fr", "it", "pt", "hi", "es", "th"],
  capabilities: ["chat", "tools", "code"],
} as const;

// Sizes and sha256 where given were cross-checked in several public manifests pinning these files.
const bart = (file: string, approxGB: number, sizeBytes?: number, sha256?: string) => ({
  source: `hf:bartowski/${file}-GGUF/${file}-Q4_K_M.gguf`,
  quantization: "Q4_K_M",
  ...(sizeBytes && sha256 ? { sizeBytes, sha256 } : { approxGB }),
});

export const LLAMA_MODELS: readonly CatalogModel[] = [
  {
    ...base,
    name: "llama-3.2-1b",
    displayName: "Llama-3.2-1B-Instruct",
    license: LLAMA_3_2,
    parameters: { total: 1.24e9, active: 1.24e9 },
    hfRepo: "meta-llama/Llama-3.2-1B-Instruct",
    gguf: [bart("Llama-3.2-1B-Instruct", 0.81)],
    hostedBy: [{ vendor: "openrouter", model: "meta-llama/llama-3.2-1b-instruct" }],
  },
  {
    ...base,
    name: "llama-3.2-3b",
    displayName: "Llama-3.2-3B-Instruct",
    license: LLAMA_3_2,
    parameters: { total: 3.21e9, active: 3.21e9 },
    hfRepo: "meta-llama/Llama-3.2-3B-Instruct",
    gguf: [bart("Llama-3.2-3B-Instruct", 2.02, 2_019_377_696, "6c1a2b41161032677be168d354123594c0e6e67d2b9227c84f296ad037c728ff")],
    hostedBy: [{ vendor: "openrouter", model: "meta-llama/llama-3.2-3b-instruct" }, { vendor: "together" }],
  },
  {
    ...base,
    name: "llama-3.1-8b",
    displayName: "Llama-3.1-8B-Instruct",
    license: LLAMA_3_1,
    parameters: { total: 8.03e9, active: 8.03e9 },
    hfRepo: "meta-llama/Llama-3.1-8B-Instruct",
    gguf: [bart("Meta-Llama-3.1-8B-Instruct", 4.92, 4_920_739_232, "7b064f5842bf9532c91456deda288a1b672397a54fa729aa665952863033557c")],
    hostedBy: [{ vendor: "openrouter", model: "meta-llama/llama-3.1-8b-instruct" }, { vendor: "together" }, { vendor: "fireworks" }],
  },
  {
    ...base,
    name: "llama-3.3-70b",
    displayName: "Llama-3.3-70B-Instruct",
    license: LLAMA_3_3,
    parameters: { total: 70.6e9, active: 70.6e9 },
    hfRepo: "meta-llama/Llama-3.3-70B-Instruct",
    gguf: [bart("Llama-3.3-70B-Instruct", 42.5)],
    hostedBy: [{ vendor: "openrouter", model: "meta-llama/llama-3.3-70b-instruct" }, { vendor: "together" }, { vendor: "fireworks" }],
    notes: "About 43 GB at Q4_K_M: a server with 64 GB of RAM or more.",
  },
];

// OLMo 2 (Allen Institute for AI, Seattle, US): fully open (data, code, checkpoints).
import { APACHE_2 } from "../licenses.js";
import type { CatalogGgufSource, CatalogModel } from "../types.js";

function olmo2(name: string, displayName: string, params: number, official?: CatalogGgufSource): CatalogModel {
  return {
    name,
    displayName,
    family: "olmo",
    publisher: "Allen Institute for AI (Ai2)",
    origin: "US",
    license: APACHE_2,
    parameters: { total: params, active: params },
    contextLength: 4_096,
    languages: ["en"],
    languageNote: "Primarily English.",
    capabilities: ["chat"],
    hfRepo: `allenai/${displayName}`,
    gguf: [...(official ? [official] : []), { source: `hf:bartowski/${displayName}-GGUF/${displayName}-Q4_K_M.gguf`, quantization: "Q4_K_M" }],
    hostedBy: [],
    notes: "Training data, code and intermediate checkpoints are published too.",
  };
}

export const OLMO_MODELS: readonly CatalogModel[] = [
  olmo2("olmo-2-7b", "OLMo-2-1124-7B-Instruct", 7.3e9, {
    // Ai2's own GGUF; size and sha256 cross-checked in several public manifests pinning it.
    source: "hf:allenai/OLMo-2-1124-7B-Instruct-GGUF/olmo-2-1124-7B-instruct-Q4_K_M.gguf",
    quantization: "Q4_K_M",
    sizeBytes: 4_472_020_256,
    sha256: "e08112e5f84aab7c05fa6e713c58e5214cd5d8e32ed773ff3354b006eed41b95",
  }),
  olmo2("olmo-2-13b", "OLMo-2-1124-13B-Instruct", 13.7e9),
];

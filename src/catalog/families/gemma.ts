// Gemma 3 (Google, US).
import { GEMMA } from "../licenses.js";
import type { CatalogModel } from "../types.js";

function gemma3(size: string, params: number, contextLength: number, vision: boolean, approxGB?: number): CatalogModel {
  const file = `google_gemma-3-${size}-it`;
  return {
    name: `gemma-3-${size}`,
    displayName: `gemma-3-${size}-it`,
    family: "gemma",
    publisher: "Google",
    origin: "US",
    license: GEMMA,
    parameters: { total: params, active: params },
    contextLength,
    languages: ["en"],
    languageNote: "The publisher claims support for over 140 languages without naming the strongest.",
    capabilities: vision ? ["chat", "vision"] : ["chat"],
    hfRepo: `google/gemma-3-${size}-it`,
    // bartowski names Gemma 3 repositories and files with the `google_` prefix.
    gguf: [{ source: `hf:bartowski/${file}-GGUF/${file}-Q4_K_M.gguf`, quantization: "Q4_K_M", ...(approxGB ? { approxGB } : {}) }],
    hostedBy: size === "27b" ? [{ vendor: "openrouter", model: "google/gemma-3-27b-it" }] : [],
    ...(vision ? { notes: "Image input needs the separate mmproj file, which the catalog does not pull." } : {}),
  };
}

export const GEMMA_MODELS: readonly CatalogModel[] = [
  gemma3("1b", 1.0e9, 32_768, false),
  gemma3("4b", 4.3e9, 131_072, true, 2.49),
  gemma3("12b", 12.2e9, 131_072, true),
  gemma3("27b", 27.4e9, 131_072, true),
];

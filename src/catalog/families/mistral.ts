// Mistral AI (Paris, FR): the Apache-2.0 open-weight models.
import { APACHE_2 } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = { family: "mistral", publisher: "Mistral AI", origin: "FR", license: APACHE_2 } as const;

export const MISTRAL_MODELS: readonly CatalogModel[] = [
  {
    ...base,
    name: "mistral-7b-v0.3",
    displayName: "Mistral-7B-Instruct-v0.3",
    parameters: { total: 7.25e9, active: 7.25e9 },
    contextLength: 32_768,
    languages: ["en"],
    capabilities: ["chat", "tools"],
    hfRepo: "mistralai/Mistral-7B-Instruct-v0.3",
    gguf: [
      {
        source: "hf:bartowski/Mistral-7B-Instruct-v0.3-GGUF/Mistral-7B-Instruct-v0.3-Q4_K_M.gguf",
        quantization: "Q4_K_M",
        sizeBytes: 4_372_812_000,
        sha256: "1270d22c0fbb3d092fb725d4d96c457b7b687a5f5a715abe1e818da303e562b6",
      },
    ],
    hostedBy: [{ vendor: "openrouter", model: "mistralai/mistral-7b-instruct-v0.3" }, { vendor: "together" }],
  },
  {
    ...base,
    name: "mistral-nemo-12b",
    displayName: "Mistral-Nemo-Instruct-2407",
    parameters: { total: 12.2e9, active: 12.2e9 },
    contextLength: 131_072,
    languages: ["en", "fr", "de", "es", "it", "pt", "zh", "ja", "ko", "ar", "hi"],
    capabilities: ["chat", "tools"],
    hfRepo: "mistralai/Mistral-Nemo-Instruct-2407",
    gguf: [
      {
        source: "hf:bartowski/Mistral-Nemo-Instruct-2407-GGUF/Mistral-Nemo-Instruct-2407-Q4_K_M.gguf",
        quantization: "Q4_K_M",
        sizeBytes: 7_477_208_192,
        sha256: "7c1a10d202d8788dbe5628dc962254d10654c853cae6aaeca0618f05490d4a46",
      },
    ],
    hostedBy: [{ vendor: "openrouter", model: "mistralai/mistral-nemo" }],
    notes: "Built with NVIDIA.",
  },
  {
    ...base,
    name: "mistral-small-3.2-24b",
    displayName: "Mistral-Small-3.2-24B-Instruct-2506",
    parameters: { total: 24e9, active: 24e9 },
    contextLength: 131_072,
    languages: ["en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "ar", "hi", "zh", "ja", "ko", "vi", "id", "tr"],
    languageNote: "Dozens of languages per the publisher; the list here is a subset of those it names.",
    capabilities: ["chat", "tools", "vision"],
    hfRepo: "mistralai/Mistral-Small-3.2-24B-Instruct-2506",
    gguf: [
      {
        source: "hf:bartowski/mistralai_Mistral-Small-3.2-24B-Instruct-2506-GGUF/mistralai_Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf",
        quantization: "Q4_K_M",
      },
    ],
    hostedBy: [{ vendor: "openrouter", model: "mistralai/mistral-small-3.2-24b-instruct" }],
  },
];

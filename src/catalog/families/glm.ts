// GLM-4.x (Zhipu AI / Z.ai, Beijing, CN).
import { MIT } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = { family: "glm", publisher: "Zhipu AI (Z.ai)", origin: "CN", license: MIT, languages: ["zh", "en"] } as const;
const BIG = "Too large for a single GGUF file on one machine; serve with vLLM/SGLang or use a hosted API.";

export const GLM_MODELS: readonly CatalogModel[] = [
  {
    ...base,
    name: "glm-4.6",
    displayName: "GLM-4.6",
    parameters: { total: 355e9, active: 32e9 },
    contextLength: 200_000,
    capabilities: ["chat", "reasoning", "tools", "code"],
    hfRepo: "zai-org/GLM-4.6",
    gguf: [],
    hostedBy: [{ vendor: "zai", model: "glm-4.6" }, { vendor: "openrouter", model: "z-ai/glm-4.6" }, { vendor: "together" }],
    notes: `Window stated as 200K tokens (128K output). Hugging Face lists 357B parameters including the MTP layer. ${BIG}`,
  },
  {
    ...base,
    name: "glm-4.5",
    displayName: "GLM-4.5",
    parameters: { total: 355e9, active: 32e9 },
    contextLength: 131_072,
    capabilities: ["chat", "reasoning", "tools", "code"],
    hfRepo: "zai-org/GLM-4.5",
    gguf: [],
    hostedBy: [{ vendor: "zai", model: "glm-4.5" }, { vendor: "openrouter", model: "z-ai/glm-4.5" }],
    notes: BIG,
  },
  {
    ...base,
    name: "glm-4.5-air",
    displayName: "GLM-4.5-Air",
    parameters: { total: 106e9, active: 12e9 },
    contextLength: 131_072,
    capabilities: ["chat", "reasoning", "tools", "code"],
    hfRepo: "zai-org/GLM-4.5-Air",
    gguf: [],
    hostedBy: [{ vendor: "zai", model: "glm-4.5-air" }, { vendor: "openrouter", model: "z-ai/glm-4.5-air" }],
    notes: "4-bit GGUF builds exist but are split into several files (about 60-70 GB), which the single-file store does not pull.",
  },
  {
    ...base,
    name: "glm-4-9b-0414",
    displayName: "GLM-4-9B-0414",
    parameters: { total: 9.4e9, active: 9.4e9 },
    contextLength: 32_768,
    capabilities: ["chat", "tools", "code"],
    hfRepo: "THUDM/GLM-4-9B-0414",
    gguf: [{ source: "hf:bartowski/THUDM_GLM-4-9B-0414-GGUF/THUDM_GLM-4-9B-0414-Q4_K_M.gguf", quantization: "Q4_K_M" }],
    hostedBy: [],
  },
];

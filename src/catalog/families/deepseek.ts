// DeepSeek (Hangzhou, CN): V3.x, R1, and the R1 distills onto Qwen2.5 / Llama / Qwen3 bases.
import { DEEPSEEK_MODEL_LICENSE, LLAMA_3_1, LLAMA_3_3, MIT } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = { family: "deepseek", publisher: "DeepSeek", origin: "CN" } as const;
const EN_ZH = ["en", "zh"] as const;
const DISTILL_NOTE =
  "Distilled from DeepSeek-R1 onto a smaller base; the base's own license terms also apply (see license). The publisher sets the maximum generation length to 32,768 tokens.";
const TOO_BIG = "Too large for one machine as a single GGUF file; serve it with vLLM/SGLang or use a hosted API.";

export const DEEPSEEK_MODELS: readonly CatalogModel[] = [
  {
    ...base,
    name: "deepseek-v3",
    displayName: "DeepSeek-V3",
    license: DEEPSEEK_MODEL_LICENSE,
    parameters: { total: 671e9, active: 37e9 },
    contextLength: 131_072,
    languages: EN_ZH,
    capabilities: ["chat", "code", "tools"],
    hfRepo: "deepseek-ai/DeepSeek-V3",
    gguf: [],
    hostedBy: [{ vendor: "together" }, { vendor: "fireworks" }],
    notes: `The December 2024 release. ${TOO_BIG}`,
  },
  {
    ...base,
    name: "deepseek-v3-0324",
    displayName: "DeepSeek-V3-0324",
    license: MIT,
    parameters: { total: 671e9, active: 37e9 },
    contextLength: 131_072,
    languages: EN_ZH,
    capabilities: ["chat", "code", "tools"],
    hfRepo: "deepseek-ai/DeepSeek-V3-0324",
    gguf: [],
    hostedBy: [{ vendor: "openrouter", model: "deepseek/deepseek-chat-v3-0324" }, { vendor: "together" }, { vendor: "fireworks" }],
    notes: TOO_BIG,
  },
  {
    ...base,
    name: "deepseek-v3.1",
    displayName: "DeepSeek-V3.1",
    license: MIT,
    parameters: { total: 671e9, active: 37e9 },
    contextLength: 131_072,
    languages: EN_ZH,
    capabilities: ["chat", "reasoning", "code", "tools"],
    hfRepo: "deepseek-ai/DeepSeek-V3.1",
    gguf: [],
    hostedBy: [{ vendor: "openrouter", model: "deepseek/deepseek-chat-v3.1" }, { vendor: "together" }, { vendor: "fireworks" }],
    notes: `Hybrid thinking / non-thinking model (August 2025). ${TOO_BIG}`,
  },
  {
    ...base,
    name: "deepseek-v3.2-exp",
    displayName: "DeepSeek-V3.2-Exp",
    license: MIT,
    parameters: { total: 671e9, active: 37e9 },
    contextLength: 131_072,
    languages: EN_ZH,
    capabilities: ["chat", "reasoning", "code", "tools"],
    hfRepo: "deepseek-ai/DeepSeek-V3.2-Exp",
    gguf: [],
    hostedBy: [{ vendor: "deepseek" }],
    notes: `Experimental sparse-attention successor of V3.1 (September 2025). The DeepSeek API serves its current release under deepseek-chat / deepseek-reasoner, which may be newer than this entry. ${TOO_BIG}`,
  },
  {
    ...base,
    name: "deepseek-r1",
    displayName: "DeepSeek-R1-0528",
    license: MIT,
    parameters: { total: 671e9, active: 37e9 },
    contextLength: 131_072,
    languages: EN_ZH,
    capabilities: ["chat", "reasoning", "code"],
    hfRepo: "deepseek-ai/DeepSeek-R1-0528",
    gguf: [],
    hostedBy: [
      { vendor: "openrouter", model: "deepseek/deepseek-r1-0528" },
      { vendor: "together" },
      { vendor: "fireworks" },
    ],
    notes: TOO_BIG,
  },
  {
    ...base,
    name: "deepseek-r1-0528-qwen3-8b",
    displayName: "DeepSeek-R1-0528-Qwen3-8B",
    license: MIT,
    parameters: { total: 8.2e9, active: 8.2e9 },
    contextLength: "unknown",
    languages: EN_ZH,
    capabilities: ["chat", "reasoning"],
    hfRepo: "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B",
    gguf: [{ source: "hf:unsloth/DeepSeek-R1-0528-Qwen3-8B-GGUF/DeepSeek-R1-0528-Qwen3-8B-Q4_K_M.gguf", quantization: "Q4_K_M" }],
    hostedBy: [],
    notes: "R1-0528's reasoning distilled onto Qwen3-8B (Apache-2.0 base).",
  },
  distill("deepseek-r1-distill-qwen-1.5b", "DeepSeek-R1-Distill-Qwen-1.5B", 1.78e9, MIT, "unknown", "Qwen2.5-Math-1.5B (Apache-2.0)"),
  distill("deepseek-r1-distill-qwen-7b", "DeepSeek-R1-Distill-Qwen-7B", 7.62e9, MIT, "unknown", "Qwen2.5-Math-7B (Apache-2.0)"),
  distill("deepseek-r1-distill-llama-8b", "DeepSeek-R1-Distill-Llama-8B", 8.03e9, LLAMA_3_1, 131_072, "Llama-3.1-8B"),
  distill("deepseek-r1-distill-qwen-14b", "DeepSeek-R1-Distill-Qwen-14B", 14.8e9, MIT, "unknown", "Qwen2.5-14B (Apache-2.0)"),
  distill("deepseek-r1-distill-qwen-32b", "DeepSeek-R1-Distill-Qwen-32B", 32.8e9, MIT, "unknown", "Qwen2.5-32B (Apache-2.0)"),
  distill("deepseek-r1-distill-llama-70b", "DeepSeek-R1-Distill-Llama-70B", 70.6e9, LLAMA_3_3, 131_072, "Llama-3.3-70B-Instruct"),
];

function distill(
  name: string,
  displayName: string,
  params: number,
  license: CatalogModel["license"],
  contextLength: CatalogModel["contextLength"],
  baseModel: string,
): CatalogModel {
  return {
    ...base,
    name,
    displayName,
    license,
    parameters: { total: params, active: params },
    contextLength,
    languages: EN_ZH,
    capabilities: ["chat", "reasoning"],
    hfRepo: `deepseek-ai/${displayName}`,
    // bartowski's repositories of January 2025 carry no organisation prefix in their names.
    gguf: [{ source: `hf:bartowski/${displayName}-GGUF/${displayName}-Q4_K_M.gguf`, quantization: "Q4_K_M" }],
    hostedBy: name === "deepseek-r1-distill-llama-70b" ? [{ vendor: "openrouter", model: "deepseek/deepseek-r1-distill-llama-70b" }] : [],
    notes: `${DISTILL_NOTE} Base: ${baseModel}.`,
  };
}

// Lookups over the catalog data. Names are matched case-insensitively; `name:QUANT` picks another GGUF of the entry.
import { DEEPSEEK_MODELS } from "./families/deepseek.js";
import { GEMMA_MODELS } from "./families/gemma.js";
import { GLM_MODELS } from "./families/glm.js";
import { GPT_OSS_MODELS } from "./families/gpt-oss.js";
import { KIMI_MODELS } from "./families/kimi.js";
import { LLAMA_MODELS } from "./families/llama.js";
import { MINIMAX_MODELS } from "./families/minimax.js";
import { MISTRAL_MODELS } from "./families/mistral.js";
import { OLMO_MODELS } from "./families/olmo.js";
import { PHI_MODELS } from "./families/phi.js";
import { QWEN_MODELS } from "./families/qwen.js";
import { SMOLLM_MODELS } from "./families/smollm.js";
import type { CatalogGgufSource, CatalogModel } from "./types.js";

const ALL: readonly CatalogModel[] = Object.freeze([
  ...QWEN_MODELS,
  ...DEEPSEEK_MODELS,
  ...KIMI_MODELS,
  ...GLM_MODELS,
  ...MINIMAX_MODELS,
  ...LLAMA_MODELS,
  ...GEMMA_MODELS,
  ...MISTRAL_MODELS,
  ...GPT_OSS_MODELS,
  ...PHI_MODELS,
  ...OLMO_MODELS,
  ...SMOLLM_MODELS,
]);

const BY_NAME = new Map(ALL.map((m) => [m.name, m]));

export function listCatalog(): readonly CatalogModel[] {
  return ALL;
}

/** The entry for a name (`qwen3-0.6b`, case-insensitive; a `:QUANT` suffix is ignored here), or undefined. */
export function findCatalogModel(name: string): CatalogModel | undefined {
  return BY_NAME.get(splitName(name).base);
}

/** The GGUF file a name refers to: the entry's first (default) file, or the one whose quantization follows `:`. */
export function findCatalogGguf(name: string): { model: CatalogModel; gguf: CatalogGgufSource } | undefined {
  const { base, quant } = splitName(name);
  const model = BY_NAME.get(base);
  if (!model) return undefined;
  const gguf = quant === undefined ? model.gguf[0] : model.gguf.find((g) => g.quantization.toLowerCase() === quant);
  return gguf ? { model, gguf } : undefined;
}

/**
 * The model store's name lookup (`ModelSourceLookup`), kept structural so the catalog does not import the engine:
 * catalog names resolve to their default GGUF with its sha256 and size when the catalog knows them.
 */
export function catalogSourceLookup(name: string): { source: string; sha256?: string; size?: number } | undefined {
  const hit = findCatalogGguf(name);
  if (!hit) return undefined;
  return {
    source: hit.gguf.source,
    ...(hit.gguf.sha256 !== undefined ? { sha256: hit.gguf.sha256 } : {}),
    ...(hit.gguf.sizeBytes !== undefined ? { size: hit.gguf.sizeBytes } : {}),
  };
}

function splitName(name: string): { base: string; quant: string | undefined } {
  const lower = name.trim().toLowerCase();
  const i = lower.lastIndexOf(":");
  return i > 0 ? { base: lower.slice(0, i), quant: lower.slice(i + 1) } : { base: lower, quant: undefined };
}

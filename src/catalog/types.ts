// The shape of a catalog entry. Facts only; where a fact is not known it says "unknown" rather than guessing.

/** Hosted-API presets (src/providers/openai-compatible/presets.ts) that may serve a catalog model. */
export type HostedVendor = "deepseek" | "qwen" | "moonshot" | "zai" | "minimax" | "openrouter" | "together" | "fireworks";

export interface CatalogLicense {
  /** SPDX identifier when the license has one (`Apache-2.0`, `MIT`), else a short stable name (`llama3.1`). */
  id: string;
  /** True when `id` is an SPDX identifier. */
  spdx: boolean;
  name: string;
  url?: string;
  /** `conditional`: allowed, with conditions a business must read (user caps, attribution, use policy). */
  commercialUse: boolean | "conditional" | "unknown";
  modification: boolean | "conditional" | "unknown";
  /** The conditions in one sentence, when there are any. */
  conditions?: string;
}

export interface CatalogGgufSource {
  /** `hf:org/repo/file.gguf`. */
  source: string;
  /** llama.cpp quantization name: Q4_K_M, Q8_0, MXFP4... */
  quantization: string;
  /** Exact size in bytes, only when known. */
  sizeBytes?: number;
  /** The publisher's displayed size in GB (10^9 bytes), when that is all we know. */
  approxGB?: number;
  /** Lower-case hex sha256 of the file, only when known. */
  sha256?: string;
}

export interface HostedOffer {
  vendor: HostedVendor;
  /** The vendor's model id, when known; absent means "served, id not recorded here". */
  model?: string;
}

export interface CatalogModel {
  /** Addressable id, lower-case: `qwen3-0.6b`. */
  name: string;
  /** Human name as the publisher writes it. */
  displayName: string;
  family: string;
  publisher: string;
  /** ISO 3166-1 alpha-2 country of the publisher's headquarters. */
  origin: string;
  license: CatalogLicense;
  /** Parameter counts (not billions); `active` equals `total` for dense models. */
  parameters: { total: number; active: number };
  /** Native context window in tokens as the publisher states it, or "unknown". */
  contextLength: number | "unknown";
  /** Longer window reachable with rope scaling (YaRN), when the publisher documents one. */
  extendedContextLength?: number;
  /** BCP-47 codes of languages the publisher documents the model as strong in (or "unknown"). */
  languages: readonly string[] | "unknown";
  /** What else the publisher says about language coverage. */
  languageNote?: string;
  capabilities: readonly ("chat" | "reasoning" | "tools" | "vision" | "code")[];
  /** Original (non-GGUF) weights. */
  hfRepo?: string;
  /** GGUF files for sizes that fit one machine; the first is the default pulled for `name`. Empty when the model is too big for one machine. */
  gguf: readonly CatalogGgufSource[];
  hostedBy: readonly HostedOffer[];
  notes?: string;
}

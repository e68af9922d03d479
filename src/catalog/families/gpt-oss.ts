// gpt-oss (OpenAI, US): open-weight MoE models with MXFP4 experts.
import { APACHE_2 } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = {
  family: "gpt-oss",
  publisher: "OpenAI",
  origin: "US",
  license: APACHE_2,
  contextLength: 131_072,
  languages: ["en"],
  capabilities: ["chat", "reasoning", "tools", "code"],
} as const;

export const GPT_OSS_MODELS: readonly CatalogModel[] = [
  {
    ...base,
    name: "gpt-oss-20b",
    displayName: "gpt-oss-20b",
    parameters: { total: 20.9e9, active: 3.6e9 },
    hfRepo: "openai/gpt-oss-20b",
    gguf: [
      { source: "hf:ggml-org/gpt-oss-20b-GGUF/gpt-oss-20b-mxfp4.gguf", quantization: "MXFP4" },
      { source: "hf:bartowski/openai_gpt-oss-20b-GGUF/openai_gpt-oss-20b-MXFP4.gguf", quantization: "MXFP4", approxGB: 12.1 },
    ],
    hostedBy: [{ vendor: "openrouter", model: "openai/gpt-oss-20b" }, { vendor: "together" }, { vendor: "fireworks" }],
    notes: "Uses OpenAI's harmony response format; reasoning effort is set in the system prompt.",
  },
  {
    ...base,
    name: "gpt-oss-120b",
    displayName: "gpt-oss-120b",
    parameters: { total: 116.8e9, active: 5.1e9 },
    hfRepo: "openai/gpt-oss-120b",
    gguf: [],
    hostedBy: [{ vendor: "openrouter", model: "openai/gpt-oss-120b" }, { vendor: "together" }, { vendor: "fireworks" }],
    notes: "The GGUF (about 60 GB, MXFP4) is split into three files, which the single-file store does not pull; place them by hand and point a local path at the first.",
  },
];

// MiniMax M-series (MiniMax, Shanghai, CN).
import { APACHE_2, MIT } from "../licenses.js";
import type { CatalogModel } from "../types.js";

const base = { family: "minimax", publisher: "MiniMax", origin: "CN", languages: ["zh", "en"], gguf: [] } as const;

export const MINIMAX_MODELS: readonly CatalogModel[] = [
  {
    ...base,
    name: "minimax-m2",
    displayName: "MiniMax-M2",
    license: MIT,
    parameters: { total: 230e9, active: 10e9 },
    contextLength: "unknown",
    capabilities: ["chat", "reasoning", "tools", "code"],
    hfRepo: "MiniMaxAI/MiniMax-M2",
    hostedBy: [{ vendor: "minimax", model: "MiniMax-M2" }, { vendor: "openrouter", model: "minimax/minimax-m2" }],
    notes:
      "Window: MiniMax's API documents 204,800 tokens while third-party listings say 128K; not confirmed from the model card here. Emits <think>…</think> inline. Too large for one machine as a single GGUF file.",
  },
  {
    ...base,
    name: "minimax-m1",
    displayName: "MiniMax-M1",
    license: APACHE_2,
    parameters: { total: 456e9, active: 45.9e9 },
    contextLength: 1_000_000,
    capabilities: ["chat", "reasoning", "tools", "code"],
    hfRepo: "MiniMaxAI/MiniMax-M1-80k",
    hostedBy: [{ vendor: "minimax", model: "MiniMax-M1" }, { vendor: "openrouter", model: "minimax/minimax-m1" }],
    notes: "Hybrid lightning-attention MoE (June 2025), in 40k and 80k thinking-budget variants; not supported by llama.cpp as far as recorded here.",
  },
];

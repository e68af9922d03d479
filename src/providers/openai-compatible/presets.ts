// Vendor presets as data: where each backend kind lives by default, whether it stays in-house, which
// environment variable conventionally holds its key. Quirks are looked up by the same name in quirks.ts.
import { resolveQuirks, type Quirks } from "./quirks.js";

export interface Preset {
  readonly name: string;
  readonly label: string;
  /** Base URL including the `/v1`-style prefix; chat lives at `${baseUrl}/chat/completions`. */
  readonly baseUrl: string;
  /** Local servers default to in-house; hosted APIs do not (the config can say otherwise). */
  readonly inHouse: boolean;
  /** The environment variable the vendor's own tools read the key from; undefined when none is needed. */
  readonly apiKeyEnv: string | undefined;
  readonly quirks: Quirks;
}

type Row = Omit<Preset, "name" | "quirks">;

const ROWS: Record<string, Row> = {
  vllm: { label: "vLLM", baseUrl: "http://127.0.0.1:8000/v1", inHouse: true, apiKeyEnv: "VLLM_API_KEY" },
  sglang: { label: "SGLang", baseUrl: "http://127.0.0.1:30000/v1", inHouse: true, apiKeyEnv: "SGLANG_API_KEY" },
  llamacpp: { label: "llama.cpp server", baseUrl: "http://127.0.0.1:8080/v1", inHouse: true, apiKeyEnv: "LLAMA_API_KEY" },
  lmstudio: { label: "LM Studio", baseUrl: "http://127.0.0.1:1234/v1", inHouse: true, apiKeyEnv: "LM_API_TOKEN" },
  ollama: { label: "Ollama (OpenAI endpoint)", baseUrl: "http://127.0.0.1:11434/v1", inHouse: true, apiKeyEnv: "OLLAMA_API_KEY" },
  deepseek: { label: "DeepSeek", baseUrl: "https://api.deepseek.com/v1", inHouse: false, apiKeyEnv: "DEEPSEEK_API_KEY" },
  qwen: {
    label: "Qwen (DashScope compatible mode)",
    baseUrl: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    inHouse: false,
    apiKeyEnv: "DASHSCOPE_API_KEY",
  },
  moonshot: { label: "Moonshot (Kimi)", baseUrl: "https://api.moonshot.ai/v1", inHouse: false, apiKeyEnv: "MOONSHOT_API_KEY" },
  zai: { label: "Z.ai (GLM)", baseUrl: "https://api.z.ai/api/paas/v4", inHouse: false, apiKeyEnv: "ZAI_API_KEY" },
  minimax: { label: "MiniMax", baseUrl: "https://api.minimax.io/v1", inHouse: false, apiKeyEnv: "MINIMAX_API_KEY" },
  openrouter: { label: "OpenRouter", baseUrl: "https://openrouter.ai/api/v1", inHouse: false, apiKeyEnv: "OPENROUTER_API_KEY" },
  together: { label: "Together AI", baseUrl: "https://api.together.xyz/v1", inHouse: false, apiKeyEnv: "TOGETHER_API_KEY" },
  fireworks: { label: "Fireworks AI", baseUrl: "https://api.fireworks.ai/inference/v1", inHouse: false, apiKeyEnv: "FIREWORKS_API_KEY" },
  openai: { label: "OpenAI", baseUrl: "https://api.openai.com/v1", inHouse: false, apiKeyEnv: "OPENAI_API_KEY" },
};

export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze(
  Object.fromEntries(
    Object.entries(ROWS).map(([name, row]) => [name, Object.freeze({ name, ...row, quirks: resolveQuirks(name) })]),
  ),
);

export const PRESET_NAMES: readonly string[] = Object.freeze(Object.keys(ROWS));

/** The preset of that name, or undefined (the config layer reports unknown names with the valid list). */
export function getPreset(name: string): Preset | undefined {
  return Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
}

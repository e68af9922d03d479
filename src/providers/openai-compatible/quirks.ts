// How OpenAI-compatible vendors differ, as data. The provider's code reads these flags and never asks
// which vendor it talks to; a new vendor is a new row, not a new branch.

/**
 * Where reasoning arrives besides the message/delta fields listed in `reasoningFields`:
 * - `none`: content is the answer, never parsed for tags;
 * - `inline`: content may hold `<think>…</think>` blocks (MiniMax M2, llama.cpp/vLLM without a reasoning parser);
 * - `open`: the chat template already opened `<think>`, so content starts as reasoning until `</think>`.
 */
export type ThinkTags = "none" | "inline" | "open";

/** How an assistant turn's `reasoning_content` travels back upstream in the next request. */
export type ReasoningEcho =
  /** As `reasoning_content` (DeepSeek requires it on turns that called tools; Kimi keeps it too). */
  | "reasoning_content"
  /** Renamed to `reasoning` (OpenRouter's field). */
  | "reasoning"
  /** Folded back into the content as `<think>…</think>` (MiniMax M2 wants its full output in history). */
  | "think_tags"
  /** Removed: the vendor rejects unknown message fields. */
  | "omit";

export interface Quirks {
  /** Message/delta fields read as reasoning, first non-empty wins; all are reported as `reasoning_content`. */
  readonly reasoningFields: readonly string[];
  readonly thinkTags: ThinkTags;
  readonly reasoningEcho: ReasoningEcho;
  /**
   * The vendor rejects an assistant turn with tool calls that lacks `reasoning_content` (DeepSeek's
   * thinking mode answers 400). Clients such as the openai SDK drop the field, so an empty one is sent
   * rather than a request that cannot succeed.
   */
  readonly reasoningOnToolTurns: boolean;
  /** Request fields the vendor rejects or ignores; removed before sending. */
  readonly dropParams: readonly string[];
  /** Whether `stream_options.include_usage` is understood; when true the provider always asks for usage. */
  readonly streamUsage: boolean;
  /** The name the vendor wants for the output-token limit; the other name is renamed to it. */
  readonly maxTokensParam: "max_tokens" | "max_completion_tokens";
  /** Whether `encoding_format: "base64"` is understood for embeddings; when false it is dropped (floats come back). */
  readonly embeddingsBase64: boolean;
}

/** What a server that follows OpenAI's schema closely, plus the common reasoning fields, needs. */
export const DEFAULT_QUIRKS: Quirks = Object.freeze({
  reasoningFields: Object.freeze(["reasoning_content", "reasoning"]),
  thinkTags: "none",
  reasoningEcho: "reasoning_content",
  reasoningOnToolTurns: false,
  dropParams: Object.freeze([]),
  streamUsage: true,
  maxTokensParam: "max_tokens",
  embeddingsBase64: true,
});

/** Local inference servers: a reasoning parser may or may not be enabled, so inline tags are parsed too. */
const LOCAL_SERVER: Partial<Quirks> = { thinkTags: "inline" };

/** The quirks table: one row per preset name (see presets.ts for URLs and keys). */
export const VENDOR_QUIRKS: Readonly<Record<string, Partial<Quirks>>> = Object.freeze({
  // vLLM ≥ 0.10 names the field `reasoning`, older builds `reasoning_content`; both are read by default.
  vllm: LOCAL_SERVER,
  sglang: LOCAL_SERVER,
  // llama-server returns `reasoning_content` with its default --reasoning-format, inline tags with `none`.
  llamacpp: LOCAL_SERVER,
  lmstudio: LOCAL_SERVER,
  // Ollama's /v1 endpoint returns `reasoning`; it ignores these fields, dropped so nobody relies on them.
  ollama: { ...LOCAL_SERVER, dropParams: Object.freeze(["tool_choice", "logit_bias", "n"]) },
  // DeepSeek answers 400 on a follow-up of a tool-calling thinking turn without its reasoning_content.
  deepseek: { reasoningFields: Object.freeze(["reasoning_content"]), reasoningEcho: "reasoning_content", reasoningOnToolTurns: true },
  qwen: { reasoningFields: Object.freeze(["reasoning_content"]) },
  moonshot: { reasoningFields: Object.freeze(["reasoning_content"]), reasoningEcho: "reasoning_content" },
  zai: { reasoningFields: Object.freeze(["reasoning_content"]) },
  // MiniMax M2 writes <think> inline (unless reasoning_split) and wants it back in the assistant content;
  // max_tokens is deprecated there in favour of max_completion_tokens.
  minimax: { thinkTags: "inline", reasoningEcho: "think_tags", maxTokensParam: "max_completion_tokens" },
  openrouter: { reasoningFields: Object.freeze(["reasoning", "reasoning_content"]), reasoningEcho: "reasoning" },
  // Hosted R1-style models come back with inline tags on some routes and a reasoning field on others.
  together: { thinkTags: "inline" },
  fireworks: { thinkTags: "inline" },
  // OpenAI rejects unknown message fields and wants max_completion_tokens (reasoning models refuse max_tokens).
  openai: { reasoningEcho: "omit", maxTokensParam: "max_completion_tokens", reasoningFields: Object.freeze([]) },
});

/** Defaults, then the preset's row, then the backend's own overrides from the config. */
export function resolveQuirks(preset: string | undefined, overrides?: Partial<Quirks>): Quirks {
  const row = preset === undefined ? undefined : VENDOR_QUIRKS[preset];
  return Object.freeze({ ...DEFAULT_QUIRKS, ...row, ...overrides });
}

type QuirkKind = { kind: "enum"; values: readonly string[] } | { kind: "boolean" } | { kind: "list" };

const QUIRK_KINDS: Readonly<Record<keyof Quirks, QuirkKind>> = {
  reasoningFields: { kind: "list" },
  thinkTags: { kind: "enum", values: ["none", "inline", "open"] },
  reasoningEcho: { kind: "enum", values: ["reasoning_content", "reasoning", "think_tags", "omit"] },
  reasoningOnToolTurns: { kind: "boolean" },
  dropParams: { kind: "list" },
  streamUsage: { kind: "boolean" },
  maxTokensParam: { kind: "enum", values: ["max_tokens", "max_completion_tokens"] },
  embeddingsBase64: { kind: "boolean" },
};

const SNAKE = /_([a-z0-9])/g;

/**
 * Validates quirk overrides from a config file. Keys may be camelCase (`thinkTags`) or snake_case
 * (`think_tags`); the thrown Error names the key and what it accepts, for the config layer to report.
 */
export function parseQuirkOverrides(input: Readonly<Record<string, unknown>>): Partial<Quirks> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(input)) {
    const key = rawKey.replace(SNAKE, (_, c: string) => c.toUpperCase()) as keyof Quirks;
    const kind = Object.hasOwn(QUIRK_KINDS, key) ? QUIRK_KINDS[key] : undefined;
    if (kind === undefined) throw new Error(`unknown quirk "${rawKey}"; known quirks: ${Object.keys(QUIRK_KINDS).join(", ")}`);
    if (kind.kind === "boolean" && typeof value !== "boolean") throw new Error(`quirk "${rawKey}" must be true or false`);
    if (kind.kind === "enum" && (typeof value !== "string" || !kind.values.includes(value))) {
      throw new Error(`quirk "${rawKey}" must be one of ${kind.values.join(", ")}`);
    }
    if (kind.kind === "list" && !(Array.isArray(value) && value.every((v) => typeof v === "string"))) {
      throw new Error(`quirk "${rawKey}" must be a list of field names`);
    }
    out[key] = kind.kind === "list" ? Object.freeze([...(value as string[])]) : value;
  }
  return out as Partial<Quirks>;
}

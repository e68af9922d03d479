// Embedding answers always leave the provider as float arrays; base64 is only a wire encoding (the openai
// SDK asks for it by default, and upstreams may honour it).
import type { EmbeddingResponse } from "../../spec/index.js";
import { garbageError, type ErrorContext } from "./upstream-error.js";

export function toEmbeddingResponse(json: Record<string, unknown>, model: string, ctx: ErrorContext): EmbeddingResponse {
  const data = json.data;
  if (!Array.isArray(data)) throw garbageError(ctx, false, "an embeddings response without a data list");
  const out: EmbeddingResponse["data"] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const item = data[i] as { index?: unknown; embedding?: unknown } | null;
    const embedding = item?.embedding;
    let vector: number[];
    if (Array.isArray(embedding)) vector = embedding as number[];
    else if (typeof embedding === "string") vector = decodeBase64Floats(embedding);
    else throw garbageError(ctx, false, "an embedding that is neither a float list nor base64");
    out[i] = { index: typeof item?.index === "number" ? item.index : i, embedding: vector };
  }
  const usage = json.usage as { prompt_tokens?: unknown; total_tokens?: unknown } | undefined;
  const prompt = typeof usage?.prompt_tokens === "number" ? usage.prompt_tokens : 0;
  return {
    model: typeof json.model === "string" ? json.model : model,
    data: out,
    usage: { prompt_tokens: prompt, total_tokens: typeof usage?.total_tokens === "number" ? usage.total_tokens : prompt },
  };
}

/** Little-endian float32 values, as OpenAI encodes them. */
export function decodeBase64Floats(b64: string): number[] {
  const buf = Buffer.from(b64, "base64");
  const n = buf.length >>> 2;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

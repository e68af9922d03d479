// Embeddings, canonical form. Vectors are always float arrays in the middle; base64 is a wire encoding.
import type { Usage } from "./chat.js";

export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: "float" | "base64";
  dimensions?: number;
  user?: string;
  extra?: Record<string, unknown>;
}

export interface EmbeddingResponse {
  model: string;
  data: { index: number; embedding: number[] }[];
  usage: Pick<Usage, "prompt_tokens" | "total_tokens">;
}

// Legacy text completions (`POST /v1/completions`), canonical form.
import type { FinishReason, Usage } from "./chat.js";

export interface CompletionRequest {
  model: string;
  prompt: string | string[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean; [k: string]: unknown };
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  seed?: number;
  n?: number;
  echo?: boolean;
  suffix?: string;
  presence_penalty?: number;
  frequency_penalty?: number;
  logprobs?: number;
  user?: string;
  extra?: Record<string, unknown>;
}

export interface CompletionChoice {
  index: number;
  text: string;
  finish_reason: FinishReason | null;
  logprobs?: unknown;
  [k: string]: unknown;
}

export interface CompletionResponse {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  choices: CompletionChoice[];
  usage?: Usage | null;
  [k: string]: unknown;
}

// OpenAI-shaped objects built from engine events.
import type { ChatChunk, ChunkDelta, CompletionResponse, FinishReason, Usage } from "../../spec/index.js";

export interface ChunkHeader {
  id: string;
  created: number;
  model: string;
}

export function chatChunk(h: ChunkHeader, delta: ChunkDelta, finish: FinishReason | null = null): ChatChunk {
  return { id: h.id, object: "chat.completion.chunk", created: h.created, model: h.model, choices: [{ index: 0, delta, finish_reason: finish }] };
}

export function usageChunk(h: ChunkHeader, usage: Usage): ChatChunk {
  return { id: h.id, object: "chat.completion.chunk", created: h.created, model: h.model, choices: [], usage };
}

export function completionChunk(h: ChunkHeader, text: string, finish: FinishReason | null, usage?: Usage): CompletionResponse {
  return {
    id: h.id,
    object: "text_completion",
    created: h.created,
    model: h.model,
    choices: [{ index: 0, text, finish_reason: finish, logprobs: null }],
    ...(usage ? { usage } : {}),
  };
}

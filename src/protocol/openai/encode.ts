// Canonical results -> OpenAI wire bodies.
import type { EmbeddingResponse } from "../../spec/index.js";

export function embeddingBody(res: EmbeddingResponse, format: "float" | "base64" | undefined) {
  return {
    object: "list" as const,
    model: res.model,
    data: res.data.map((d) => ({
      object: "embedding" as const,
      index: d.index,
      embedding: format === "base64" ? Buffer.from(new Float32Array(d.embedding).buffer).toString("base64") : d.embedding,
    })),
    usage: res.usage,
  };
}

export function modelList(ids: readonly { id: string; owned_by: string; created?: number }[]) {
  return { object: "list" as const, data: ids.map((m) => ({ id: m.id, object: "model" as const, created: m.created ?? 0, owned_by: m.owned_by })) };
}

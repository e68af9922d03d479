// Some servers ignore `stream: true` and answer with one JSON body. The caller asked for a stream, so the
// whole answer is replayed as the chunks a streaming server would have sent.
import type { ChatChunk, ChatResponse, ChunkChoice, ToolCallDelta } from "../../spec/index.js";

export function chatResponseAsChunks(res: ChatResponse): ChatChunk[] {
  const base = { id: res.id, object: "chat.completion.chunk" as const, created: res.created, model: res.model };
  const choices: ChunkChoice[] = res.choices.map((c) => {
    const m = c.message;
    const tool_calls: ToolCallDelta[] | undefined = m.tool_calls?.map((t, index) => ({ index, ...t }));
    const delta: ChunkChoice["delta"] = { role: "assistant", content: m.content ?? "" };
    if (m.reasoning_content !== undefined) delta.reasoning_content = m.reasoning_content;
    if (tool_calls !== undefined) delta.tool_calls = tool_calls;
    return { index: c.index, delta, finish_reason: c.finish_reason };
  });
  const chunks: ChatChunk[] = [{ ...base, choices }];
  if (res.usage !== undefined) chunks.push({ ...base, choices: [], usage: res.usage });
  return chunks;
}

// Reasoning comes back one way whatever the upstream does: `reasoning_content` on the message and on
// stream deltas, and content free of think tags. The upstream's parsed JSON is ours, so it is edited in
// place instead of copied.
import type { AssistantMessage, ChatChunk, ChatResponse, ChunkDelta } from "../../spec/index.js";
import type { Quirks } from "./quirks.js";
import { splitThinkText, ThinkSplitter } from "./think-splitter.js";

/** Reads the first non-empty reasoning field and removes the vendor-specific ones. */
function takeReasoning(obj: Record<string, unknown>, fields: readonly string[]): string | undefined {
  let found: string | undefined;
  for (const f of fields) {
    const v = obj[f];
    if (v === undefined) continue;
    const text = typeof v === "string";
    if (found === undefined && text && v.length > 0) found = v;
    // `reasoning_content: null` (vLLM, llama.cpp) is dropped too: the canonical field is a string or absent.
    if (f !== "reasoning_content" || !text) delete obj[f];
  }
  return found;
}

export function normaliseResponse(res: ChatResponse, quirks: Quirks): void {
  for (const choice of res.choices) {
    const msg = choice.message as AssistantMessage | undefined;
    if (msg !== undefined && msg !== null) normaliseMessage(msg, quirks);
  }
}

function normaliseMessage(msg: AssistantMessage, quirks: Quirks): void {
  let reasoning = takeReasoning(msg, quirks.reasoningFields);
  const content = msg.content;
  const open = quirks.thinkTags === "open";
  if (typeof content === "string" && (open || (quirks.thinkTags === "inline" && content.includes("think>")))) {
    // With "inline", a whole text still shows when the template opened the tag (a `</think>` with no
    // `<think>` before it); with "open", text before any `</think>` is reasoning, as in a stream.
    const split = splitThinkText(content, open);
    msg.content = split.content;
    if (split.reasoning.length > 0) reasoning = reasoning === undefined ? split.reasoning : reasoning + split.reasoning;
  }
  if (reasoning !== undefined) msg.reasoning_content = reasoning;
}

/** Per-stream state: one think splitter per choice, created only when that choice's content needs one. */
export class StreamReasoning {
  private readonly quirks: Quirks;
  private readonly splitters: (ThinkSplitter | undefined)[] = [];
  private last: ChatChunk | undefined;

  constructor(quirks: Quirks) {
    this.quirks = quirks;
  }

  apply(chunk: ChatChunk): void {
    this.last = chunk;
    const choices = chunk.choices;
    if (choices === undefined) return;
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i]!;
      const delta = choice.delta as ChunkDelta | undefined;
      if (delta === undefined || delta === null) continue;
      let reasoning = this.quirks.reasoningFields.length === 0 ? undefined : takeReasoning(delta, this.quirks.reasoningFields);
      const index = choice.index ?? 0;
      let splitter = this.splitters[index];
      const content = delta.content;
      if (this.quirks.thinkTags !== "none" && typeof content === "string" && content.length > 0) {
        if (splitter === undefined && (this.quirks.thinkTags === "open" || content.includes("<"))) {
          splitter = this.splitters[index] = new ThinkSplitter(this.quirks.thinkTags === "open");
        }
        if (splitter !== undefined) {
          splitter.push(content);
          delta.content = splitter.content;
          if (splitter.reasoning.length > 0) reasoning = reasoning === undefined ? splitter.reasoning : reasoning + splitter.reasoning;
        }
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined && splitter !== undefined) {
        // The choice is over: a tag prefix held back was plain text after all.
        splitter.flush();
        if (splitter.content.length > 0) delta.content = (typeof delta.content === "string" ? delta.content : "") + splitter.content;
        if (splitter.reasoning.length > 0) reasoning = (reasoning ?? "") + splitter.reasoning;
        this.splitters[index] = undefined;
      }
      if (reasoning !== undefined) delta.reasoning_content = reasoning;
    }
  }

  /** Text still held when the stream ended without a finish_reason, as one closing chunk (rare). */
  finish(): ChatChunk | undefined {
    const choices: ChatChunk["choices"] = [];
    for (let index = 0; index < this.splitters.length; index++) {
      const splitter = this.splitters[index];
      if (splitter === undefined) continue;
      splitter.flush();
      this.splitters[index] = undefined;
      if (splitter.content.length === 0 && splitter.reasoning.length === 0) continue;
      const delta: ChunkDelta = {};
      if (splitter.content.length > 0) delta.content = splitter.content;
      if (splitter.reasoning.length > 0) delta.reasoning_content = splitter.reasoning;
      choices.push({ index, delta, finish_reason: null });
    }
    if (choices.length === 0) return undefined;
    const last = this.last;
    return {
      id: last?.id ?? "",
      object: "chat.completion.chunk",
      created: last?.created ?? Math.floor(Date.now() / 1000),
      model: last?.model ?? "",
      choices,
    };
  }
}

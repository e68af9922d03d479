// A cheap upper-leaning estimate of a request's tokens, charged against tpm and budgets at admission and
// reconciled to the real count when the response is over. ~4 characters per token for Latin text; CJK and
// Thai run closer to 1-2 characters per token, so non-ASCII characters count more.
import type { ChatRequest, CompletionRequest, EmbeddingRequest } from "../spec/index.js";

function textTokens(s: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4 + other / 1.5);
}

function contentTokens(content: unknown): number {
  if (typeof content === "string") return textTokens(content);
  if (Array.isArray(content)) {
    let n = 0;
    for (const part of content) {
      if (part && typeof part === "object" && typeof (part as { text?: unknown }).text === "string") n += textTokens((part as { text: string }).text);
      else n += 85; // an image or other part: a low-detail image is ~85 tokens
    }
    return n;
  }
  return 0;
}

export function estimateChatTokens(req: ChatRequest): number {
  let n = 0;
  for (const m of req.messages) {
    n += 4 + contentTokens(m.content);
    if (m.tool_calls) for (const t of m.tool_calls) n += textTokens(t.function.arguments) + 8;
  }
  if (req.tools) n += textTokens(JSON.stringify(req.tools));
  return n;
}

export function estimateCompletionTokens(req: CompletionRequest): number {
  return Array.isArray(req.prompt) ? req.prompt.reduce((s, p) => s + textTokens(p), 0) : textTokens(req.prompt);
}

export function estimateEmbeddingTokens(req: EmbeddingRequest): number {
  const input = req.input;
  if (typeof input === "string") return textTokens(input);
  let n = 0;
  for (const x of input) n += typeof x === "string" ? textTokens(x) : Array.isArray(x) ? x.length : 1;
  return n;
}

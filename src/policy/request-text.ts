// Every piece of text in a canonical request that a detector must see, addressed by a path, and a way to
// rebuild the request with some of them replaced (copying only what changed).
import type { ChatMessage, ChatRequest, ContentPart, EmbeddingRequest } from "../spec/index.js";

/** Tool-call arguments are JSON text; restoring into them escapes values as JSON string content. */
export type TextField = "text" | "json";

/** Returns the new text, or undefined to keep it. */
export type TextVisitor = (text: string, path: string, field: TextField) => string | undefined;

function mapMessage(msg: ChatMessage, base: string, visit: TextVisitor): ChatMessage {
  let out: ChatMessage | undefined;
  const copy = () => (out ??= { ...msg });
  if (typeof msg.content === "string") {
    const t = visit(msg.content, `${base}.content`, "text");
    if (t !== undefined) copy().content = t;
  } else if (Array.isArray(msg.content)) {
    let parts: ContentPart[] | undefined;
    msg.content.forEach((part, j) => {
      if (part.type !== "text" || typeof part.text !== "string") return;
      const t = visit(part.text, `${base}.content[${j}].text`, "text");
      if (t === undefined) return;
      parts ??= [...(msg.content as ContentPart[])];
      parts[j] = { ...part, text: t };
    });
    if (parts !== undefined) copy().content = parts;
  }
  if (typeof msg.reasoning_content === "string") {
    const t = visit(msg.reasoning_content, `${base}.reasoning_content`, "text");
    if (t !== undefined) copy().reasoning_content = t;
  }
  if (Array.isArray(msg.tool_calls)) {
    let calls: typeof msg.tool_calls | undefined;
    msg.tool_calls.forEach((call, k) => {
      const args = call.function?.arguments;
      if (typeof args !== "string") return;
      const t = visit(args, `${base}.tool_calls[${k}].function.arguments`, "json");
      if (t === undefined) return;
      calls ??= [...msg.tool_calls!];
      calls[k] = { ...call, function: { ...call.function, arguments: t } };
    });
    if (calls !== undefined) copy().tool_calls = calls;
  }
  return out ?? msg;
}

/**
 * Visits system, developer, user, assistant and tool messages (string and multi-part content, reasoning,
 * tool-call arguments) and `user`, the end-user id that clients often fill with an e-mail address.
 */
export function mapChatRequestText(req: ChatRequest, visit: TextVisitor): ChatRequest {
  let messages: ChatMessage[] | undefined;
  req.messages.forEach((msg, i) => {
    const m = mapMessage(msg, `messages[${i}]`, visit);
    if (m === msg) return;
    messages ??= [...req.messages];
    messages[i] = m;
  });
  const user = typeof req.user === "string" ? visit(req.user, "user", "text") : undefined;
  if (messages === undefined && user === undefined) return req;
  return { ...req, ...(messages === undefined ? {} : { messages }), ...(user === undefined ? {} : { user }) };
}

/** Visits `input` when it is text (token arrays carry no readable text and are left alone) and `user`. */
export function mapEmbeddingRequestText(req: EmbeddingRequest, visit: TextVisitor): EmbeddingRequest {
  const user = typeof req.user === "string" ? visit(req.user, "user", "text") : undefined;
  const withUser = user === undefined ? req : { ...req, user };
  if (typeof req.input === "string") {
    const t = visit(req.input, "input", "text");
    return t === undefined ? withUser : { ...withUser, input: t };
  }
  if (!Array.isArray(req.input)) return withUser;
  let input: unknown[] | undefined;
  (req.input as unknown[]).forEach((item, i) => {
    if (typeof item !== "string") return;
    const t = visit(item, `input[${i}]`, "text");
    if (t === undefined) return;
    input ??= [...(req.input as unknown[])];
    input[i] = t;
  });
  return input === undefined ? withUser : { ...withUser, input: input as string[] };
}

export function isEmbeddingRequest(req: ChatRequest | EmbeddingRequest): req is EmbeddingRequest {
  return !("messages" in req) && "input" in req;
}

export function mapRequestText<R extends ChatRequest | EmbeddingRequest>(req: R, visit: TextVisitor): R {
  return (isEmbeddingRequest(req) ? mapEmbeddingRequestText(req, visit) : mapChatRequestText(req as ChatRequest, visit)) as R;
}

// Every piece of text in a canonical request that a detector must see, addressed by a path, and a way to
// rebuild the request with some of them replaced (copying only what changed).
import { GatewayError } from "../errors/gateway-error.js";
import type { ChatMessage, ChatRequest, ContentPart, EmbeddingRequest, ToolDefinition } from "../spec/index.js";

/** Tool-call arguments are JSON text; restoring into them escapes values as JSON string content. */
export type TextField = "text" | "json";

/** Returns the new text, or undefined to keep it. */
export type TextVisitor = (text: string, path: string, field: TextField) => string | undefined;

/** Deeper than this, a request is refused rather than walked (no real request nests 64 levels). */
const MAX_DEPTH = 64;

/**
 * Every string inside a JSON value (object values and array items, not object keys), copying only what
 * changed. For what the gateway passes on without modelling it: fields it does not know (`metadata`,
 * `prediction`, vendor extensions), tool definitions and JSON schemas, whose descriptions, enums and
 * defaults are text a model provider receives like any prompt.
 */
export function mapJsonStrings(value: unknown, path: string, visit: TextVisitor, depth = 0): unknown {
  if (typeof value === "string") return visit(value, path, "text") ?? value;
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) {
    // Named by its top-level field only: a deeper key is the client's own text and could be anything.
    const param = path.split(/[.[]/)[0]!;
    throw new GatewayError("invalid_request", `The request nests deeper than ${MAX_DEPTH} levels under \`${param}\`.`, { param });
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = mapJsonStrings(value[i], `${path}[${i}]`, visit, depth + 1);
      if (v === value[i]) continue;
      out ??= [...value];
      out[i] = v;
    }
    return out ?? value;
  }
  // Keys are text too (`metadata: {"ann@example.com": "vip"}`): a replaced key renames the entry.
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let out: [string, unknown][] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const k = visit(key, `${path}{${i}}`, "text") ?? key;
    // Keys JSON-quoted in the path, so "a.b" and a → b stay two paths.
    const v = mapJsonStrings(obj[key], `${path}[${JSON.stringify(key)}]`, visit, depth + 1);
    if (out === undefined && (k !== key || v !== obj[key])) out = keys.slice(0, i).map((kk) => [kk, obj[kk]]);
    out?.push([k, v]);
  }
  return out === undefined ? value : Object.fromEntries(out);
}

/** `extra` (fields the gateway passes through unchanged), mapped like any JSON. */
function mapExtra<R extends { extra?: Record<string, unknown> }>(req: R, visit: TextVisitor): Record<string, unknown> | undefined {
  if (req.extra === undefined) return undefined;
  const out = mapJsonStrings(req.extra, "extra", visit) as Record<string, unknown>;
  return out === req.extra ? undefined : out;
}

function mapTools(tools: ToolDefinition[] | undefined, visit: TextVisitor): ToolDefinition[] | undefined {
  if (!Array.isArray(tools)) return undefined;
  let out: ToolDefinition[] | undefined;
  tools.forEach((tool, i) => {
    const fn = tool.function;
    if (fn === undefined || fn === null) return;
    const description = typeof fn.description === "string" ? visit(fn.description, `tools[${i}].function.description`, "text") : undefined;
    const parameters = fn.parameters === undefined ? fn.parameters : (mapJsonStrings(fn.parameters, `tools[${i}].function.parameters`, visit) as Record<string, unknown>);
    if (description === undefined && parameters === fn.parameters) return;
    out ??= [...tools];
    out[i] = { ...tool, function: { ...fn, ...(description === undefined ? {} : { description }), ...(parameters === undefined ? {} : { parameters }) } };
  });
  return out;
}

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
 * tool-call arguments), `user` (the end-user id that clients often fill with an e-mail address), tool
 * definitions, the response JSON schema, and every field passed through unmodelled (`extra`).
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
  const tools = mapTools(req.tools, visit);
  const format = req.response_format;
  let responseFormat: ChatRequest["response_format"] | undefined;
  if (format?.type === "json_schema" && format.json_schema !== undefined && format.json_schema !== null) {
    const js = mapJsonStrings(format.json_schema, "response_format.json_schema", visit);
    if (js !== format.json_schema) responseFormat = { ...format, json_schema: js as typeof format.json_schema };
  }
  const extra = mapExtra(req, visit);
  if (messages === undefined && user === undefined && tools === undefined && responseFormat === undefined && extra === undefined) return req;
  return {
    ...req,
    ...(messages === undefined ? {} : { messages }),
    ...(user === undefined ? {} : { user }),
    ...(tools === undefined ? {} : { tools }),
    ...(responseFormat === undefined ? {} : { response_format: responseFormat }),
    ...(extra === undefined ? {} : { extra }),
  };
}

/**
 * Visits `input` when it is text (token arrays carry no readable text and are left alone), `user` and the
 * fields passed through unmodelled (`extra`).
 */
export function mapEmbeddingRequestText(req: EmbeddingRequest, visit: TextVisitor): EmbeddingRequest {
  const user = typeof req.user === "string" ? visit(req.user, "user", "text") : undefined;
  const extra = mapExtra(req, visit);
  const withUser = user === undefined && extra === undefined ? req : { ...req, ...(user === undefined ? {} : { user }), ...(extra === undefined ? {} : { extra }) };
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

// Talking to the gateway: every call carries the admin key as a Bearer token; errors come back in the
// gateway's OpenAI-shaped body and are thrown as ApiError with its message.
const STORAGE_KEY = "inhouse.adminKey";

export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}
export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(STORAGE_KEY);
  else sessionStorage.setItem(STORAGE_KEY, key);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let code: string | null = null;
  try {
    const body = (await res.json()) as { error?: { message?: string; code?: string } };
    if (body.error?.message) message = body.error.message;
    code = body.error?.code ?? null;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(res.status, message, code);
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; key?: string; signal?: AbortSignal } = {}): Promise<T> {
  const key = init.key ?? storedKey() ?? "";
  const res = await fetch(path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${key}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export async function apiText(path: string): Promise<string> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${storedKey() ?? ""}` } });
  if (!res.ok) throw await errorOf(res);
  return res.text();
}

/** Reads a server-sent event stream, calling onEvent with each event's name ("message" by default) and data. */
export async function readSse(body: NonNullable<Response["body"]>, onEvent: (event: string, data: string) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(event, data.join("\n"));
    }
  }
}

/** POSTs JSON and reads the answer as server-sent events (admin streams such as a model pull). */
export async function postEvents(path: string, body: unknown, onEvent: (event: string, data: string) => void, signal?: AbortSignal): Promise<void> {
  const res = await fetch(path, {
    method: "POST",
    headers: { authorization: `Bearer ${storedKey() ?? ""}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  if (!res.ok || !res.body) throw await errorOf(res);
  await readSse(res.body, onEvent);
}

export interface ChatParams {
  model: string;
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  temperature?: number;
  max_tokens?: number;
}

export interface StreamStats {
  backend: string | null;
  ttftMs: number | null;
  totalMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Completion tokens per second after the first token. */
  tokensPerSecond: number | null;
  finishReason: string | null;
}

/** Streams a chat completion, calling onText with each piece; resolves with timings and usage. */
export async function streamChat(params: ChatParams, onText: (text: string) => void, signal: AbortSignal): Promise<StreamStats> {
  const started = performance.now();
  const res = await fetch("/v1/chat/completions", {
    method: "POST",
    headers: { authorization: `Bearer ${storedKey() ?? ""}`, "content-type": "application/json" },
    body: JSON.stringify({ ...params, stream: true, stream_options: { include_usage: true } }),
    signal,
  });
  if (!res.ok || !res.body) throw await errorOf(res);
  const stats: StreamStats = {
    backend: res.headers.get("x-inhouse-backend"),
    ttftMs: null,
    totalMs: 0,
    promptTokens: null,
    completionTokens: null,
    tokensPerSecond: null,
    finishReason: null,
  };
  let pieces = 0;
  await readSse(res.body, (_event, data) => {
    if (data === "[DONE]") return;
    const chunk = JSON.parse(data) as {
      error?: { message?: string };
      choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
      usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
    };
    if (chunk.error) throw new ApiError(502, chunk.error.message ?? "stream failed", null);
    const choice = chunk.choices?.[0];
    const text = choice?.delta?.content;
    if (text) {
      if (stats.ttftMs === null) stats.ttftMs = performance.now() - started;
      pieces++;
      onText(text);
    }
    if (choice?.finish_reason) stats.finishReason = choice.finish_reason;
    if (chunk.usage) {
      stats.promptTokens = chunk.usage.prompt_tokens ?? null;
      stats.completionTokens = chunk.usage.completion_tokens ?? null;
    }
  });
  stats.totalMs = performance.now() - started;
  const tokens = stats.completionTokens ?? pieces;
  const genMs = stats.ttftMs === null ? 0 : stats.totalMs - stats.ttftMs;
  stats.tokensPerSecond = tokens > 1 && genMs > 0 ? (tokens - 1) / (genMs / 1000) : null;
  return stats;
}

export const fmtMs = (v: number | null | undefined): string =>
  v === null || v === undefined ? "—" : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
export const fmtNum = (v: number | null | undefined): string => (v === null || v === undefined ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: 1 }));
export const fmtBytes = (v: number): string =>
  v >= 1e9 ? `${(v / 1e9).toFixed(2)} GB` : v >= 1e6 ? `${(v / 1e6).toFixed(v >= 1e8 ? 0 : 1)} MB` : `${Math.ceil(v / 1e3)} kB`;
export const fmtTime = (iso: string | number): string => new Date(iso).toISOString().replace("T", " ").slice(0, 19);

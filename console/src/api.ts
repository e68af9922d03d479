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
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let pieces = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") continue;
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
      }
    }
  }
  stats.totalMs = performance.now() - started;
  const tokens = stats.completionTokens ?? pieces;
  const genMs = stats.ttftMs === null ? 0 : stats.totalMs - stats.ttftMs;
  stats.tokensPerSecond = tokens > 1 && genMs > 0 ? (tokens - 1) / (genMs / 1000) : null;
  return stats;
}

export const fmtMs = (v: number | null | undefined): string =>
  v === null || v === undefined ? "—" : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
export const fmtNum = (v: number | null | undefined): string => (v === null || v === undefined ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: 1 }));
export const fmtBytes = (v: number): string => (v >= 1e9 ? `${(v / 1e9).toFixed(2)} GB` : `${(v / 1e6).toFixed(0)} MB`);
export const fmtTime = (iso: string | number): string => new Date(iso).toISOString().replace("T", " ").slice(0, 19);

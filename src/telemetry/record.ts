// One record per request: what the usage store, logs, metrics and traces receive. Never prompt text or
// secrets. It lives in telemetry (below server) so every consumer derives its view from this one type.
import type { Attempt } from "../router/index.js";

export interface RequestRecord {
  requestId: string;
  time: number;
  endpoint: "chat" | "completion" | "embedding";
  keyId: string;
  /** What the client asked for (alias, backend/model or model name). */
  route: string;
  /** backend/model that answered, or null. */
  target: string | null;
  stream: boolean;
  status: number;
  errorCode: string | null;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  ttftMs: number | null;
  attempts: Attempt[];
  policy?: { action: string; kinds: Record<string, number> } | undefined;
  language?: string | undefined;
  /** The client's W3C `traceparent` header, so the request's spans join the caller's trace. */
  traceparent?: string | undefined;
  /** Sampling parameters the client asked for (trace attributes; never content). */
  temperature?: number | undefined;
  maxTokens?: number | undefined;
}

// Turns one finished request into the spans that describe it: a SERVER span for the request and one child
// per upstream attempt, with the OpenTelemetry GenAI semantic conventions' attribute names
// (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/). Pure: no SDK here, so it is cheap to
// test and the SDK stays unloaded when tracing is off.
import type { RequestRecord } from "./record.js";

/** What tracing reads from a request record. */
export type TraceSample = Pick<
  RequestRecord,
  | "requestId" | "endpoint" | "keyId" | "route" | "target" | "stream" | "status" | "errorCode"
  | "promptTokens" | "completionTokens" | "latencyMs" | "ttftMs" | "attempts" | "traceparent" | "temperature" | "maxTokens"
>;

/** Where a backend lives, for `gen_ai.provider.name` and `server.address`/`server.port`. */
export interface BackendPeer {
  provider: string;
  inProcess: boolean;
  address?: string;
  port?: number;
}

export type Attributes = Record<string, string | number | boolean>;

export interface PlannedSpan {
  name: string;
  kind: "server" | "client" | "internal";
  /** Epoch milliseconds (fractional). */
  start: number;
  end: number;
  attributes: Attributes;
  error: boolean;
  events?: { name: string; time: number; attributes: Attributes }[];
}

export interface RemoteParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const OPERATION: Record<TraceSample["endpoint"], string> = { chat: "chat", completion: "text_completion", embedding: "embeddings" };
const HTTP_ROUTE: Record<TraceSample["endpoint"], string> = { chat: "/v1/chat/completions", completion: "/v1/completions", embedding: "/v1/embeddings" };

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** W3C Trace Context `traceparent`; undefined for anything malformed (then the request starts a new trace). */
export function parseTraceparent(header: string | undefined): RemoteParent | undefined {
  if (!header) return undefined;
  const m = TRACEPARENT.exec(header.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  // Version ff is invalid; version 00 has exactly four fields; all-zero ids are invalid.
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

function modelOf(target: string): string {
  const slash = target.indexOf("/");
  return slash > 0 ? target.slice(slash + 1) : target;
}

function backendOf(target: string): string {
  const slash = target.indexOf("/");
  return slash > 0 ? target.slice(0, slash) : target;
}

function requestParams(r: TraceSample, into: Attributes): void {
  if (r.temperature !== undefined) into["gen_ai.request.temperature"] = r.temperature;
  if (r.maxTokens !== undefined) into["gen_ai.request.max_tokens"] = r.maxTokens;
}

function usage(r: TraceSample, into: Attributes): void {
  if (r.target === null) return;
  into["gen_ai.response.model"] = modelOf(r.target);
  if (r.status < 400 || r.promptTokens > 0) {
    into["gen_ai.usage.input_tokens"] = r.promptTokens;
    into["gen_ai.usage.output_tokens"] = r.completionTokens;
  }
}

/**
 * The spans of one request that ended at `end` (epoch ms). Attempt start times are laid out back to back
 * from the request's start (the record keeps each attempt's duration, not its start), so children always
 * fall inside their parent; the answering attempt of a stream lasts until the stream ended.
 */
export function planSpans(r: TraceSample, end: number, peers: ReadonlyMap<string, BackendPeer>): PlannedSpan[] {
  const operation = OPERATION[r.endpoint];
  const start = end - r.latencyMs;
  const failed = r.status >= 400 || r.status === 0;

  const root: Attributes = {
    "gen_ai.operation.name": operation,
    "gen_ai.request.model": r.route || "(unparsed)",
    "http.request.method": "POST",
    "http.route": HTTP_ROUTE[r.endpoint],
    "http.response.status_code": r.status,
    "inhouse.request_id": r.requestId,
    "inhouse.key_id": r.keyId,
    "inhouse.stream": r.stream,
    "inhouse.attempts": r.attempts.filter((a) => !a.outcome.startsWith("skipped_")).length,
  };
  requestParams(r, root);
  usage(r, root);
  if (r.target !== null) {
    root["inhouse.target"] = r.target;
    const peer = peers.get(backendOf(r.target));
    if (peer) root["gen_ai.provider.name"] = peer.provider;
  }
  if (r.ttftMs !== null) root["inhouse.time_to_first_token_ms"] = Math.round(r.ttftMs * 1000) / 1000;
  if (failed) root["error.type"] = r.errorCode ?? String(r.status);

  const events: NonNullable<PlannedSpan["events"]> = [];
  const spans: PlannedSpan[] = [];
  let cursor = start;
  const okIndex = r.target === null ? -1 : r.attempts.findLastIndex((a) => a.outcome === "ok");
  r.attempts.forEach((a, i) => {
    if (a.outcome === "skipped_open" || a.outcome === "skipped_busy") {
      events.push({ name: "inhouse.attempt.skipped", time: cursor, attributes: { "inhouse.target": a.target, "inhouse.attempt.outcome": a.outcome } });
      return;
    }
    const peer = peers.get(backendOf(a.target));
    const attrs: Attributes = {
      "gen_ai.operation.name": operation,
      "gen_ai.request.model": modelOf(a.target),
      "inhouse.target": a.target,
      "inhouse.attempt.outcome": a.outcome,
    };
    if (peer) {
      attrs["gen_ai.provider.name"] = peer.provider;
      // The pre-1.37 name of the same attribute, for backends that still read it.
      attrs["gen_ai.system"] = peer.provider;
      if (peer.address !== undefined) attrs["server.address"] = peer.address;
      if (peer.port !== undefined) attrs["server.port"] = peer.port;
    }
    requestParams(r, attrs);
    const answered = i === okIndex;
    if (answered) usage(r, attrs);
    if (a.outcome !== "ok") attrs["error.type"] = a.outcome;
    const attemptStart = Math.min(cursor, end);
    const attemptEnd = answered && r.stream ? end : Math.min(attemptStart + a.latencyMs, end);
    cursor = attemptStart + a.latencyMs;
    spans.push({
      name: `${operation} ${modelOf(a.target)}`,
      kind: peer?.inProcess ? "internal" : "client",
      start: attemptStart,
      end: attemptEnd,
      attributes: attrs,
      error: a.outcome !== "ok",
    });
  });

  const request: PlannedSpan = {
    name: `${operation} ${r.route || "(unparsed)"}`,
    kind: "server",
    start,
    end,
    attributes: root,
    // A server span is an error for 5xx only (4xx are the caller's mistakes), per the HTTP conventions.
    error: r.status >= 500 || r.status === 0,
  };
  if (events.length) request.events = events;
  return [request, ...spans];
}

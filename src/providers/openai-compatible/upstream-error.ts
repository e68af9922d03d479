// Maps everything an upstream can do wrong to the gateway's closed set of errors. `retryable` says
// whether the router may try again or elsewhere: never once a stream has started reaching the client.
import { GatewayError } from "../../errors/index.js";
import { BODY_TIMEOUT, CONNECT_TIMEOUT, HEADERS_TIMEOUT } from "./http1/pool.js";
import type { SecretScrubber } from "./secret-scrubber.js";

export interface ErrorContext {
  readonly backend: string;
  readonly scrubber: SecretScrubber;
}

export type HeaderValue = string | string[] | undefined;

/** An upstream answered with a non-success status. */
export function statusError(
  status: number,
  headers: Record<string, HeaderValue>,
  body: string,
  ctx: ErrorContext,
): GatewayError {
  const detail = ctx.scrubber.scrub(upstreamMessage(body));
  const suffix = detail.length > 0 ? `: ${detail}` : ".";
  if (status === 429) {
    const retryAfter = parseRetryAfter(headers);
    return new GatewayError("rate_limit_exceeded", `Backend ${ctx.backend} is rate limiting requests (HTTP 429)${suffix}`, {
      ...(retryAfter === undefined ? {} : { retryAfter }),
    });
  }
  if (status === 408 || status >= 500) {
    return new GatewayError("upstream_error", `Backend ${ctx.backend} failed with HTTP ${status}${suffix}`);
  }
  if (status >= 400) {
    return new GatewayError("upstream_rejected", `Backend ${ctx.backend} rejected the request (HTTP ${status})${suffix}`, {
      status,
    });
  }
  return new GatewayError("upstream_error", `Backend ${ctx.backend} answered with unexpected HTTP ${status}.`);
}

/** What the upstream said went wrong, from the usual error body shapes (OpenAI, vLLM, FastAPI, plain text). */
export function upstreamMessage(body: string): string {
  const text = body.trim();
  if (text.length === 0) return "";
  if (text.charCodeAt(0) === 123 /* { */) {
    try {
      return messageOf(JSON.parse(text) as unknown) ?? text;
    } catch {
      return text;
    }
  }
  if (text.charCodeAt(0) === 60 /* < */) return "(an HTML page instead of an API error)";
  return text;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return undefined;
  const obj = value as Record<string, unknown>;
  for (const key of ["error", "message", "detail", "msg"]) {
    const inner = obj[key];
    if (inner === undefined) continue;
    const found = messageOf(inner);
    if (found !== undefined) return found;
    if (inner !== null) return JSON.stringify(inner);
  }
  return undefined;
}

/** Seconds from `Retry-After` (delta-seconds or an HTTP date) or the `retry-after-ms` some vendors send. */
export function parseRetryAfter(headers: Record<string, HeaderValue>, now = Date.now()): number | undefined {
  const ms = first(headers["retry-after-ms"]);
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Math.ceil(Number(ms) / 1000));
  const value = first(headers["retry-after"]);
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function first(v: HeaderValue): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A transport failure (no answer, a broken connection, a timer that fired). `streaming` is true once
 * events may have reached the client: from then on nothing can be retried.
 */
export function transportError(err: unknown, ctx: ErrorContext, streaming: boolean, timeouts: { connect: number; firstToken: number; idle: number }): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = errorCode(err);
  const retryable = !streaming;
  switch (code) {
    case CONNECT_TIMEOUT:
      return new GatewayError("upstream_timeout", `Backend ${ctx.backend} did not accept a connection within ${timeouts.connect} ms.`, { cause: err });
    case HEADERS_TIMEOUT:
      return new GatewayError("upstream_timeout", `Backend ${ctx.backend} did not start answering within ${timeouts.firstToken} ms.`, { cause: err });
    case BODY_TIMEOUT:
      return new GatewayError("upstream_timeout", `Backend ${ctx.backend} stalled: nothing received for ${timeouts.idle} ms.`, { cause: err, retryable });
    default:
      // The raw message names internal hosts and ports; the code is enough for the client, the cause is logged.
      return new GatewayError(
        "upstream_error",
        streaming
          ? `The connection to backend ${ctx.backend} broke during the stream (${code ?? "closed"}).`
          : `Could not reach backend ${ctx.backend} (${code ?? "connection failed"}).`,
        { cause: err, retryable },
      );
  }
}

function errorCode(err: unknown): string | undefined {
  if (err === null || typeof err !== "object") return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") return code;
  return errorCode((err as { cause?: unknown }).cause);
}

/** The upstream said 200 but sent something that is not the API's JSON. */
export function garbageError(ctx: ErrorContext, streaming: boolean, what: string, cause?: unknown): GatewayError {
  return new GatewayError("upstream_error", `Backend ${ctx.backend} sent ${what}.`, { retryable: !streaming, cause });
}

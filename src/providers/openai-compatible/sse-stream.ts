// Turns an upstream SSE body into parsed chunks. Once a chunk has been handed out the client may have
// received it, so every later failure is final (retryable: false); a failure before the first chunk
// keeps the table's retryable flag, so the router can still fall back. A consumer that stops early destroys the
// body, which closes the upstream connection at once; after `[DONE]` the body is left to drain in the
// background instead, so the keep-alive connection goes back to the pool.
import { StringDecoder } from "node:string_decoder";
import { ERROR_TABLE, GatewayError } from "../../errors/index.js";
import { SseDecoder } from "../../lib/sse-decoder.js";
import type { BodySink } from "./http1/pool.js";
import type { UpstreamCall } from "./upstream-call.js";
import type { UpstreamAnswer } from "./upstream-client.js";
import { garbageError, upstreamMessage, type ErrorContext } from "./upstream-error.js";

/** Edits each parsed chunk in place and may add one chunk at the end. */
export interface ChunkShaper<T> {
  apply(chunk: T): void;
  finish(): T | undefined;
}

export const PASS_THROUGH: ChunkShaper<never> = { apply() {}, finish: () => undefined };

/** Chunks parsed ahead of the consumer before the socket is paused. */
const HIGH_WATER = 64;
/** No real event comes near this; a body without line ends (garbage) must not grow memory unbounded. */
const MAX_PENDING_CHARS = 16 * 1024 * 1024;

type Body = UpstreamAnswer["res"];

class SsePump<T> implements BodySink {
  private readonly queue: T[] = [];
  private head = 0;
  failure: GatewayError | undefined;
  /** `[DONE]` seen or the body ended: nothing more will be queued. */
  finished = false;
  private wake: (() => void) | undefined;
  private readonly decoder: SseDecoder;
  /** Keeps a UTF-8 sequence cut between two chunks whole. */
  private readonly utf8 = new StringDecoder("utf8");

  constructor(
    private readonly body: Body,
    private readonly call: UpstreamCall,
    private readonly ctx: ErrorContext,
    private readonly shaper: ChunkShaper<T>,
  ) {
    this.decoder = new SseDecoder((data, event) => this.onEvent(data, event));
    body.consume(this);
  }

  data(buf: Buffer): void {
    if (this.finished) return;
    this.decoder.push(this.utf8.write(buf));
    if (this.decoder.pending > MAX_PENDING_CHARS) return this.fail(garbageError(this.ctx, true, "a stream event larger than 16 MiB"));
    if (this.queue.length - this.head >= HIGH_WATER && !this.finished) this.body.pause();
    this.notify();
  }

  end(): void {
    if (!this.finished) {
      this.decoder.push(this.utf8.end());
      this.decoder.end();
      this.finished = true;
    }
    this.notify();
  }

  error(err: Error): void {
    // A broken drain after [DONE] costs only the connection, not the answer.
    if (!this.finished) this.fail(this.call.error(err, true));
  }

  take(): T | undefined {
    if (this.head === this.queue.length) return undefined;
    const item = this.queue[this.head]!;
    this.queue[this.head++] = undefined as T;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      if (this.body.paused && !this.body.destroyed) this.body.resume();
    }
    return item;
  }

  wait(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private onEvent(data: string, event: string | undefined): void {
    if (this.finished || this.failure !== undefined) return;
    if (data === "[DONE]") {
      this.finished = true;
      return;
    }
    if (event !== undefined && event !== "message") {
      if (event === "error") this.fail(inStreamError(data, this.ctx));
      // Other named events (pings, progress notes) are not chat chunks.
      return;
    }
    const chunk = parse<T>(data, this.ctx);
    if (chunk instanceof GatewayError) return this.fail(chunk);
    this.shaper.apply(chunk);
    this.queue.push(chunk);
  }

  private fail(err: GatewayError): void {
    this.failure ??= err;
    this.finished = true;
    if (!this.body.destroyed) this.body.destroy();
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    if (wake !== undefined) {
      this.wake = undefined;
      wake();
    }
  }
}

export async function* sseChunks<T>(answer: UpstreamAnswer, ctx: ErrorContext, shaper: ChunkShaper<T>): AsyncGenerator<T, void, undefined> {
  const { res, call } = answer;
  const pump = new SsePump<T>(res, call, ctx, shaper);
  let complete = false;
  let yielded = false;
  try {
    for (;;) {
      const item = pump.take();
      if (item !== undefined) {
        yielded = true;
        yield item;
        continue;
      }
      if (pump.failure !== undefined) throw yielded ? pump.failure : beforeFirstChunk(pump.failure, call);
      if (pump.finished) break;
      await pump.wait();
    }
    const last = shaper.finish();
    if (last !== undefined) yield last;
    complete = true;
  } finally {
    if (!complete && !res.destroyed) res.destroy();
    call.done();
  }
}

/** Nothing reached the client yet: the failure may be retried elsewhere, unless the caller cancelled. */
function beforeFirstChunk(err: GatewayError, call: UpstreamCall): GatewayError {
  const retryable = ERROR_TABLE[err.code].retryable;
  if (err.retryable === retryable || call.cancelled) return err;
  return new GatewayError(err.code, err.message, { retryable, status: err.status, cause: err.cause });
}

function parse<T>(data: string, ctx: ErrorContext): T | GatewayError {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (err) {
    return garbageError(ctx, true, "a stream event that is not JSON", err);
  }
  if (value === null || typeof value !== "object") return garbageError(ctx, true, "a stream event that is not an object");
  // vLLM, SGLang and others report a failure mid-stream as an event holding only `error`.
  if ((value as { error?: unknown }).error !== undefined && (value as { choices?: unknown }).choices === undefined) {
    return inStreamError(data, ctx);
  }
  return value as T;
}

function inStreamError(data: string, ctx: ErrorContext): GatewayError {
  const detail = ctx.scrubber.scrub(upstreamMessage(data));
  return new GatewayError("upstream_error", `Backend ${ctx.backend} reported an error during the stream${detail ? `: ${detail}` : "."}`, {
    retryable: false,
  });
}

// The interface every backend implements: the embedded engine, OpenAI-compatible HTTP, Ollama, ...
import type { ChatChunk, ChatRequest, ChatResponse } from "./chat.js";
import type { CompletionRequest, CompletionResponse } from "./completion.js";
import type { EmbeddingRequest, EmbeddingResponse } from "./embedding.js";

export interface CallTimeouts {
  /** Milliseconds to establish a connection. */
  connect: number;
  /** Milliseconds from sending the request to the first byte of the answer (headers). */
  firstToken: number;
  /** Milliseconds allowed between two streamed events once streaming has started. */
  idle: number;
  /** Milliseconds for the whole call. */
  total: number;
}

export interface CallOptions {
  /** The model name as the backend knows it (the part after `backend/`). */
  model: string;
  /** Aborted when the client goes away or a timeout fires; the provider must stop at once. */
  signal: AbortSignal;
  /**
   * The same cancellation without an AbortSignal's costs, when the gateway runs the call: a provider on the
   * hot path listens here, and reading `signal` (which may be made on first use) is left to those that need one.
   */
  cancel?: Cancel;
  timeouts: CallTimeouts;
  requestId: string;
}

/** An object listener: no closure per request. */
export interface AbortListener {
  handleAbort(): void;
}

/**
 * A request's cancellation: a flag, its reason, listeners called once when it fires, and an AbortSignal that
 * follows it, made only if something asks for it (creating one costs ~4 µs a request on Node 20).
 */
export interface Cancel {
  readonly aborted: boolean;
  readonly reason: unknown;
  readonly signal: AbortSignal;
  onAbort(listener: AbortListener): void;
  offAbort(listener: AbortListener): void;
}

/**
 * A started stream. The promise that yields it resolves once the upstream has answered with a success
 * status, so a caller can still fall back to another target before anything reaches the client.
 */
export type ChunkStream<T> = AsyncIterable<T>;

export interface ChatModel {
  /** Backend name from the config (`local`, `lab-vllm`, ...). */
  readonly backend: string;
  /** True when data sent to this backend stays inside the company. */
  readonly inHouse: boolean;
  /**
   * True when the model enforces `CallOptions.timeouts` itself (first byte, idle, total) and stops at once on
   * `signal`: the router then passes the client's signal through and arms no timers of its own.
   */
  readonly enforcesTimeouts?: boolean;
  chat(req: ChatRequest, opts: CallOptions): Promise<ChatResponse>;
  chatStream(req: ChatRequest, opts: CallOptions): Promise<ChunkStream<ChatChunk>>;
  completion(req: CompletionRequest, opts: CallOptions): Promise<CompletionResponse>;
  completionStream(req: CompletionRequest, opts: CallOptions): Promise<ChunkStream<CompletionResponse>>;
  embed(req: EmbeddingRequest, opts: CallOptions): Promise<EmbeddingResponse>;
  /** Release connections, native memory, timers. */
  close(): Promise<void>;
}

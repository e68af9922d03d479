// A ChatModel over any OpenAI-compatible HTTP server. Vendor differences come from the quirks table;
// this file only sequences: build the body, send, check, read or stream, normalise.
import { GatewayError } from "../../errors/index.js";
import type {
  CallOptions,
  ChatChunk,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChunkStream,
  CompletionRequest,
  CompletionResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from "../../spec/index.js";
import { toEmbeddingResponse } from "./embeddings.js";
import { chatResponseAsChunks } from "./json-as-stream.js";
import { resolveQuirks, type Quirks } from "./quirks.js";
import { normaliseResponse, StreamReasoning } from "./reasoning.js";
import { chatBody, completionBody, embeddingBody } from "./request-body.js";
import { SecretScrubber } from "./secret-scrubber.js";
import { PASS_THROUGH, sseChunks, type ChunkShaper } from "./sse-stream.js";
import { UpstreamClient, type UpstreamAnswer } from "./upstream-client.js";
import { garbageError, upstreamMessage, type ErrorContext } from "./upstream-error.js";

export interface OpenAICompatibleSettings {
  /** Backend name from the config; appears in error messages, never the URL or key. */
  backend: string;
  /** Including the version prefix, e.g. `http://10.0.0.5:8000/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** Extra headers sent on every request (values that look like credentials are scrubbed from errors). */
  headers?: Record<string, string>;
  inHouse: boolean;
  /** Preset name (see PRESETS) whose quirks apply; `quirks` overrides single flags. */
  preset?: string;
  quirks?: Partial<Quirks>;
  /** Upper bound of keep-alive connections to this backend (default 256). */
  maxConnections?: number;
}

export function createOpenAICompatible(settings: OpenAICompatibleSettings): ChatModel & { readonly quirks: Quirks } {
  return new OpenAICompatibleModel(settings);
}

class OpenAICompatibleModel implements ChatModel {
  readonly backend: string;
  readonly inHouse: boolean;
  /** Connect, first-byte and idle timeouts are the client's socket timer, the total one UpstreamCall's. */
  readonly enforcesTimeouts = true;
  readonly quirks: Quirks;
  private readonly ctx: ErrorContext;
  private readonly client: UpstreamClient;
  private readonly paths: { chat: string; completions: string; embeddings: string };

  constructor(settings: OpenAICompatibleSettings) {
    this.backend = settings.backend;
    this.inHouse = settings.inHouse;
    this.quirks = resolveQuirks(settings.preset, settings.quirks);
    this.ctx = { backend: settings.backend, scrubber: new SecretScrubber(settings.apiKey, settings.headers) };
    this.client = new UpstreamClient(settings, this.ctx);
    const { basePath: base, query: q } = this.client;
    this.paths = { chat: `${base}/chat/completions${q}`, completions: `${base}/completions${q}`, embeddings: `${base}/embeddings${q}` };
  }

  async chat(req: ChatRequest, opts: CallOptions): Promise<ChatResponse> {
    const body = JSON.stringify(chatBody(req, opts.model, false, this.quirks));
    const json = await this.client.json(await this.client.send(this.paths.chat, body, opts));
    const res = this.checkChoices<ChatResponse>(json);
    normaliseResponse(res, this.quirks);
    return res;
  }

  async chatStream(req: ChatRequest, opts: CallOptions): Promise<ChunkStream<ChatChunk>> {
    const body = JSON.stringify(chatBody(req, opts.model, true, this.quirks));
    const answer = await this.client.send(this.paths.chat, body, opts);
    if (isJson(answer)) {
      const res = this.checkChoices<ChatResponse>(await this.client.json(answer));
      normaliseResponse(res, this.quirks);
      return fromArray(chatResponseAsChunks(res));
    }
    return sseChunks<ChatChunk>(answer, this.ctx, new StreamReasoning(this.quirks));
  }

  async completion(req: CompletionRequest, opts: CallOptions): Promise<CompletionResponse> {
    const body = JSON.stringify(completionBody(req, opts.model, false, this.quirks));
    const json = await this.client.json(await this.client.send(this.paths.completions, body, opts));
    return this.checkChoices<CompletionResponse>(json);
  }

  async completionStream(req: CompletionRequest, opts: CallOptions): Promise<ChunkStream<CompletionResponse>> {
    const body = JSON.stringify(completionBody(req, opts.model, true, this.quirks));
    const answer = await this.client.send(this.paths.completions, body, opts);
    // A completion chunk has the shape of a whole completion, so a JSON answer is its own single chunk.
    if (isJson(answer)) return fromArray([this.checkChoices<CompletionResponse>(await this.client.json(answer))]);
    return sseChunks<CompletionResponse>(answer, this.ctx, PASS_THROUGH as ChunkShaper<CompletionResponse>);
  }

  async embed(req: EmbeddingRequest, opts: CallOptions): Promise<EmbeddingResponse> {
    const body = JSON.stringify(embeddingBody(req, opts.model, this.quirks));
    const json = await this.client.json(await this.client.send(this.paths.embeddings, body, opts));
    return toEmbeddingResponse(json, opts.model, this.ctx);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private checkChoices<T>(json: Record<string, unknown>): T {
    if (Array.isArray(json.choices)) return json as T;
    if (json.error === undefined) throw garbageError(this.ctx, false, "a response without choices");
    const detail = this.ctx.scrubber.scrub(upstreamMessage(JSON.stringify(json)));
    throw new GatewayError("upstream_error", `Backend ${this.backend} reported an error: ${detail}`);
  }
}

function isJson(answer: UpstreamAnswer): boolean {
  const type = answer.res.headers["content-type"];
  return typeof type === "string" && type.includes("json");
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T, void, undefined> {
  yield* items;
}

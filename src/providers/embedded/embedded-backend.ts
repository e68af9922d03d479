// The embedded backend as a ChatModel: chat, completions and embeddings served by the in-process engine.
// node-llama-cpp is loaded on the first call that needs a model, never at construction.
import { GatewayError, toGatewayError } from "../../errors/index.js";
import type { EmbeddedSettings } from "../../config/embedded-schema.js";
import { completionId } from "../../lib/ids.js";
import { ModelManager, engineSettings, renderChatPrompt, type EngineEnvironment, type ModelResolver, type ModelSession } from "../../engine/index.js";
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
  ToolCall,
} from "../../spec/index.js";
import { checkJsonOutput, runChat, type ChatEnd, type ChatEvent } from "./chat-run.js";
import { chatChunk, completionChunk, usageChunk, type ChunkHeader } from "./chunks.js";
import { runCompletion } from "./completion-run.js";
import { guardedStream } from "./guarded-stream.js";
import { planOutput } from "./output-plan.js";

export interface EmbeddedBackendSettings extends EngineEnvironment {
  /** Backend name from the config (`local`). */
  name: string;
  config: EmbeddedSettings;
  inHouse?: boolean;
  /** Replaces the model store's resolver (tests). */
  resolveModelFile?: ModelResolver;
}

export interface EmbeddedChatModel extends ChatModel {
  /** The engine behind it, for status, `inhouse models` and tests. */
  readonly manager: ModelManager;
}

export function createEmbeddedBackend(settings: EmbeddedBackendSettings): EmbeddedChatModel {
  const manager = new ModelManager(engineSettings(settings.config, settings), settings.resolveModelFile);
  const header = (opts: CallOptions, kind?: string): ChunkHeader => ({ id: completionId(kind), created: Math.floor(Date.now() / 1000), model: opts.model });

  async function startChat(req: ChatRequest, opts: CallOptions): Promise<{ session: ModelSession; events: () => AsyncGenerator<ChatEvent, ChatEnd> }> {
    if ((req.n ?? 1) !== 1) throw new GatewayError("invalid_request", "The embedded engine returns one choice per request (n must be 1).", { param: "n" });
    const model = await manager.get(opts.model);
    const prompt = renderChatPrompt(model.model, model.chatWrapper, req.messages, req.tool_choice === "none" ? undefined : req.tools);
    const plan = await planOutput(req, model);
    const session = await manager.acquire(opts.model, opts.signal);
    const events = () => runChat({ session, prompt: prompt.tokens, stops: prompt.stops, plan, req, signal: opts.signal });
    return { session, events: withPlanCheck(events, plan) };
  }

  return {
    backend: settings.name,
    inHouse: settings.inHouse ?? true,
    manager,

    async chat(req, opts): Promise<ChatResponse> {
      const { session, events } = await startChat(req, opts);
      try {
        const h = header(opts);
        let content = "";
        let calls: ToolCall[] | undefined;
        const it = events();
        let step = await it.next();
        for (; !step.done; step = await it.next()) {
          if (step.value.type === "content") content += step.value.text;
          else calls = step.value.calls;
        }
        const end = step.value;
        return {
          id: h.id,
          object: "chat.completion",
          created: h.created,
          model: h.model,
          choices: [{ index: 0, message: { role: "assistant", content: calls && !content ? null : content, ...(calls ? { tool_calls: calls } : {}) }, finish_reason: end.finishReason, logprobs: null }],
          usage: end.usage,
        };
      } catch (err) {
        throw normalise(err, opts.signal);
      } finally {
        session.release();
      }
    },

    async chatStream(req, opts): Promise<ChunkStream<ChatChunk>> {
      const { session, events } = await startChat(req, opts);
      const h = header(opts);
      const includeUsage = req.stream_options?.include_usage === true;
      return guardedStream(
        async function* () {
          yield chatChunk(h, { role: "assistant", content: "" });
          const it = events();
          let step = await it.next();
          for (; !step.done; step = await it.next()) {
            if (step.value.type === "content") yield chatChunk(h, { content: step.value.text });
            else yield chatChunk(h, { tool_calls: step.value.calls.map((c, index) => ({ index, ...c })) });
          }
          yield chatChunk(h, {}, step.value.finishReason);
          if (includeUsage) yield usageChunk(h, step.value.usage);
        },
        session.release,
        opts.signal,
      );
    },

    async completion(req, opts): Promise<CompletionResponse> {
      const { session, run } = await startCompletion(req, opts);
      try {
        const h = header(opts, "cmpl");
        let text = "";
        const it = run();
        let step = await it.next();
        for (; !step.done; step = await it.next()) text += step.value;
        return completionChunk(h, text, step.value.finishReason, step.value.usage);
      } catch (err) {
        throw normalise(err, opts.signal);
      } finally {
        session.release();
      }
    },

    async completionStream(req, opts): Promise<ChunkStream<CompletionResponse>> {
      const { session, run } = await startCompletion(req, opts);
      const h = header(opts, "cmpl");
      const includeUsage = req.stream_options?.include_usage === true;
      return guardedStream(
        async function* () {
          const it = run();
          let step = await it.next();
          for (; !step.done; step = await it.next()) yield completionChunk(h, step.value, null);
          yield completionChunk(h, "", step.value.finishReason, includeUsage ? step.value.usage : undefined);
        },
        session.release,
        opts.signal,
      );
    },

    async embed(req: EmbeddingRequest, opts: CallOptions): Promise<EmbeddingResponse> {
      const inputs = typeof req.input === "string" ? [req.input] : req.input;
      if (!inputs.every((x): x is string => typeof x === "string")) {
        throw new GatewayError("invalid_request", "The embedded engine embeds text; send input as a string or an array of strings.", { param: "input" });
      }
      if (req.dimensions !== undefined) {
        throw new GatewayError("invalid_request", "dimensions is not supported by the embedded engine: its vectors have the model's embedding size.", { param: "dimensions" });
      }
      let tokens = 0;
      const data = await manager.withModel(opts.model, (model) =>
        model.withEmbedding(async (ctx) => {
          const out: { index: number; embedding: number[] }[] = [];
          for (const [index, text] of inputs.entries()) {
            if (opts.signal.aborted) throw opts.signal.reason;
            tokens += model.model.tokenize(text).length;
            const embedding = await ctx.getEmbeddingFor(text);
            out.push({ index, embedding: [...embedding.vector] });
          }
          return out;
        }),
      );
      return { model: opts.model, data, usage: { prompt_tokens: tokens, total_tokens: tokens } };
    },

    close: () => manager.dispose(),
  };

  async function startCompletion(req: CompletionRequest, opts: CallOptions) {
    const prompts = Array.isArray(req.prompt) ? req.prompt : [req.prompt];
    if (prompts.length !== 1 || (req.n ?? 1) !== 1) {
      throw new GatewayError("invalid_request", "The embedded engine completes one prompt per request (one prompt string, n = 1).", { param: "prompt" });
    }
    const model = await manager.get(opts.model);
    const tokens = model.model.tokenize(prompts[0]!);
    if (model.model.tokens.shouldPrependBosToken && model.model.tokens.bos !== null) tokens.unshift(model.model.tokens.bos);
    const session = await manager.acquire(opts.model, opts.signal);
    return { session, run: () => runCompletion(session, tokens, req, opts.signal) };
  }
}

function withPlanCheck(
  events: () => AsyncGenerator<ChatEvent, ChatEnd>,
  plan: Awaited<ReturnType<typeof planOutput>>,
): () => AsyncGenerator<ChatEvent, ChatEnd> {
  if (plan.kind !== "json") return events;
  return async function* () {
    let content = "";
    const it = events();
    let step = await it.next();
    for (; !step.done; step = await it.next()) {
      if (step.value.type === "content") content += step.value.text;
      yield step.value;
    }
    checkJsonOutput(plan, content, step.value.finishReason);
    return step.value;
  };
}

function normalise(err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return err;
  return toGatewayError(err);
}

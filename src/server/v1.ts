// The OpenAI-compatible API: /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models.
// Each request: authenticate -> parse -> may this key use the model? -> admit against its limits -> route
// -> answer; its record (usage, audit, metrics) is emitted whatever happened.
import { toGatewayError } from "../errors/index.js";
import { estimateChatTokens, estimateCompletionTokens, estimateEmbeddingTokens } from "../lib/estimate-tokens.js";
import { embeddingBody, modelList, parseChatRequest, parseCompletionRequest, parseEmbeddingRequest } from "../protocol/openai/index.js";
import { ClientClosedError, type RunContext } from "../router/index.js";
import type { ChatChunk, ChatRequest, ChatResponse, CompletionRequest, CompletionResponse, EmbeddingRequest, EmbeddingResponse } from "../spec/index.js";
import type { RequestContext, RouteTable } from "./app.js";
import { assertMayUse, type Principal } from "./auth.js";
import { callOptions, generate, type GenerationOps, type PrepareAttempt } from "./generate.js";
import { guardRequest, restoreChat, restoreChatChunks, restoreCompletion, restoreCompletionChunks } from "./policy-guard.js";
import { sendJson } from "./http.js";
import type { RequestRecord } from "../telemetry/record.js";

const chatOps: GenerationOps<ChatRequest, ChatResponse, ChatChunk> = {
  once: (m, req, opts) => m.chat(req, opts),
  stream: (m, req, opts) => m.chatStream(req, opts),
  usage: (x) => x.usage,
  usageOnly: (c) => c.choices.length === 0,
};

const completionOps: GenerationOps<CompletionRequest, CompletionResponse, CompletionResponse> = {
  once: (m, req, opts) => m.completion(req, opts),
  stream: (m, req, opts) => m.completionStream(req, opts),
  usage: (x) => x.usage,
  usageOnly: (c) => c.choices.length === 0,
};

interface Admitted<Req> {
  req: Req;
  principal: Principal;
  record: RequestRecord;
  run: RunContext;
}

const CONVERSATION = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's conversation id (`x-inhouse-conversation`): the same value keeps its placeholder across turns. */
function conversationOf(ctx: RequestContext, principal: Principal): string | undefined {
  const h = ctx.req.headers["x-inhouse-conversation"];
  return typeof h === "string" && CONVERSATION.test(h) ? `${principal.id}:${h}` : undefined;
}

/**
 * Applies the data policy: refuses blocked data, narrows the targets, and returns what each attempt sends.
 * Without a policy context (tests of the bare core) the request goes out unchanged.
 */
async function applyPolicy<Req extends ChatRequest | EmbeddingRequest, Res, Chunk>(
  ctx: RequestContext,
  a: Admitted<Req>,
  restore: Parameters<typeof guardRequest<Req, Res, Chunk>>[3],
): Promise<PrepareAttempt<Req, Res, Chunk> | undefined> {
  const policy = ctx.deps.policy;
  if (!policy) return undefined;
  const guard = await guardRequest<Req, Res, Chunk>(policy, a.req, conversationOf(ctx, a.principal), restore);
  if (!guard) return undefined;
  a.record.policy = guard.record();
  if (guard.blocked) throw guard.blocked;
  a.run.allow = (t, b) => guard.allow(t, b);
  a.run.refusal = (alias) => guard.refusal(alias);
  return (req, args) => {
    const backend = ctx.deps.router.backend(args.target.backend)!;
    const prepared = guard.prepare(req, backend, args.target);
    a.record.policy = guard.record();
    void guard.settle().catch(() => {});
    return prepared;
  };
}

/**
 * The frame of every API request: authenticate, parse, authorise, admit; then `body`; then release the
 * key's limits with the tokens actually used and emit the record, on success and failure alike.
 */
async function apiRequest<Req extends { model: string }>(
  ctx: RequestContext,
  endpoint: RequestRecord["endpoint"],
  parse: (body: unknown) => Req,
  estimate: (req: Req) => number,
  body: (a: Admitted<Req>) => Promise<void>,
): Promise<void> {
  const principal = await ctx.principal();
  const record: RequestRecord = {
    requestId: ctx.id,
    time: Date.now(),
    endpoint,
    keyId: principal.id,
    route: "",
    target: null,
    stream: false,
    status: 0,
    errorCode: null,
    promptTokens: 0,
    completionTokens: 0,
    latencyMs: 0,
    ttftMs: null,
    attempts: [],
    traceparent: typeof ctx.req.headers.traceparent === "string" ? ctx.req.headers.traceparent : undefined,
  };
  let release: ((actualTokens: number) => void) | undefined;
  try {
    const req = parse(await ctx.json());
    record.route = req.model;
    const params = req as { temperature?: number; max_tokens?: number; max_completion_tokens?: number; messages?: unknown; prompt?: unknown; input?: unknown };
    record.temperature = params.temperature;
    record.maxTokens = params.max_completion_tokens ?? params.max_tokens;
    // Prompt text reaches the log only when the operator turned log.prompts on.
    if (ctx.deps.config.log.prompts) ctx.deps.log.info({ requestId: ctx.id, model: req.model, prompt: params.messages ?? params.prompt ?? params.input }, "prompt");
    assertMayUse(principal, req.model);
    if (ctx.deps.admit) release = await ctx.deps.admit(principal, estimate(req));
    const run: RunContext = principal.inHouseOnly
      ? { requestId: ctx.id, cancel: ctx.cancel, attempts: record.attempts, inHouseOnly: true, inHouseReason: "this key is in_house_only" }
      : { requestId: ctx.id, cancel: ctx.cancel, attempts: record.attempts };
    await body({ req, principal, record, run });
  } catch (err) {
    if (err instanceof ClientClosedError || ctx.cancel.aborted) {
      record.status = 499;
      record.errorCode = "client_closed";
    } else {
      const e = toGatewayError(err);
      record.status = e.status;
      record.errorCode = e.code;
    }
    throw err;
  } finally {
    release?.(record.promptTokens + record.completionTokens);
    record.latencyMs = performance.now() - ctx.started;
    ctx.deps.onRecord?.(record);
  }
}

const chatCompletions = (ctx: RequestContext) =>
  apiRequest(ctx, "chat", parseChatRequest, estimateChatTokens, async (a) => {
    const { req, record, run } = a;
    const { router } = ctx.deps;
    const route = router.resolve(req.model);
    if (route.byLanguage || ctx.deps.config.router.detect_language) {
      // Loaded on first use: the detector's n-gram tables cost ~40 MB that most gateways never need.
      const { detectRequestLanguage } = await import("../lib/langid.js");
      record.language = detectRequestLanguage(req).lang;
      if (route.byLanguage) run.prefer = router.preferLanguage(route, record.language);
    }
    const prepare = await applyPolicy<ChatRequest, ChatResponse, ChatChunk>(ctx, a, { response: restoreChat, chunks: restoreChatChunks });
    await generate(router, route, req, chatOps, run, ctx.res, record, ctx.started, prepare);
  });

/** A completion request's text as an embeddings-shaped request: prompts, then the suffix when there is one. */
function completionAsInput(r: CompletionRequest): EmbeddingRequest {
  const prompts = typeof r.prompt === "string" ? [r.prompt] : r.prompt;
  const input = typeof r.suffix === "string" ? [...prompts, r.suffix] : prompts;
  return { model: r.model, input: typeof r.prompt === "string" && r.suffix === undefined ? r.prompt : input, user: r.user, extra: r.extra };
}

function completionFromInput(r: CompletionRequest, p: EmbeddingRequest): CompletionRequest {
  const input = typeof p.input === "string" ? [p.input] : (p.input as string[]);
  const n = typeof r.suffix === "string" ? input.length - 1 : input.length;
  const prompt = typeof r.prompt === "string" ? input[0]! : input.slice(0, n);
  const out: CompletionRequest = { ...r, prompt, user: p.user, extra: p.extra };
  if (typeof r.suffix === "string") out.suffix = input[n];
  if (r.user === undefined) delete out.user;
  if (r.extra === undefined) delete out.extra;
  return out;
}

const completions = (ctx: RequestContext) =>
  apiRequest(ctx, "completion", parseCompletionRequest, estimateCompletionTokens, async (a) => {
    const { req, record, run } = a;
    // The policy reads a prompt (and a fill-in-the-middle suffix) as it reads embeddings input, with `user`
    // and the pass-through fields; the answer comes back as text.
    const asInput: Admitted<EmbeddingRequest> = { ...a, req: completionAsInput(req) };
    const viaInput = await applyPolicy<EmbeddingRequest, CompletionResponse, CompletionResponse>(ctx, asInput, {
      response: restoreCompletion,
      chunks: restoreCompletionChunks,
    });
    const prepare: PrepareAttempt<CompletionRequest, CompletionResponse, CompletionResponse> | undefined = viaInput
      ? (r, args) => {
          const p = viaInput(completionAsInput(r), args);
          return { ...p, req: completionFromInput(r, p.req) };
        }
      : undefined;
    await generate(ctx.deps.router, ctx.deps.router.resolve(req.model), req, completionOps, run, ctx.res, record, ctx.started, prepare);
  });

const embeddings = (ctx: RequestContext) =>
  apiRequest(ctx, "embedding", parseEmbeddingRequest, estimateEmbeddingTokens, async (admitted) => {
    const { req, record, run } = admitted;
    // Embeddings are never restored: a pseudonymized input is embedded as such.
    const prepare = await applyPolicy<EmbeddingRequest, EmbeddingResponse, never>(ctx, admitted, {});
    const lease = await ctx.deps.router.run(ctx.deps.router.resolve(req.model), run, (a) => {
      const base = { ...req, model: a.target.model };
      const sent = prepare ? prepare(base, a).req : base;
      return a.model.embed(sent, callOptions(a, ctx.id));
    });
    lease.end();
    record.attempts = lease.attempts;
    record.target = `${lease.target.backend}/${lease.target.model}`;
    record.promptTokens = lease.value.usage.prompt_tokens;
    record.status = 200;
    sendJson(ctx.res, 200, embeddingBody(lease.value, req.encoding_format), {
      "x-inhouse-backend": record.target,
      "x-inhouse-attempts": String(lease.attempts.length),
    });
  });

async function models(ctx: RequestContext): Promise<void> {
  const principal = await ctx.principal();
  sendJson(ctx.res, 200, modelList(ctx.deps.listModels(principal)));
}

export const v1Routes: RouteTable = {
  "POST /v1/chat/completions": chatCompletions,
  "POST /v1/completions": completions,
  "POST /v1/embeddings": embeddings,
  "GET /v1/models": models,
};

// The OpenAI-compatible API: /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models.
import { embeddingBody, modelList, parseChatRequest, parseCompletionRequest, parseEmbeddingRequest } from "../protocol/openai/index.js";
import { toGatewayError } from "../errors/index.js";
import type { RunContext } from "../router/index.js";
import { ClientClosedError } from "../router/index.js";
import type { ChatChunk, ChatRequest, ChatResponse, CompletionRequest, CompletionResponse } from "../spec/index.js";
import type { RequestContext, RouteTable } from "./app.js";
import { assertMayUse } from "./auth.js";
import { generate, type GenerationOps } from "./generate.js";
import { sendJson } from "./http.js";
import type { RequestRecord } from "./record.js";

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

function newRecord(ctx: RequestContext, endpoint: RequestRecord["endpoint"], keyId: string, route: string): RequestRecord {
  return {
    requestId: ctx.id,
    time: Date.now(),
    endpoint,
    keyId,
    route,
    target: null,
    stream: false,
    status: 0,
    errorCode: null,
    promptTokens: 0,
    completionTokens: 0,
    latencyMs: 0,
    ttftMs: null,
    attempts: [],
  };
}

/** Runs one API request and always emits its record, whatever happened. */
async function recorded(ctx: RequestContext, endpoint: RequestRecord["endpoint"], body: (record: RequestRecord) => Promise<void>): Promise<void> {
  const principal = await ctx.principal();
  const record = newRecord(ctx, endpoint, principal.id, "");
  try {
    await body(record);
  } catch (err) {
    if (err instanceof ClientClosedError || ctx.signal.aborted) {
      record.status = 499;
      record.errorCode = "client_closed";
    } else {
      const e = toGatewayError(err);
      record.status = e.status;
      record.errorCode = e.code;
    }
    throw err;
  } finally {
    record.latencyMs = performance.now() - ctx.started;
    ctx.deps.onRecord?.(record);
  }
}

function runContext(ctx: RequestContext, inHouseOnly: boolean): RunContext {
  return inHouseOnly
    ? { requestId: ctx.id, signal: ctx.signal, inHouseOnly: true, inHouseReason: "this key is in_house_only" }
    : { requestId: ctx.id, signal: ctx.signal };
}

async function chatCompletions(ctx: RequestContext): Promise<void> {
  await recorded(ctx, "chat", async (record) => {
    const principal = await ctx.principal();
    const req = parseChatRequest(await ctx.json());
    record.route = req.model;
    assertMayUse(principal, req.model);
    const route = ctx.deps.router.resolve(req.model);
    await generate(ctx.deps.router, route, req, chatOps, runContext(ctx, principal.inHouseOnly), ctx.res, record, ctx.started);
  });
}

async function completions(ctx: RequestContext): Promise<void> {
  await recorded(ctx, "completion", async (record) => {
    const principal = await ctx.principal();
    const req = parseCompletionRequest(await ctx.json());
    record.route = req.model;
    assertMayUse(principal, req.model);
    const route = ctx.deps.router.resolve(req.model);
    await generate(ctx.deps.router, route, req, completionOps, runContext(ctx, principal.inHouseOnly), ctx.res, record, ctx.started);
  });
}

async function embeddings(ctx: RequestContext): Promise<void> {
  await recorded(ctx, "embedding", async (record) => {
    const principal = await ctx.principal();
    const req = parseEmbeddingRequest(await ctx.json());
    record.route = req.model;
    assertMayUse(principal, req.model);
    const route = ctx.deps.router.resolve(req.model);
    const lease = await ctx.deps.router.run(route, runContext(ctx, principal.inHouseOnly), (a) =>
      a.model.embed({ ...req, model: a.target.model }, { model: a.target.model, signal: a.signal, timeouts: a.timeouts, requestId: ctx.id }),
    );
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
}

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

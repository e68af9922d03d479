// The request path shared by chat and legacy completions: route with fallback, then answer as JSON or SSE.
// Fallback is possible until the first streamed event reaches the client; after it, a failure ends the
// stream with an error event in OpenAI's shape (never a clean finish, never a hang).
import type { ServerResponse } from "node:http";
import { toGatewayError, wireError } from "../errors/index.js";
import { SSE_DONE, sseData } from "../lib/sse-encoder.js";
import { ClientClosedError, type CallArgs, type Lease, type Route, type RunContext } from "../router/index.js";
import type { Router } from "../router/index.js";
import type { CallOptions, CallTimeouts, Cancel, ChatModel, Usage } from "../spec/index.js";
import { drained, sendJson } from "./http.js";
import type { Prepared } from "./policy-guard.js";
import type { RequestRecord } from "../telemetry/record.js";

export interface GenerationOps<Req, Res, Chunk> {
  once(model: ChatModel, req: Req, opts: CallOptions): Promise<Res>;
  stream(model: ChatModel, req: Req, opts: CallOptions): Promise<AsyncIterable<Chunk>>;
  usage(x: Res | Chunk): Usage | null | undefined;
  /** True for the trailing usage-only chunk, which the client sees only when it asked for it. */
  usageOnly(chunk: Chunk): boolean;
}

/** Per attempt: what to send to this target and how to map its answer back (the data policy's hook). */
export type PrepareAttempt<Req, Res, Chunk> = (req: Req, args: CallArgs) => Prepared<Req, Res, Chunk>;

export interface GenerationRequest {
  model: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | undefined;
}

interface Started<Chunk> {
  it: AsyncIterator<Chunk>;
  first: IteratorResult<Chunk>;
}

/** What a provider gets for one attempt; `signal` is made only if the provider reads it. */
class AttemptOptions implements CallOptions {
  readonly model: string;
  readonly cancel: Cancel;
  readonly timeouts: CallTimeouts;
  readonly requestId: string;

  constructor(args: CallArgs, requestId: string) {
    this.model = args.target.model;
    this.cancel = args.cancel;
    this.timeouts = args.timeouts;
    this.requestId = requestId;
  }

  get signal(): AbortSignal {
    return this.cancel.signal;
  }
}

export function callOptions(args: CallArgs, requestId: string): CallOptions {
  return new AttemptOptions(args, requestId);
}

/** x-request-id is already set on every response by the app (app.ts). */
function responseHeaders(lease: Lease<unknown>): Record<string, string> {
  return {
    "x-inhouse-backend": `${lease.target.backend}/${lease.target.model}`,
    "x-inhouse-attempts": String(lease.attempts.filter((a) => a.outcome !== "skipped_open" && a.outcome !== "skipped_busy").length),
  };
}

function applyUsage(record: RequestRecord, usage: Usage | null | undefined): void {
  if (!usage) return;
  record.promptTokens = usage.prompt_tokens ?? 0;
  record.completionTokens = usage.completion_tokens ?? 0;
}

export async function generate<Req extends GenerationRequest, Res, Chunk>(
  router: Router,
  route: Route,
  req: Req,
  ops: GenerationOps<Req, Res, Chunk>,
  ctx: RunContext,
  res: ServerResponse,
  record: RequestRecord,
  started: number,
  prepare?: PrepareAttempt<Req, Res, Chunk>,
): Promise<void> {
  record.stream = req.stream === true;
  // Providers take the upstream model name from CallOptions.model, so the request is not copied per attempt.
  const attemptFor = (args: CallArgs): Prepared<Req, Res, Chunk> => (prepare ? prepare(req, args) : { req });
  if (!req.stream) {
    let lease: Lease<Res> | undefined;
    try {
      lease = await router.run(route, ctx, async (args) => {
        const p = attemptFor(args);
        const res = await ops.once(args.model, p.req, callOptions(args, ctx.requestId));
        return p.mapResponse ? p.mapResponse(res) : res;
      });
      record.attempts = lease.attempts;
      record.target = `${lease.target.backend}/${lease.target.model}`;
      const body = lease.value;
      applyUsage(record, ops.usage(body));
      record.status = 200;
      sendJson(res, 200, body, responseHeaders(lease));
      lease.end();
    } catch (err) {
      lease?.end(err);
      throw err;
    }
    return;
  }

  const lease = await router.run(route, ctx, async (args): Promise<Started<Chunk>> => {
    const p = attemptFor(args);
    const stream = await ops.stream(args.model, p.req, callOptions(args, ctx.requestId));
    const it = (p.mapChunks ? p.mapChunks(stream) : stream)[Symbol.asyncIterator]();
    // Waiting for the first event keeps fallback possible until something is about to reach the client.
    const first = await it.next();
    return { it, first };
  });
  record.attempts = lease.attempts;
  record.target = `${lease.target.backend}/${lease.target.model}`;
  const includeUsage = req.stream_options?.include_usage === true;
  res.writeHead(200, {
    ...responseHeaders(lease),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
  });
  record.status = 200;
  const { it } = lease.value;
  let step = lease.value.first;
  try {
    while (!step.done) {
      const chunk = step.value;
      applyUsage(record, ops.usage(chunk));
      if (includeUsage || !ops.usageOnly(chunk)) {
        if (record.ttftMs === null) record.ttftMs = performance.now() - started;
        if (!res.write(sseData(JSON.stringify(chunk)))) await drained(res);
        if (res.destroyed) throw new ClientClosedError();
      }
      step = await it.next();
    }
    res.end(SSE_DONE);
    lease.end();
  } catch (err) {
    void it.return?.();
    if (err instanceof ClientClosedError || ctx.cancel.aborted) {
      lease.end(new ClientClosedError());
      record.status = 499;
      record.errorCode = "client_closed";
      res.destroy();
      return;
    }
    const error = toGatewayError(err);
    lease.end(error);
    record.errorCode = error.code;
    record.status = error.status;
    if (!res.destroyed) res.end(sseData(JSON.stringify(wireError(error))));
  }
}

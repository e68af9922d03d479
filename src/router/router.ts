// The router: alias -> ordered candidate targets -> attempts with timeouts, retries, fallback and breakers.
// It knows nothing of HTTP or of any vendor: it calls ChatModels through a function the caller passes.
import { ConfigError, type AliasConfig, type Config, type Target } from "../config/index.js";
import { GatewayError, type ErrorCode } from "../errors/index.js";
import { linkAbort } from "../lib/abort.js";
import { backoffDelay, sleep } from "../lib/backoff.js";
import { QueueFullError, Semaphore } from "../lib/semaphore.js";
import type { CallTimeouts, Cancel, ChatModel } from "../spec/index.js";
import { Breakers, type BreakerTransition } from "./breaker.js";
import { LatencyTracker, Ordering, targetKey, type Strategy } from "./strategies.js";

/** What the router needs to know about each backend (built from config by the provider registry). */
export interface BackendHandle {
  readonly name: string;
  readonly inHouse: boolean;
  readonly timeouts: CallTimeouts;
  readonly retries: number | undefined;
  readonly maxConcurrency: number | undefined;
  readonly maxQueue: number;
  /** Model names this backend declares (for addressing a model without an alias). */
  readonly models: readonly string[];
  model(): Promise<ChatModel>;
}

export interface Route {
  /** What the client asked for: an alias, `backend/model`, or a model name. */
  name: string;
  targets: readonly Target[];
  strategy: Strategy;
  retries: number;
  /** For `by_language`: language -> preferred targets, with `default` for the rest. */
  byLanguage?: Readonly<Record<string, readonly Target[]>>;
}

export interface Attempt {
  target: string;
  outcome: "ok" | ErrorCode | "client_closed" | "skipped_open" | "skipped_busy";
  latencyMs: number;
}

export interface RunContext {
  requestId: string;
  /** The client's cancellation: fires when it disconnects. */
  cancel: Cancel;
  /** Only in-house backends may be used (a key's or a policy's constraint). */
  inHouseOnly?: boolean;
  /** Why in-house only, for the error message (e.g. "policy: keep_in_house for pii"). */
  inHouseReason?: string;
  /** Reorders the candidates (e.g. by detected language) before the strategy applies. */
  prefer?: (targets: readonly Target[]) => readonly Target[];
  /** Where attempts are recorded as they happen, so a request that fails still reports them. */
  attempts?: Attempt[];
  /** Keeps only the targets this request may go to (the data policy); `refusal` explains an empty set. */
  allow?: (target: Target, backend: BackendHandle) => boolean;
  refusal?: (alias: string) => GatewayError;
}

export interface CallArgs {
  model: ChatModel;
  target: Target;
  /** The client's cancellation, or one that also fires on the router's own timeouts. */
  cancel: Cancel;
  timeouts: CallTimeouts;
}

/** A successful attempt. `end` must be called exactly once when the caller is done (stream finished). */
export interface Lease<T> {
  value: T;
  target: Target;
  backend: BackendHandle;
  attempts: Attempt[];
  end(error?: unknown): void;
}

/** Thrown when the client went away; nothing is sent and nothing counts against the upstream. */
export class ClientClosedError extends Error {
  constructor() {
    super("client closed the request");
  }
}

const RETRY_AFTER_CAP_MS = 5_000;

export interface RouterEvents {
  breaker?: (t: BreakerTransition) => void;
}

export interface RouterOptions extends RouterEvents {
  /**
   * `by_language` tables per alias (language -> what to prefer), from the config or resolved from an eval
   * report by the caller. A value names `backend/model`, a backend, a target's model, or another alias.
   */
  languageTables?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export class Router {
  readonly breakers: Breakers;
  readonly latency = new LatencyTracker();
  private readonly ordering = new Ordering();
  private readonly limits = new Map<string, Semaphore>();

  private readonly byLanguage = new Map<string, Record<string, readonly Target[]>>();
  /** Alias routes never change after start: built once, shared by every request. */
  private readonly aliasRoutes = new Map<string, Route>();

  constructor(
    private readonly config: Config,
    private readonly backends: ReadonlyMap<string, BackendHandle>,
    events: RouterOptions = {},
  ) {
    const cb = config.router.circuit_breaker;
    this.breakers = new Breakers(cb.failures, cb.cooldown, events.breaker);
    for (const [alias, cfg] of Object.entries(config.models)) {
      if (cfg.strategy !== "by_language") continue;
      const table = events.languageTables?.get(alias) ?? cfg.by_language;
      if (!table) throw new ConfigError(`models.${alias}: strategy by_language needs a by_language table or from_eval`);
      const resolved: Record<string, readonly Target[]> = {};
      for (const [lang, ref] of Object.entries(table)) resolved[lang] = this.expand(ref, cfg.targets, alias);
      this.byLanguage.set(alias, resolved);
    }
    for (const b of backends.values()) {
      if (b.maxConcurrency) this.limits.set(b.name, new Semaphore(b.maxConcurrency, b.maxQueue));
    }
  }

  /** A by_language value -> the targets it names. */
  private expand(ref: string, targets: readonly Target[], alias: string): readonly Target[] {
    const other = this.config.models[ref];
    if (other && ref !== alias) return other.targets;
    const slash = ref.indexOf("/");
    const found = targets.filter((t) => `${t.backend}/${t.model}` === ref || t.backend === ref || t.model === ref);
    if (found.length > 0) return found;
    if (slash > 0 && this.backends.has(ref.slice(0, slash))) return [{ backend: ref.slice(0, slash), model: ref.slice(slash + 1), weight: 1 }];
    throw new ConfigError(`models.${alias}.by_language: '${ref}' is not a target, backend, model or alias; use backend/model, a backend name or another alias`);
  }

  /** Orders a by_language route's targets for one language: its choice first, the alias's others after. */
  preferLanguage(route: Route, lang: string | undefined): (targets: readonly Target[]) => readonly Target[] {
    const table = route.byLanguage;
    const chosen = table ? ((lang ? table[lang] : undefined) ?? table.default) : undefined;
    if (!chosen) return (t) => t;
    const key = (t: Target) => `${t.backend}/${t.model}`;
    const first = new Set(chosen.map(key));
    return (targets) => [...chosen, ...targets.filter((t) => !first.has(key(t)))];
  }

  /** Resolves what a client asked for; throws 404 model_not_found with the names it may use instead. */
  resolve(name: string): Route {
    const cached = this.aliasRoutes.get(name);
    if (cached) return cached;
    const alias: AliasConfig | undefined = this.config.models[name];
    if (alias) {
      const route: Route = { name, targets: alias.targets, strategy: alias.strategy, retries: alias.retries ?? this.config.router.retries };
      const byLanguage = this.byLanguage.get(name);
      if (byLanguage) route.byLanguage = byLanguage;
      this.aliasRoutes.set(name, Object.freeze(route));
      return route;
    }
    const slash = name.indexOf("/");
    if (slash > 0) {
      const backend = this.backends.get(name.slice(0, slash));
      if (backend) return this.direct(name, { backend: backend.name, model: name.slice(slash + 1), weight: 1 }, backend);
    }
    const owners = [...this.backends.values()].filter((b) => b.models.includes(name));
    if (owners.length >= 1) {
      // Several backends declare the model: treat them as a fallback chain in config order.
      return { name, targets: owners.map((b) => ({ backend: b.name, model: name, weight: 1 })), strategy: "fallback", retries: this.config.router.retries };
    }
    throw new GatewayError("model_not_found", `The model '${name}' does not exist or is not configured. GET /v1/models lists the models you can use.`, {
      param: "model",
    });
  }

  private direct(name: string, target: Target, backend: BackendHandle): Route {
    return { name, targets: [target], strategy: "fallback", retries: backend.retries ?? this.config.router.retries };
  }

  backend(name: string): BackendHandle | undefined {
    return this.backends.get(name);
  }

  /** Active and queued requests per backend with a concurrency limit (metrics, admin views). */
  queues(): { backend: string; active: number; queued: number }[] {
    return [...this.limits].map(([backend, s]) => ({ backend, active: s.inUse, queued: s.queued }));
  }

  async run<T>(route: Route, ctx: RunContext, call: (args: CallArgs) => Promise<T>): Promise<Lease<T>> {
    let targets = ctx.prefer ? ctx.prefer(route.targets) : route.targets;
    if (ctx.inHouseOnly) {
      targets = targets.filter((t) => this.backends.get(t.backend)?.inHouse);
      if (targets.length === 0) {
        throw new GatewayError(
          "content_policy_violation",
          `The request must stay in-house (${ctx.inHouseReason ?? "in_house_only"}), but '${route.name}' has no in-house target. Add an in-house target (in_house: true) to it or use another model.`,
          { param: "model" },
        );
      }
    }
    if (ctx.allow) {
      const allow = ctx.allow;
      targets = targets.filter((t) => {
        const b = this.backends.get(t.backend);
        return b !== undefined && allow(t, b);
      });
      if (targets.length === 0) {
        throw ctx.refusal?.(route.name) ?? new GatewayError("content_policy_violation", `No target of '${route.name}' may receive this request.`, { param: "model" });
      }
    }
    const ordered = this.ordering.order(route.strategy, targets, this.latency);
    const attempts: Attempt[] = ctx.attempts ?? [];
    let lastError: GatewayError | undefined;
    let minRetryInMs = Infinity;

    for (let round = 0; round <= route.retries; round++) {
      let tried = 0;
      for (const target of ordered) {
        if (ctx.cancel.aborted) throw new ClientClosedError();
        const key = targetKey(target);
        if (!this.breakers.allow(key)) {
          minRetryInMs = Math.min(minRetryInMs, this.breakers.retryInMs(key));
          attempts.push({ target: key, outcome: "skipped_open", latencyMs: 0 });
          continue;
        }
        const result = await this.attempt(target, key, ctx, call, attempts);
        if (result.ok) return result.lease;
        lastError = result.error;
        if (result.busy) continue; // a full local queue: try the others, but never wait for it here
        tried++;
        if (!result.error.retryable) throw result.error;
      }
      if (round === route.retries) break;
      // Every target was open or at its concurrency limit: waiting here would only pile requests up.
      if (tried === 0) break;
      const retryAfterMs = (lastError?.retryAfter ?? 0) * 1000;
      if (retryAfterMs > RETRY_AFTER_CAP_MS) break;
      await sleep(Math.max(retryAfterMs, backoffDelay(round)), ctx.cancel.signal).catch(() => {
        throw new ClientClosedError();
      });
    }
    if (lastError) throw lastError;
    throw new GatewayError("no_backend", `Every target of '${route.name}' is unavailable (circuit open after repeated failures). Retry later.`, {
      retryAfter: Number.isFinite(minRetryInMs) ? Math.max(1, Math.ceil(minRetryInMs / 1000)) : 1,
    });
  }

  private async attempt<T>(
    target: Target,
    key: string,
    ctx: RunContext,
    call: (args: CallArgs) => Promise<T>,
    attempts: Attempt[],
  ): Promise<{ ok: true; lease: Lease<T> } | { ok: false; error: GatewayError; busy?: true }> {
    const backend = this.backends.get(target.backend);
    if (!backend) {
      return { ok: false, error: new GatewayError("no_backend", `Backend '${target.backend}' is not configured.`) };
    }
    let release: (() => void) | undefined;
    const limit = this.limits.get(backend.name);
    if (limit) {
      try {
        // A free slot is taken at once; only a wait needs the client's AbortSignal.
        release = limit.tryAcquire() ?? (await limit.acquire(ctx.cancel.signal));
      } catch (err) {
        if (!(err instanceof QueueFullError)) throw new ClientClosedError();
        attempts.push({ target: key, outcome: "skipped_busy", latencyMs: 0 });
        this.breakers.release(key);
        const error = new GatewayError("overloaded", `Backend '${backend.name}' is at its concurrency limit and its queue is full. Retry shortly.`, { retryAfter: 1 });
        return { ok: false, error, busy: true };
      }
    }
    const started = performance.now();
    let model: ChatModel;
    try {
      model = await backend.model();
    } catch (err) {
      release?.();
      this.breakers.release(key);
      const error = asGatewayError(err, key);
      attempts.push({ target: key, outcome: error.code, latencyMs: 0 });
      return { ok: false, error };
    }
    // A model that enforces its own timeouts gets the client's cancellation as is: no timers here.
    const link = model.enforcesTimeouts ? undefined : linkAbort(ctx.cancel);
    link?.arm(backend.timeouts.firstToken);
    this.latency.start(key);
    let finished = false;
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      link?.dispose();
      release?.();
      this.latency.end(key);
      if (error === undefined) this.breakers.success(key);
      else if (error instanceof GatewayError && isUpstreamFault(error)) this.breakers.failure(key);
      else this.breakers.release(key);
    };
    try {
      const value = await call({ model, target, cancel: link?.cancel ?? ctx.cancel, timeouts: backend.timeouts });
      const latencyMs = performance.now() - started;
      this.latency.sample(key, latencyMs);
      attempts.push({ target: key, outcome: "ok", latencyMs });
      link?.arm(backend.timeouts.total - latencyMs);
      return { ok: true, lease: { value, target, backend, attempts, end: finish } };
    } catch (err) {
      const latencyMs = performance.now() - started;
      if (link?.reason === "client" || ctx.cancel.aborted) {
        attempts.push({ target: key, outcome: "client_closed", latencyMs });
        finish(new ClientClosedError());
        throw new ClientClosedError();
      }
      const error =
        link?.reason === "timeout"
          ? new GatewayError("upstream_timeout", `'${key}' sent no answer within ${backend.timeouts.firstToken} ms.`)
          : asGatewayError(err, key);
      attempts.push({ target: key, outcome: error.code, latencyMs });
      finish(error);
      return { ok: false, error };
    }
  }
}

/** Failures that say something about the target's health (not the client's request). */
function isUpstreamFault(err: GatewayError): boolean {
  return err.code === "upstream_error" || err.code === "upstream_timeout" || err.code === "rate_limit_exceeded" || err.code === "overloaded";
}

function asGatewayError(err: unknown, key: string): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError("upstream_error", `'${key}' failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

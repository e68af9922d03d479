// Prometheus metrics (prom-client) on a registry of our own. Per-request work is a couple of Map lookups on
// cached label children and plain increments (see fast-metrics.ts); gauges (breakers, in-flight, queues, engine) are read from their sources only when
// Prometheus scrapes. Label values come from config (aliases, targets) or closed sets (status, outcome); a
// name the client made up is counted as "(unknown)" and distinct routes are capped, so cardinality stays bounded.
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { BreakerState } from "../router/index.js";
import { CounterFamily, HistogramFamily, type CounterChild, type HistogramChild } from "./fast-metrics.js";
import { isErrorStatus, OTHER_SERIES, UNKNOWN_SERIES, type StatsSample } from "./stats.js";

export interface MetricsSample extends StatsSample {
  endpoint: string;
  stream: boolean;
  attempts: readonly { target: string; outcome: string; latencyMs: number }[];
  policy?: { action: string; kinds: Record<string, number> } | undefined;
}

export interface EngineModelStatus {
  backend: string;
  name: string;
  bytes: number;
  active: number;
  queued: number;
}

/** Where scrape-time gauges read from; each is optional so the gateway can add them as parts land. */
export interface MetricsSources {
  breakers?: () => readonly { target: string; state: BreakerState; failures: number }[];
  /** Requests in flight per target (the router's outstanding count). */
  inFlight?: () => readonly { target: string; count: number }[];
  /** Per-backend concurrency limit: active and queued requests. */
  queues?: () => readonly { backend: string; active: number; queued: number }[];
  engineModels?: () => readonly EngineModelStatus[];
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const RATE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const MAX_ROUTES = 500;
const MAX_PAIRS = 2000;
const MAX_ATTEMPT_SERIES = 2000;
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

interface PairChildren {
  route: string;
  target: string;
  duration: HistogramChild;
  ttft: HistogramChild;
  rate: HistogramChild;
  promptTokens: CounterChild;
  completionTokens: CounterChild;
  requests: Map<string, CounterChild>;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: CounterFamily;
  private readonly duration: HistogramFamily;
  private readonly ttft: HistogramFamily;
  private readonly rate: HistogramFamily;
  private readonly tokens: CounterFamily;
  private readonly attempts: CounterFamily;
  private readonly policyActions: CounterFamily;
  private readonly policyKinds: CounterFamily;
  private readonly pairs = new Map<string, PairChildren>();
  private readonly attemptChildren = new Map<string, CounterChild>();
  private readonly policyChildren = new Map<string, CounterChild>();
  private readonly routes = new Set<string>();

  constructor(sources: MetricsSources = {}, options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const r = this.registry;
    this.requests = new CounterFamily("inhouse_requests_total", "API requests by endpoint, requested route (alias or model), answering target and HTTP status.", r);
    this.duration = new HistogramFamily("inhouse_request_duration_seconds", "Whole request latency as the client saw it.", LATENCY_BUCKETS, r);
    this.ttft = new HistogramFamily("inhouse_time_to_first_token_seconds", "Time to the first streamed token.", LATENCY_BUCKETS, r);
    this.rate = new HistogramFamily("inhouse_generation_tokens_per_second", "Completion tokens per second after the first token, per streamed request (engine and upstream speed).", RATE_BUCKETS, r);
    this.tokens = new CounterFamily("inhouse_tokens_total", "Tokens by route, target and direction (prompt or completion).", r);
    this.attempts = new CounterFamily("inhouse_upstream_attempts_total", "Attempts at upstream targets by outcome: ok, an error code (upstream_error, upstream_timeout, rate_limit_exceeded...), client_closed, skipped_open, skipped_busy.", r);
    this.policyActions = new CounterFamily("inhouse_policy_actions_total", "Sensitive-data policy decisions by action.", r);
    this.policyKinds = new CounterFamily("inhouse_policy_detections_total", "Sensitive values detected, by kind.", r);

    new Gauge({
      name: "inhouse_breaker_state",
      help: "Circuit breaker per target: 0 closed, 1 half-open, 2 open.",
      labelNames: ["target"],
      registers,
      collect() {
        this.reset();
        for (const b of sources.breakers?.() ?? []) this.set({ target: b.target }, BREAKER_VALUE[b.state]);
      },
    });
    new Gauge({
      name: "inhouse_in_flight_requests",
      help: "Requests in flight per target.",
      labelNames: ["target"],
      registers,
      collect() {
        this.reset();
        for (const t of sources.inFlight?.() ?? []) this.set({ target: t.target }, t.count);
      },
    });
    new Gauge({
      name: "inhouse_backend_queue_depth",
      help: "Requests waiting for a backend's concurrency limit (max_concurrency).",
      labelNames: ["backend"],
      registers,
      collect() {
        this.reset();
        for (const q of sources.queues?.() ?? []) this.set({ backend: q.backend }, q.queued);
      },
    });
    new Gauge({
      name: "inhouse_engine_loaded_models",
      help: "Models loaded in the embedded engine.",
      registers,
      collect() {
        this.set(sources.engineModels?.().length ?? 0);
      },
    });
    new Gauge({
      name: "inhouse_engine_model_bytes",
      help: "Memory accounted to each loaded embedded model (weights share + context).",
      labelNames: ["backend", "model"],
      registers,
      collect() {
        this.reset();
        for (const m of sources.engineModels?.() ?? []) this.set({ backend: m.backend, model: m.name }, m.bytes);
      },
    });
    new Gauge({
      name: "inhouse_engine_slots",
      help: "Embedded model slots by state: active (generating) or queued (waiting for a slot).",
      labelNames: ["backend", "model", "state"],
      registers,
      collect() {
        this.reset();
        for (const m of sources.engineModels?.() ?? []) {
          this.set({ backend: m.backend, model: m.name, state: "active" }, m.active);
          this.set({ backend: m.backend, model: m.name, state: "queued" }, m.queued);
        }
      },
    });
    // Event-loop lag sampled every 100 ms: prom-client's default (10 ms) woke an idle gateway ~200 times a
    // second (strace: 975 epoll wakeups in 5 s against 100 at 100 ms) for ~1–2% of a core doing nothing.
    // A stall still shows in full on the tick it delays.
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** One finished request. O(1): cached children, no label objects built after the first sighting. */
  record(s: MetricsSample): void {
    const route = this.routeLabel(s);
    const target = s.target ?? "";
    const pair = this.pair(route, target);
    const statusKey = `${s.endpoint} ${s.status}`;
    let req = pair.requests.get(statusKey);
    if (!req) {
      req = this.requests.child({ endpoint: s.endpoint, route: pair.route, target: pair.target, status: String(s.status) });
      pair.requests.set(statusKey, req);
    }
    req.value++;
    pair.duration.observe(s.latencyMs / 1000);
    pair.promptTokens.value += s.promptTokens;
    pair.completionTokens.value += s.completionTokens;
    if (s.ttftMs !== null) {
      pair.ttft.observe(s.ttftMs / 1000);
      const genMs = s.latencyMs - s.ttftMs;
      if (s.completionTokens > 1 && genMs > 0 && !isErrorStatus(s.status)) pair.rate.observe((s.completionTokens - 1) / (genMs / 1000));
    }
    for (let i = 0; i < s.attempts.length; i++) {
      const a = s.attempts[i]!;
      const key = `${a.target} ${a.outcome}`;
      let child = this.attemptChildren.get(key);
      if (!child) {
        // Targets come from config, or from "backend/any-model" requests: past the cap they share a child.
        const capped = this.attemptChildren.size >= MAX_ATTEMPT_SERIES;
        const overflow = `${OTHER_SERIES} ${a.outcome}`;
        child = (capped && this.attemptChildren.get(overflow)) || this.attempts.child({ target: capped ? OTHER_SERIES : a.target, outcome: a.outcome });
        this.attemptChildren.set(capped ? overflow : key, child);
      }
      child.value++;
    }
    if (s.policy) {
      this.policyChild(this.policyActions, "action", s.policy.action).value++;
      for (const kind in s.policy.kinds) this.policyChild(this.policyKinds, "kind", kind).value += s.policy.kinds[kind] ?? 0;
    }
  }

  private policyChild(family: CounterFamily, label: "action" | "kind", value: string): CounterChild {
    const key = `${label} ${value}`;
    let c = this.policyChildren.get(key);
    if (!c) {
      c = family.child({ [label]: value });
      this.policyChildren.set(key, c);
    }
    return c;
  }

  private routeLabel(s: MetricsSample): string {
    if (s.errorCode === "model_not_found" || !s.route) return UNKNOWN_SERIES;
    if (this.routes.has(s.route)) return s.route;
    if (this.routes.size >= MAX_ROUTES) return OTHER_SERIES;
    this.routes.add(s.route);
    return s.route;
  }

  private pair(route: string, target: string): PairChildren {
    let key = `${route}\u0000${target}`;
    let p = this.pairs.get(key);
    if (!p && this.pairs.size >= MAX_PAIRS) {
      route = target = OTHER_SERIES;
      key = `${route}\u0000${target}`;
      p = this.pairs.get(key);
    }
    if (!p) {
      const labels = { route, target };
      p = {
        route,
        target,
        duration: this.duration.child(labels),
        ttft: this.ttft.child(labels),
        rate: this.rate.child(labels),
        promptTokens: this.tokens.child({ ...labels, type: "prompt" }),
        completionTokens: this.tokens.child({ ...labels, type: "completion" }),
        requests: new Map(),
      };
      this.pairs.set(key, p);
    }
    return p;
  }
}

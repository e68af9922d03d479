// One object the gateway wires in: the traffic stats and Prometheus metrics fed by each request record,
// the sources the scrape-time gauges read, and the admin, metrics and console routes.
import type { Config } from "../../config/index.js";
import type { Router } from "../../router/index.js";
import type { ChatModel } from "../../spec/index.js";
import { GatewayMetrics, type EngineModelStatus } from "../../telemetry/metrics.js";
import { TrafficStats } from "../../telemetry/stats.js";
import type { RouteTable } from "../app.js";
import { consoleRoutes } from "../console.js";
import type { RequestRecord } from "../../telemetry/record.js";
import type { AdminStore, PolicyTester } from "./deps.js";
import { adminRoutes } from "./index.js";

export interface ObservabilityOptions {
  config: Config;
  router: Router;
  store?: AdminStore | undefined;
  policy?: PolicyTester | undefined;
  /** Loaded embedded models (see EngineTracker). */
  engineModels?: () => readonly EngineModelStatus[];
  /** Per-backend active/queued counts behind max_concurrency, when the router exposes them. */
  queues?: () => readonly { backend: string; active: number; queued: number }[];
  consoleDir?: string;
  publicMetrics?: boolean;
}

interface ManagerLike {
  status(): readonly { name: string; bytes: number; active: number; queued: number }[];
}

/** Wraps the embedded backend factory so loaded models show in /admin/models and /metrics. */
export class EngineTracker {
  private readonly engines = new Map<string, ManagerLike>();

  wrap<A extends unknown[]>(factory: (name: string, ...rest: A) => Promise<ChatModel>): (name: string, ...rest: A) => Promise<ChatModel> {
    return async (name, ...rest) => {
      const model = await factory(name, ...rest);
      const manager = (model as { manager?: Partial<ManagerLike> }).manager;
      if (manager && typeof manager.status === "function") this.engines.set(name, manager as ManagerLike);
      return model;
    };
  }

  models(): EngineModelStatus[] {
    const out: EngineModelStatus[] = [];
    for (const [backend, manager] of this.engines) for (const m of manager.status()) out.push({ backend, name: m.name, bytes: m.bytes, active: m.active, queued: m.queued });
    return out;
  }
}

export interface Observability {
  stats: TrafficStats;
  metrics: GatewayMetrics;
  routes: RouteTable;
  /** Feed one finished request (ServerDeps.onRecord). */
  record(r: RequestRecord): void;
}

export function createObservability(o: ObservabilityOptions): Observability {
  const targets = [...new Set(Object.values(o.config.models).flatMap((a) => a.targets.map((t) => `${t.backend}/${t.model}`)))];
  const stats = new TrafficStats();
  const metrics = new GatewayMetrics({
    breakers: () => o.router.breakers.snapshot(),
    inFlight: () => {
      const known = new Set([...targets, ...o.router.breakers.snapshot().map((b) => b.target)]);
      return [...known].map((target) => ({ target, count: o.router.latency.outstanding(target) }));
    },
    ...(o.queues ? { queues: o.queues } : {}),
    ...(o.engineModels ? { engineModels: o.engineModels } : {}),
  });
  const routes: RouteTable = {
    ...adminRoutes({
      config: o.config,
      router: o.router,
      stats,
      metrics,
      ...(o.store ? { store: o.store } : {}),
      ...(o.policy ? { policy: o.policy } : {}),
      ...(o.engineModels ? { engineModels: o.engineModels } : {}),
      ...(o.publicMetrics ? { publicMetrics: true } : {}),
    }),
    ...consoleRoutes(o.consoleDir),
  };
  return {
    stats,
    metrics,
    routes,
    record(r) {
      stats.record(r);
      metrics.record(r);
    },
  };
}

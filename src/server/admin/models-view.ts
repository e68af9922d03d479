// GET /admin/models and /admin/breakers: aliases with their targets' live state, backends, the catalog and
// the embedded engine's loaded models. Read-only snapshots; nothing here touches a backend.
import { listCatalog, type CatalogModel } from "../../catalog/index.js";
import { targetKey } from "../../router/index.js";
import type { AdminDeps } from "./deps.js";
import { redactUrl } from "./redact-config.js";

function targetView(deps: AdminDeps, backend: string, model: string, weight: number) {
  const key = targetKey({ backend, model, weight });
  const handle = deps.router.backend(backend);
  const ewma = deps.router.latency.ewma(key);
  return {
    target: key,
    backend,
    model,
    weight,
    in_house: handle?.inHouse ?? null,
    breaker: deps.router.breakers.state(key),
    in_flight: deps.router.latency.outstanding(key),
    ttft_ewma_ms: ewma === undefined ? null : Math.round(ewma * 10) / 10,
  };
}

export function catalogView(m: CatalogModel) {
  const gguf = m.gguf[0];
  return {
    name: m.name,
    display_name: m.displayName,
    family: m.family,
    publisher: m.publisher,
    origin: m.origin,
    license: { id: m.license.id, name: m.license.name, commercial_use: m.license.commercialUse, url: m.license.url ?? null },
    parameters: m.parameters,
    context_length: m.contextLength,
    capabilities: m.capabilities,
    languages: m.languages,
    gguf: gguf ? { quantization: gguf.quantization, size_gb: gguf.sizeBytes ? gguf.sizeBytes / 1e9 : (gguf.approxGB ?? null) } : null,
    hosted_by: m.hostedBy.map((h) => h.vendor),
  };
}

export function modelsView(deps: AdminDeps) {
  const { config } = deps;
  const aliases = Object.entries(config.models).map(([name, a]) => ({
    name,
    strategy: a.strategy,
    retries: a.retries ?? config.router.retries,
    targets: a.targets.map((t) => targetView(deps, t.backend, t.model, t.weight)),
  }));
  const backends = Object.entries(config.backends).map(([name, backend]) => {
    const handle = deps.router.backend(name);
    // Backend configs are a union by type; read the fields that only remote backends have loosely.
    const b = backend as { type?: string; preset?: string; base_url?: string; max_concurrency?: number };
    return {
      name,
      type: b.type ?? (b.preset ? "openai" : null),
      preset: b.type === "embedded" ? null : (b.preset ?? null),
      base_url: b.type !== "embedded" && b.base_url ? redactUrl(b.base_url) : null,
      in_house: handle?.inHouse ?? null,
      models: handle?.models ?? [],
      max_concurrency: b.max_concurrency ?? null,
    };
  });
  const catalog = (deps.catalog ?? listCatalog)().map(catalogView);
  const embedded = deps.engineModels
    ? deps.engineModels().map((m) => ({ backend: m.backend, name: m.name, bytes: m.bytes, active: m.active, queued: m.queued }))
    : null;
  return { aliases, backends, catalog, embedded };
}

export function breakersView(deps: AdminDeps) {
  const cb = deps.config.router.circuit_breaker;
  return {
    threshold: cb.failures,
    cooldown_ms: cb.cooldown,
    breakers: deps.router.breakers.snapshot().map((b) => ({ ...b, retry_in_ms: deps.router.breakers.retryInMs(b.target) })),
  };
}

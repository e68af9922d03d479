// OpenTelemetry traces, exported over OTLP/HTTP (JSON) when `telemetry.otlp_endpoint` is set. The SDK is
// imported only then, so a gateway without tracing loads none of it. Spans are built from the request's
// record once it has finished (see tracing-plan.ts): nothing runs inside the router or the stream, and a
// batch processor exports in the background.
import type { Span, Tracer } from "@opentelemetry/api";
import type { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import type { BackendConfig } from "../config/index.js";
import type { TelemetryConfig } from "../config/telemetry-schema.js";
import { getPreset } from "../providers/openai-compatible/presets.js";
import { parseTraceparent, planSpans, type BackendPeer, type PlannedSpan, type TraceSample } from "./tracing-plan.js";

export interface Tracing {
  /** Emits the spans of one finished request. Never throws. */
  record(sample: TraceSample): void;
  /** Exports what is queued and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  telemetry: TelemetryConfig | undefined;
  backends: Readonly<Record<string, BackendConfig>>;
  version?: string;
  /** Told when an export fails (the collector is down); the gateway keeps serving. */
  onError?: (err: unknown) => void;
}

/** The OTLP traces URL for an endpoint: a base URL gets `/v1/traces` appended, as OTEL_EXPORTER_OTLP_ENDPOINT does. */
export function tracesUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, "");
  return trimmed.endsWith("/v1/traces") ? trimmed : `${trimmed}/v1/traces`;
}

function defaultPort(protocol: string): number {
  return protocol === "https:" ? 443 : 80;
}

/** Provider name and address of every configured backend, computed once. */
export function backendPeers(backends: Readonly<Record<string, BackendConfig>>): Map<string, BackendPeer> {
  const peers = new Map<string, BackendPeer>();
  for (const [name, b] of Object.entries(backends)) {
    if (b.type === "embedded") {
      peers.set(name, { provider: "llama.cpp", inProcess: true });
      continue;
    }
    const preset = b.preset ? getPreset(b.preset) : undefined;
    const provider = b.preset ?? (b.type === "ollama" ? "ollama" : "openai_compatible");
    const base = b.base_url ?? preset?.baseUrl;
    const peer: BackendPeer = { provider, inProcess: false };
    if (base) {
      try {
        const url = new URL(base);
        peer.address = url.hostname.replace(/^\[|\]$/g, "");
        peer.port = url.port ? Number(url.port) : defaultPort(url.protocol);
      } catch {
        // A base URL the schema accepted but URL cannot parse: leave the address out.
      }
    }
    peers.set(name, peer);
  }
  return peers;
}

/** Starts tracing, or returns undefined when no endpoint is configured (nothing is imported then). */
export async function startTracing(opts: TracingOptions): Promise<Tracing | undefined> {
  const cfg = opts.telemetry;
  if (!cfg?.otlp_endpoint) return undefined;
  const [api, sdk, otlp, resources] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const exporter = new otlp.OTLPTraceExporter({ url: tracesUrl(cfg.otlp_endpoint), headers: { ...cfg.otlp_headers }, timeoutMillis: 10_000 });
  if (opts.onError) {
    // A collector that is down fails every batch: tell once a minute, not every few seconds.
    const onError = opts.onError;
    let lastTold = -Infinity;
    const exportFn = exporter.export.bind(exporter);
    exporter.export = (spans, done) =>
      exportFn(spans, (result) => {
        if (result.error && performance.now() - lastTold > 60_000) {
          lastTold = performance.now();
          onError(result.error);
        }
        done(result);
      });
  }
  const root = cfg.sample_ratio >= 1 ? new sdk.AlwaysOnSampler() : new sdk.TraceIdRatioBasedSampler(cfg.sample_ratio);
  const provider: BasicTracerProvider = new sdk.BasicTracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": cfg.service_name, ...(opts.version ? { "service.version": opts.version } : {}) }),
    sampler: new sdk.ParentBasedSampler({ root }),
    spanProcessors: [new sdk.BatchSpanProcessor(exporter)],
  });
  const tracer: Tracer = provider.getTracer("inhouse", opts.version);
  const peers = backendPeers(opts.backends);
  const kinds = { server: api.SpanKind.SERVER, client: api.SpanKind.CLIENT, internal: api.SpanKind.INTERNAL } as const;

  const open = (p: PlannedSpan, parent: ReturnType<typeof api.context.active>): Span => {
    const span = tracer.startSpan(p.name, { kind: kinds[p.kind], startTime: p.start, attributes: p.attributes }, parent);
    for (const e of p.events ?? []) span.addEvent(e.name, e.attributes, e.time);
    if (p.error) span.setStatus({ code: api.SpanStatusCode.ERROR });
    return span;
  };

  return {
    record(sample) {
      try {
        const end = performance.timeOrigin + performance.now();
        const [request, ...attempts] = planSpans(sample, end, peers);
        if (!request) return;
        const remote = parseTraceparent(sample.traceparent);
        const parent = remote
          ? api.trace.setSpanContext(api.ROOT_CONTEXT, {
              traceId: remote.traceId,
              spanId: remote.spanId,
              traceFlags: remote.sampled ? api.TraceFlags.SAMPLED : api.TraceFlags.NONE,
              isRemote: true,
            })
          : api.ROOT_CONTEXT;
        const span = open(request, parent);
        if (span.isRecording()) {
          const inside = api.trace.setSpan(parent, span);
          for (const a of attempts) open(a, inside).end(a.end);
        }
        span.end(request.end);
      } catch (err) {
        opts.onError?.(err);
      }
    },
    shutdown: () => provider.shutdown(),
  };
}

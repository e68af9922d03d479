// Config for traces: where to send OpenTelemetry spans (OTLP over HTTP, JSON) and how many. Tracing is off
// unless `otlp_endpoint` is set; composed into the main config schema (schema.ts) by its owner.
import { z } from "zod";

/** A ratio may arrive as a string after `${ENV}` interpolation. */
const ratio = z.union([z.number(), z.string().regex(/^\d*\.?\d+$/, "expected a number between 0 and 1").transform(Number)]).pipe(z.number().min(0).max(1));

export const telemetrySchema = z.strictObject({
  /**
   * OTLP/HTTP collector base URL, e.g. http://otel-collector:4318 (spans go to `/v1/traces` under it; a URL
   * that already ends in /v1/traces is used as is). Unset: no tracing, and the OpenTelemetry SDK is never loaded.
   */
  otlp_endpoint: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL like http://otel-collector:4318" }).optional(),
  /** Headers sent with every export (e.g. a hosted collector's API key). Never logged. */
  otlp_headers: z.record(z.string(), z.string()).optional(),
  /** `service.name` of the resource. */
  service_name: z.string().min(1).default("inhouse"),
  /** Share of new traces kept (0..1). A caller's sampled `traceparent` flag is always followed. */
  sample_ratio: ratio.default(1),
});

export type TelemetryConfig = z.output<typeof telemetrySchema>;

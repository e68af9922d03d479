// The admin API (admin key only): models, config, stats, breakers, keys, usage, audit, policy tester,
// eval reports; and GET /metrics. Plugged into the server through ServerDeps.extraRoutes.
import { GatewayError } from "../../errors/index.js";
import { TrafficStats } from "../../telemetry/stats.js";
import type { RouteTable } from "../app.js";
import { sendJson } from "../http.js";
import type { AdminDeps } from "./deps.js";
import { evalRoutes } from "./eval-routes.js";
import { adminOnly, queryOf, requireAdmin } from "./guard.js";
import { breakersView, modelsView } from "./models-view.js";
import { redactConfig } from "./redact-config.js";
import { pullRoutes } from "./pull-route.js";
import { storeRoutes } from "./store-routes.js";
import { durationParam } from "./time-param.js";

export type { AdminDeps, AdminStore, PolicyTester } from "./deps.js";
export type { PolicyTestFinding, PolicyTestResult } from "./policy-types.js";
export { redactConfig, redactUrl } from "./redact-config.js";

const MAX_POLICY_TEXT = 100_000;

export function adminRoutes(deps: AdminDeps): RouteTable {
  return {
    "GET /admin/models": adminOnly((ctx) => sendJson(ctx.res, 200, modelsView(deps))),
    "GET /admin/breakers": adminOnly((ctx) => sendJson(ctx.res, 200, breakersView(deps))),
    "GET /admin/config": adminOnly((ctx) => sendJson(ctx.res, 200, redactConfig(deps.config))),
    "GET /admin/stats": adminOnly((ctx) => {
      const window = durationParam(queryOf(ctx).get("window"), "window", 15 * 60_000);
      if (window > TrafficStats.maxWindowMs) {
        throw new GatewayError("invalid_request", `window may be at most ${TrafficStats.maxWindowMs / 60_000}m (the gateway keeps one hour in memory).`, { param: "window" });
      }
      sendJson(ctx.res, 200, deps.stats.series(window));
    }),
    "POST /admin/policy/test": adminOnly(async (ctx) => {
      const body = (await ctx.json()) as { text?: unknown } | null;
      const text = body?.text;
      if (typeof text !== "string") throw new GatewayError("invalid_request", 'Send {"text": "..."} with the text to test.', { param: "text" });
      if (text.length > MAX_POLICY_TEXT) throw new GatewayError("invalid_request", `text may be at most ${MAX_POLICY_TEXT} characters.`, { param: "text" });
      if (!deps.policy) throw new GatewayError("not_found", "The policy engine is not available in this gateway.");
      sendJson(ctx.res, 200, await deps.policy.test(text));
    }),
    ...pullRoutes(deps),
    ...storeRoutes(deps),
    ...evalRoutes(deps),
    "GET /metrics": async (ctx) => {
      if (!deps.publicMetrics) await requireAdmin(ctx);
      if (!deps.metrics) throw new GatewayError("not_found", "Metrics are not enabled in this gateway.");
      const text = await deps.metrics.text();
      ctx.res.writeHead(200, { "content-type": deps.metrics.contentType, "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
      ctx.res.end(text);
    },
  };
}

// Wires config -> backends -> router -> auth -> server dependencies. The one place that knows every layer.
import type { Config } from "../config/index.js";
import { createBackends, type EmbeddedFactory } from "../providers/registry.js";
import { Router } from "../router/index.js";
import { Auth, mayUse, type Principal } from "../server/auth.js";
import type { ServerDeps } from "../server/app.js";
import type { Logger } from "../telemetry/logger.js";

export interface Gateway {
  deps: ServerDeps;
  router: Router;
  close(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  adminKey: string;
  log: Logger;
  embedded?: EmbeddedFactory;
}

export function buildGateway({ config, adminKey, log, embedded }: GatewayOptions): Gateway {
  const backends = createBackends(config, embedded);
  const router = new Router(config, backends.handles, {
    breaker: (t) => log.warn({ target: t.target, from: t.from, to: t.to, failures: t.failures }, "circuit breaker transition"),
  });
  const auth = new Auth(adminKey);

  const listModels = (principal: Principal) => {
    const out: { id: string; owned_by: string }[] = [];
    for (const alias of Object.keys(config.models)) out.push({ id: alias, owned_by: "inhouse" });
    for (const b of backends.handles.values()) {
      for (const m of b.models) out.push({ id: `${b.name}/${m}`, owned_by: b.name });
    }
    return out.filter((m) => mayUse(principal, m.id));
  };

  const deps: ServerDeps = {
    config,
    auth,
    router,
    log,
    listModels,
    onRecord: (r) => {
      if (r.status >= 500 || log.isLevelEnabled("debug")) {
        log[r.status >= 500 ? "warn" : "debug"](
          { requestId: r.requestId, route: r.route, target: r.target, status: r.status, error: r.errorCode, attempts: r.attempts, latencyMs: Math.round(r.latencyMs) },
          "request",
        );
      }
    },
  };
  return { deps, router, close: () => backends.close() };
}

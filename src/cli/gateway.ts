// Wires config -> store, limits -> backends -> router -> auth -> server dependencies. The one place that
// knows every layer.
import { ConfigError, type Config } from "../config/index.js";
import { createPolicyEngine, MemoryVault } from "../policy/index.js";
import type { PolicyContext } from "../server/policy-guard.js";
import { GatewayError } from "../errors/index.js";
import { createLimiter, type Limiter } from "../limits/index.js";
import { createBackends, type EmbeddedFactory } from "../providers/registry.js";
import { Router } from "../router/index.js";
import { AuthFailures } from "../server/auth-failures.js";
import { Auth, mayUse, type Principal } from "../server/auth.js";
import type { ServerDeps } from "../server/app.js";
import type { RequestRecord } from "../telemetry/record.js";
import { openStore, type KeyRecord, type Store } from "../store/index.js";
import { RedisVault } from "../store/redis-vault.js";
import type { Logger } from "../telemetry/logger.js";
import { startTracing } from "../telemetry/tracing.js";
import { createObservability, EngineTracker } from "../server/admin/observability.js";
import { policyTester } from "../server/admin/policy-tester.js";

export interface Gateway {
  deps: ServerDeps;
  router: Router;
  store: Store;
  limiter: Limiter;
  close(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  adminKey: string;
  log: Logger;
  embedded?: EmbeddedFactory;
  /** Postgres schema to use (tests isolate themselves with one). */
  schema?: string;
}

function principalOf(k: KeyRecord): Principal {
  return { id: k.id, name: k.name, admin: false, models: k.models, inHouseOnly: k.in_house_only, record: k };
}

const hasLimits = (k: KeyRecord) => k.rpm !== null || k.tpm !== null || k.max_concurrent !== null || k.budget_tokens !== null;

export async function buildGateway({ config, adminKey, log, embedded, schema }: GatewayOptions): Promise<Gateway> {
  const store = await openStore({
    database: config.database,
    dataDir: config.data_dir,
    usage: { flushIntervalMs: config.usage.flush_interval, batchSize: config.usage.batch_size },
    ...(schema ? { schema } : {}),
  });
  let limiter: Limiter;
  try {
    limiter = await createLimiter({ redis: config.redis, onBackendError: config.limits.on_redis_error, seedBudget: (keyId, since) => store.tokensUsed(keyId, since) });
  } catch (err) {
    await store.close();
    throw err;
  }
  const engines = new EngineTracker();
  const backends = createBackends(config, embedded && engines.wrap(embedded));
  // by_language aliases with from_eval: the eval report's best model per language becomes their table.
  const languageTables = new Map<string, Record<string, string>>();
  for (const [alias, cfg] of Object.entries(config.models)) {
    if (cfg.strategy === "by_language" && cfg.from_eval && !cfg.by_language) {
      const { byLanguageTableFromEval } = await import("../eval/from-eval.js");
      languageTables.set(alias, await byLanguageTableFromEval(cfg.from_eval, config.data_dir));
    }
  }
  const router = new Router(config, backends.handles, {
    languageTables,
    breaker: (t) => log.warn({ target: t.target, from: t.from, to: t.to, failures: t.failures }, "circuit breaker transition"),
  });
  let policy: PolicyContext;
  try {
    const engine = createPolicyEngine(config.policy);
    // Many replicas share one vault in Redis (encrypted with a key derived from the shared admin key).
    const vault = config.redis ? await RedisVault.connect({ url: config.redis, secret: adminKey }) : new MemoryVault({ maxConversations: config.policy.vault.max_conversations });
    policy = { engine, vault };
  } catch (err) {
    if (!(err instanceof Error) || /ECONNREFUSED|ETIMEDOUT|ENOTFOUND/.test(err.message)) throw err;
    throw new ConfigError(`${config.file ?? "the built-in defaults"}: ${(err as Error).message}`);
  }
  const observe = createObservability({ config, router, store, engineModels: () => engines.models(), policy: policyTester(policy.engine), queues: () => router.queues() });
  const tracing = await startTracing({ telemetry: config.telemetry, backends: config.backends, onError: (err) => log.warn({ err }, "trace export failed") });
  const auth = new Auth(
    adminKey,
    {
      find: async (secret) => {
        const found = await store.findKeyBySecret(secret);
        return found.ok ? principalOf(found.key) : null;
      },
    },
    new AuthFailures({ limit: config.server.auth_failures_per_minute }),
  );
  void store.audit
    .append({ actor: "system", action: "config.load", subject: config.file ?? "defaults", details: { backends: Object.keys(config.backends), aliases: Object.keys(config.models) } })
    .catch((err: unknown) => log.error({ err }, "audit append failed"));

  const listModels = (principal: Principal) => {
    const out: { id: string; owned_by: string }[] = [];
    for (const alias of Object.keys(config.models)) out.push({ id: alias, owned_by: "inhouse" });
    for (const b of backends.handles.values()) {
      for (const m of b.models) out.push({ id: `${b.name}/${m}`, owned_by: b.name });
    }
    return out.filter((m) => mayUse(principal, m.id));
  };

  const admit: ServerDeps["admit"] = async (principal, estimatedTokens) => {
    const key = principal.record as KeyRecord | undefined;
    if (!key || !hasLimits(key)) return undefined;
    const admission = await limiter.admit({ keyId: key.id, limits: key, estimatedTokens });
    if (!admission.ok) {
      throw new GatewayError(admission.code, admission.message, admission.retryAfterSeconds === undefined ? {} : { retryAfter: admission.retryAfterSeconds });
    }
    return (actual) => void admission.lease.release(actual);
  };

  const onRecord = (r: RequestRecord) => {
    observe.record(r);
    tracing?.record(r);
    const slash = r.target?.indexOf("/") ?? -1;
    if (config.usage.enabled)
      store.usage.record({
      time: r.time,
      request_id: r.requestId,
      key_id: r.keyId,
      alias: r.route || null,
      backend: r.target && slash > 0 ? r.target.slice(0, slash) : null,
      model: r.target && slash > 0 ? r.target.slice(slash + 1) : null,
      prompt_tokens: r.promptTokens,
      completion_tokens: r.completionTokens,
      latency_ms: Math.round(r.latencyMs),
      ttft_ms: r.ttftMs === null ? null : Math.round(r.ttftMs),
      status: r.status,
      policy_action: r.policy?.action ?? null,
      attempts: r.attempts.length,
      language: r.language ?? null,
    });
    // Policy events reach the audit log: what was found (counts per kind) and what was done, never values.
    if (r.policy && r.policy.action !== "allow" && r.policy.action !== "none") {
      void store.audit
        .append({ actor: r.keyId, action: `policy.${r.policy.action}`, subject: r.route, details: { request_id: r.requestId, target: r.target, kinds: r.policy.kinds } })
        .catch((err: unknown) => log.error({ err }, "audit append failed"));
    }
    if (r.status >= 500 || log.isLevelEnabled("debug")) {
      log[r.status >= 500 ? "warn" : "debug"](
        { requestId: r.requestId, route: r.route, target: r.target, status: r.status, error: r.errorCode, attempts: r.attempts, latencyMs: Math.round(r.latencyMs) },
        "request",
      );
    }
  };

  const deps: ServerDeps = { config, auth, router, log, listModels, admit, onRecord, policy, extraRoutes: observe.routes };
  // Retention: prune old usage and audit rows in bounded batches, soon after start and then hourly.
  const prune = () =>
    store
      .prune({ usageDays: config.retention.usage_days, auditDays: config.retention.audit_days })
      .then((r) => (r.usageDeleted || r.auditDeleted) && log.info(r, "pruned old usage and audit rows"))
      .catch((err: unknown) => log.error({ err }, "pruning failed"));
  const firstPrune = setTimeout(prune, 60_000);
  const pruneTimer = setInterval(prune, 3_600_000);
  firstPrune.unref();
  pruneTimer.unref();
  return {
    deps,
    router,
    store,
    limiter,
    close: async () => {
      await tracing?.shutdown();
      clearTimeout(firstPrune);
      clearInterval(pruneTimer);
      await backends.close();
      await limiter.close();
      if (policy.vault instanceof RedisVault) await policy.vault.close();
      await store.close();
    },
  };
}

// What the admin API reads from: the gateway's parts, each optional where it may not be there (no store,
// no policy engine, no embedded backend), so the API answers what it can and says what is missing.
import type { CatalogModel } from "../../catalog/index.js";
import type { Config } from "../../config/index.js";
import type { Router } from "../../router/index.js";
import type { Store } from "../../store/index.js";
import type { EngineModelStatus, GatewayMetrics } from "../../telemetry/metrics.js";
import type { TrafficStats } from "../../telemetry/stats.js";
import type { PolicyTestResult } from "./policy-types.js";

export type AdminStore = Pick<Store, "createKey" | "listKeys" | "getKey" | "revokeKey" | "usageSummary" | "audit">;

export interface PolicyTester {
  test(text: string): PolicyTestResult | Promise<PolicyTestResult>;
}

export interface AdminDeps {
  config: Config;
  router: Router;
  stats: TrafficStats;
  metrics?: GatewayMetrics;
  store?: AdminStore;
  policy?: PolicyTester;
  engineModels?: () => readonly EngineModelStatus[];
  /** Defaults to the built-in catalog. */
  catalog?: () => readonly CatalogModel[];
  /** Where `inhouse eval` writes reports (default DATA_DIR/reports). */
  evalReportsDir?: string;
  /** Hugging Face base URL for pulls (default: env INHOUSE_HF_ENDPOINT, then huggingface.co). */
  hfEndpoint?: string;
  /** GET /metrics without a key (for scrapers on a trusted network); default false: the admin key is required. */
  publicMetrics?: boolean;
}

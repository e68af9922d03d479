// load(file, env, overrides) -> a frozen, validated Config. Every error names the key, the file and the fix.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { InterpolationError, interpolate, protect } from "./interpolate.js";
import { configSchema } from "./schema.js";
import type { AliasConfig, Config, Target } from "./types.js";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface Overrides {
  host?: string;
  port?: number | string;
  dataDir?: string;
}

export interface LoadOptions {
  /** Explicit config path (flag or INHOUSE_CONFIG); otherwise ./inhouse.yaml when present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Overrides;
  cwd?: string;
}

const DEFAULT_FILES = ["inhouse.yaml", "inhouse.yml", "inhouse.json"];

function findFile(opts: LoadOptions, env: NodeJS.ProcessEnv): string | null {
  const cwd = opts.cwd ?? process.cwd();
  const explicit = opts.file ?? env.INHOUSE_CONFIG;
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`config file ${path} does not exist (from ${opts.file ? "--config" : "INHOUSE_CONFIG"})`);
    return path;
  }
  for (const name of DEFAULT_FILES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return null;
}

function readFile(path: string): { doc: unknown; expressions: string[] } {
  const { text, expressions } = protect(readFileSync(path, "utf8"));
  try {
    const doc: unknown = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
    return { doc: doc ?? {}, expressions };
  } catch (err) {
    throw new ConfigError(`${path}: not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(err as Error).message}`);
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".") || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue, where: string): string {
  if (issue.code === "unrecognized_keys") {
    const at = issue.path.length ? ` in ${pathOf(issue.path)}` : "";
    return `${where}: unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}${at}; remove it or check its spelling`;
  }
  return `${where}: ${pathOf(issue.path)}: ${issue.message}`;
}

function normalizeTargets(alias: string, targets: (string | { backend: string; model: string; weight?: number })[], backends: Record<string, unknown>, where: string): Target[] {
  return targets.map((t) => {
    const target =
      typeof t === "string"
        ? { backend: t.slice(0, t.indexOf("/")), model: t.slice(t.indexOf("/") + 1), weight: 1 }
        : { backend: t.backend, model: t.model, weight: t.weight ?? 1 };
    if (!(target.backend in backends)) {
      throw new ConfigError(
        `${where}: models.${alias}.targets: backend "${target.backend}" is not defined; add it under backends: or fix the target "${target.backend}/${target.model}"`,
      );
    }
    return target;
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const file = findFile(opts, env);
  const where = file ?? "the built-in defaults";
  const { doc: raw, expressions } = file ? readFile(file) : { doc: {}, expressions: [] };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(`${where}: the top level must be a mapping of keys (server, backends, models, ...)`);
  }

  let doc: Record<string, unknown>;
  try {
    doc = interpolate(raw, env, expressions) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof InterpolationError) {
      throw new ConfigError(
        `${where}: ${err.path}: the environment variable ${err.variable} is not set; set it, or write \${${err.variable}:-default} to give a default`,
      );
    }
    throw err;
  }

  // Environment and flags override the file (flags win).
  const server = { ...((doc.server as Record<string, unknown> | undefined) ?? {}) };
  if (env.INHOUSE_PORT) server.port = env.INHOUSE_PORT;
  if (opts.overrides?.host !== undefined) server.host = opts.overrides.host;
  if (opts.overrides?.port !== undefined) server.port = opts.overrides.port;
  doc.server = server;
  if (env.INHOUSE_DATA_DIR) doc.data_dir = env.INHOUSE_DATA_DIR;
  if (opts.overrides?.dataDir !== undefined) doc.data_dir = opts.overrides.dataDir;
  if (env.INHOUSE_ADMIN_KEY) doc.admin_key = env.INHOUSE_ADMIN_KEY;

  const parsed = configSchema.safeParse(doc);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => describeIssue(i, where)).join("\n"));
  }
  const cfg = parsed.data;
  const backends = cfg.backends;
  const models: Record<string, AliasConfig> = {};
  for (const [name, alias] of Object.entries(cfg.models)) {
    if (name.includes("/")) throw new ConfigError(`${where}: models.${name}: alias names cannot contain "/" (it separates backend/model)`);
    if (alias.strategy === "by_language" && !alias.by_language && !alias.from_eval) {
      throw new ConfigError(`${where}: models.${name}: strategy by_language needs a by_language table ({ zh: target, ja: ..., default: ... }) or from_eval: <eval report path>`);
    }
    models[name] = { ...alias, targets: normalizeTargets(name, alias.targets, backends, where) };
  }
  const dataDir = resolve(opts.cwd ?? process.cwd(), cfg.data_dir);
  return deepFreeze({ ...cfg, data_dir: dataDir, backends, models, file });
}

// The checks of `inhouse doctor`, one function each. Every check is bounded by a timeout, never throws,
// never prints a secret (URLs are shown without their credentials), and says how to fix what it found.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { freemem, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Config, EmbeddedBackendConfig, RemoteBackendConfig } from "../../config/index.js";
import { availableCores, defaultThreads } from "../../engine/threads.js";
import { getPreset } from "../../providers/openai-compatible/presets.js";

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

const GiB = 1024 ** 3;
const MIN_NODE: readonly [number, number] = [20, 19];

export const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

/** A URL for display: no user, no password, no query (tokens travel there). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(unparsable URL)";
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function checkNode(version: string = process.versions.node): CheckResult {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? { name: "node", status: "ok", detail: `v${version} (needs ≥ ${MIN_NODE.join(".")})` }
    : { name: "node", status: "fail", detail: `v${version} is older than ${MIN_NODE.join(".")}`, fix: "install Node.js 20.19 or newer (e.g. from nodejs.org or NodeSource)" };
}

export const embeddedBackends = (config: Config) =>
  Object.entries(config.backends).filter((e): e is [string, EmbeddedBackendConfig] => e[1].type === "embedded");

/** The closest existing directory at or above `dir` (the data dir may not exist before the first start). */
function existingAncestor(dir: string): string {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

export function checkDataDir(config: Config): CheckResult[] {
  const dir = config.data_dir;
  const base = existingAncestor(dir);
  const out: CheckResult[] = [];
  try {
    accessSync(base, constants.W_OK);
    if (existsSync(dir)) rmSync(mkdtempSync(join(dir, ".doctor-")), { recursive: true });
    out.push({ name: "data dir", status: "ok", detail: existsSync(dir) ? `${dir} is writable` : `${dir} will be created (in writable ${base})` });
  } catch (err) {
    out.push({ name: "data dir", status: "fail", detail: `${dir} is not writable: ${messageOf(err)}`, fix: "give the user running inhouse write access, or choose another with --data-dir (env INHOUSE_DATA_DIR)" });
  }
  try {
    const fs = statfsSync(base);
    const free = fs.bavail * fs.bsize;
    const needsModels = embeddedBackends(config).length > 0;
    if (free < 100 * 1024 ** 2) {
      out.push({ name: "disk", status: "fail", detail: `${gib(free)} free at ${base}`, fix: "free disk space: the database and logs need room to grow" });
    } else if (needsModels && free < 5 * GiB) {
      out.push({ name: "disk", status: "warn", detail: `${gib(free)} free at ${base}`, fix: "embedded models take 0.5–20 GiB each: free space or point --data-dir at a larger disk" });
    } else {
      out.push({ name: "disk", status: "ok", detail: `${gib(free)} free at ${base}` });
    }
  } catch (err) {
    out.push({ name: "disk", status: "warn", detail: `could not read free space at ${base}: ${messageOf(err)}` });
  }
  return out;
}

export function checkMemory(config: Config): CheckResult {
  const total = totalmem();
  const free = freemem();
  const detail = `${gib(free)} available of ${gib(total)}`;
  if (embeddedBackends(config).length > 0 && free < 1 * GiB) {
    return { name: "memory", status: "warn", detail, fix: "embedded models need their file size plus the KV cache in RAM: free memory, or use smaller models or remote backends" };
  }
  return { name: "memory", status: "ok", detail };
}

export function checkCpu(config: Config): CheckResult {
  const cores = availableCores();
  const embedded = embeddedBackends(config);
  if (embedded.length === 0) return { name: "cpu", status: "ok", detail: `${cores} cores available` };
  const threads = embedded.map(([name, b]) => ({ name, threads: b.threads ?? defaultThreads(cores) }));
  const detail = `${cores} cores available; engine threads: ${threads.map((t) => `${t.name}=${t.threads}`).join(", ")}`;
  const over = threads.filter((t) => t.threads >= cores && cores > 1);
  if (over.length > 0) {
    return { name: "cpu", status: "warn", detail, fix: `llama.cpp threads spin-wait when they take every core: set threads to ${defaultThreads(cores)} (or leave it unset) for ${over.map((t) => t.name).join(", ")}` };
  }
  return { name: "cpu", status: "ok", detail };
}

/** Loads node-llama-cpp's binary in a child process (it may crash or hang; the doctor must not). */
export async function checkEngine(config: Config, timeoutMs = 60_000): Promise<CheckResult> {
  const required = embeddedBackends(config).length > 0;
  let entry: string;
  try {
    entry = import.meta.resolve("node-llama-cpp");
  } catch (err) {
    return { name: "engine", status: required ? "fail" : "skip", detail: `node-llama-cpp is not installed: ${messageOf(err)}`, fix: "run npm ci (without --omit=optional: the CPU binary is an optional package)" };
  }
  if (!required) return { name: "engine", status: "skip", detail: "no embedded backend configured" };
  const script = `
const { getLlama, LlamaLogLevel } = await import(process.argv[2]);
const cpu = await getLlama({ build: "never", gpu: false, skipDownload: true, logLevel: LlamaLogLevel.error });
console.log(JSON.stringify({ cpu: cpu.buildType }));
await cpu.dispose();
const any = await getLlama({ build: "never", gpu: "auto", skipDownload: true, logLevel: LlamaLogLevel.error }).catch(() => null);
console.log(JSON.stringify({ gpu: any ? any.gpu : false }));
process.exit(0);`;
  // A file, not `node -e`: node-llama-cpp tests its binary in a child started with this process's execArgv.
  const dir = mkdtempSync(join(tmpdir(), "inhouse-doctor-"));
  const file = join(dir, "probe.mjs");
  writeFileSync(file, script);
  const lines = await runChild([file, entry], timeoutMs).finally(() => rmSync(dir, { recursive: true, force: true }));
  const cpu = lines.output.find((l) => "cpu" in l) as { cpu?: string } | undefined;
  const gpu = lines.output.find((l) => "gpu" in l) as { gpu?: string | false } | undefined;
  if (!cpu) {
    const why = lines.timedOut ? `did not load within ${timeoutMs / 1000} s` : `failed to load: ${lines.stderr.trim().split("\n").slice(-2).join(" ") || `exit ${lines.code}`}`;
    return { name: "engine", status: "fail", detail: `llama.cpp binary ${why}`, fix: "reinstall with npm ci (keep optional packages: @node-llama-cpp/linux-x64 holds the CPU binary); on an unusual CPU or libc, build it with npx --no node-llama-cpp source download" };
  }
  const gpuText = gpu === undefined ? "GPU probe did not finish" : gpu.gpu ? `GPU: ${gpu.gpu}` : "GPU: none (CPU only)";
  // "prebuilt" (node-llama-cpp's package) or "localBuild" (`source download`, built for this machine).
  return { name: "engine", status: "ok", detail: `llama.cpp CPU binary loads (${String(cpu.cpu)}); ${gpuText}` };
}

interface ChildOutcome {
  output: Record<string, unknown>[];
  stderr: string;
  code: number | null;
  timedOut: boolean;
}

function runChild(args: string[], timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" } });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const output: Record<string, unknown>[] = [];
      for (const line of stdout.split("\n")) {
        try {
          const v: unknown = JSON.parse(line);
          if (v && typeof v === "object") output.push(v as Record<string, unknown>);
        } catch {
          // llama.cpp may print to stdout too
        }
      }
      done({ output, stderr, code, timedOut });
    });
  });
}

export async function checkPort(config: Config, timeoutMs = 2000): Promise<CheckResult> {
  const { host, port } = config.server;
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (port === 0) return { name: "port", status: "skip", detail: "port 0: the system picks a free one" };
  const error = await new Promise<NodeJS.ErrnoException | null>((done) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => done(err));
    server.listen({ host, port, exclusive: true }, () => server.close(() => done(null)));
  });
  if (!error) return { name: "port", status: "ok", detail: `${where} is free` };
  if (error.code === "EADDRINUSE") {
    const healthz = await fetch(`http://${where}/healthz`, { signal: AbortSignal.timeout(timeoutMs) })
      .then(async (r) => r.ok && ((await r.json()) as { status?: string }).status === "ok")
      .catch(() => false);
    if (healthz) return { name: "port", status: "warn", detail: `${where} is taken by a running gateway (it answers /healthz)`, fix: "stop it before starting another here, or use --port (env INHOUSE_PORT)" };
    return { name: "port", status: "fail", detail: `${where} is in use by another program`, fix: "stop that program, or choose another port with --port (env INHOUSE_PORT)" };
  }
  if (error.code === "EADDRNOTAVAIL") return { name: "port", status: "fail", detail: `${host} is not an address of this machine`, fix: "set server.host (or --host) to 127.0.0.1, 0.0.0.0 or one of this machine's addresses" };
  if (error.code === "EACCES") return { name: "port", status: "fail", detail: `no permission to listen on ${where}`, fix: "ports below 1024 need privileges: use a port like 8484 behind your load balancer" };
  return { name: "port", status: "fail", detail: `cannot listen on ${where}: ${error.message}`, fix: "check server.host and server.port" };
}

export async function checkDatabase(config: Config, timeoutMs = 3000): Promise<CheckResult> {
  const db = config.database;
  if (/^postgres(ql)?:\/\//.test(db)) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: db, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    client.on("error", () => undefined);
    try {
      await client.connect();
      const r = await client.query<{ v: string }>("select current_setting('server_version') as v");
      return { name: "database", status: "ok", detail: `Postgres ${r.rows[0]?.v ?? "?"} at ${safeUrl(db)}` };
    } catch (err) {
      return {
        name: "database",
        status: "fail",
        detail: `cannot reach Postgres at ${safeUrl(db)}: ${messageOf(err).replaceAll(db, "(url)")}`,
        fix: "check the database URL (host, port, user, password, database name) and that Postgres accepts connections from this machine",
      };
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const path = db === "sqlite" ? join(config.data_dir, "inhouse.db") : resolve(db.slice("sqlite:".length));
  if (!existsSync(path)) {
    try {
      accessSync(existingAncestor(dirname(path)), constants.W_OK);
      return { name: "database", status: "ok", detail: `SQLite ${path} will be created at first start` };
    } catch {
      return { name: "database", status: "fail", detail: `cannot create SQLite file ${path}`, fix: "make its directory writable, or set database: to another path" };
    }
  }
  const { default: SQLite } = await import("better-sqlite3");
  try {
    const conn = new SQLite(path, { fileMustExist: true, timeout: timeoutMs });
    try {
      // A write lock proves the file is writable and not held by a stuck process.
      conn.exec("BEGIN IMMEDIATE; ROLLBACK;");
    } finally {
      conn.close();
    }
    return { name: "database", status: "ok", detail: `SQLite ${path} is writable` };
  } catch (err) {
    return { name: "database", status: "fail", detail: `SQLite ${path}: ${messageOf(err)}`, fix: "check the file's permissions and that no other program holds a lock on it" };
  }
}

export async function checkRedis(config: Config, timeoutMs = 3000): Promise<CheckResult> {
  if (!config.redis) return { name: "redis", status: "skip", detail: "not configured (limits are per process)" };
  const { Redis } = await import("ioredis");
  const client = new Redis(config.redis, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    const info = await client.info("server");
    const version = /redis_version:(\S+)/.exec(info)?.[1];
    return { name: "redis", status: pong === "PONG" ? "ok" : "warn", detail: `${version ? `Redis ${version}` : "Redis"} at ${safeUrl(config.redis)}` };
  } catch (err) {
    return { name: "redis", status: "fail", detail: `cannot reach Redis at ${safeUrl(config.redis)}: ${messageOf(err)}`, fix: "check the redis: URL and that Redis accepts connections from this machine (or remove redis: to keep limits per process)" };
  } finally {
    client.disconnect();
  }
}

/** The base URL a remote backend is called at (as the provider registry derives it). */
export function backendBaseUrl(b: RemoteBackendConfig): string | undefined {
  const presetName = b.preset ?? (b.type === "ollama" ? "ollama" : undefined);
  const base = b.base_url ?? (presetName ? getPreset(presetName)?.baseUrl : undefined);
  if (!base) return undefined;
  return b.type === "ollama" && !/\/v1\/?$/.test(base) ? `${base.replace(/\/$/, "")}/v1` : base;
}

export async function checkBackend(name: string, b: RemoteBackendConfig, timeoutMs = 3000): Promise<CheckResult> {
  const label = `backend ${name}`;
  const base = backendBaseUrl(b);
  if (!base) return { name: label, status: "fail", detail: "no base_url", fix: `set backends.${name}.base_url or a preset` };
  const url = `${base.replace(/\/$/, "")}/models`;
  const key = b.api_key ?? (b.preset ? process.env[getPreset(b.preset)?.apiKeyEnv ?? ""] : undefined);
  const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...b.headers };
  const started = performance.now();
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    const ms = Math.round(performance.now() - started);
    const body = await res.text();
    if (res.ok) {
      let count = "";
      try {
        const data = (JSON.parse(body) as { data?: unknown[] }).data;
        if (Array.isArray(data)) count = `, ${data.length} model${data.length === 1 ? "" : "s"}`;
      } catch {
        // a server that answers /models with something else still answers
      }
      return { name: label, status: "ok", detail: `${safeUrl(url)} answered ${res.status} in ${ms} ms${count}` };
    }
    if (res.status === 401 || res.status === 403) {
      return { name: label, status: "fail", detail: `${safeUrl(url)} rejected the key (${res.status})`, fix: `set backends.${name}.api_key (or the preset's environment variable) to a valid key` };
    }
    return { name: label, status: "warn", detail: `${safeUrl(url)} answered ${res.status} in ${ms} ms`, fix: "the server is up but does not list models at /models: check base_url (it should end where /chat/completions is, e.g. …/v1)" };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : messageOf(err);
    return {
      name: label,
      status: "fail",
      detail: timedOut ? `${safeUrl(url)} did not answer within ${timeoutMs} ms` : `${safeUrl(url)} is unreachable: ${cause}`,
      fix: `check that the server runs and that backends.${name}.base_url is right and reachable from this machine`,
    };
  }
}

/** Settings that only matter once several replicas share a database: each is a warning, not a failure. */
export function checkReplicaReadiness(config: Config): CheckResult {
  if (!/^postgres(ql)?:\/\//.test(config.database)) return { name: "replicas", status: "skip", detail: "SQLite: one gateway process per data dir" };
  const missing: string[] = [];
  if (!config.admin_key) missing.push("no admin key is configured, so each replica would generate its own: set INHOUSE_ADMIN_KEY (the same on every replica)");
  if (!config.redis) missing.push("no redis: rate limits, concurrency and budgets would be enforced per replica (N replicas allow N times a key's limits)");
  return missing.length
    ? { name: "replicas", status: "warn", detail: "Postgres is shared, but not everything is", fix: missing.join("; ") }
    : { name: "replicas", status: "ok", detail: "Postgres, Redis and one admin key: ready for several replicas" };
}

/** Sends an empty OTLP export (valid, zero spans) to the configured collector. Traces are optional: a warning at most. */
export async function checkTraces(config: Config, timeoutMs = 3000): Promise<CheckResult> {
  const t = config.telemetry;
  if (!t?.otlp_endpoint) return { name: "traces", status: "skip", detail: "telemetry.otlp_endpoint not set" };
  const url = `${t.otlp_endpoint.replace(/\/+$/, "").replace(/\/v1\/traces$/, "")}/v1/traces`;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...t.otlp_headers },
      body: JSON.stringify({ resourceSpans: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    if (res.ok) return { name: "traces", status: "ok", detail: `${safeUrl(url)} accepts OTLP/HTTP JSON (${res.status})` };
    return { name: "traces", status: "warn", detail: `${safeUrl(url)} answered ${res.status}`, fix: "check telemetry.otlp_endpoint (the collector's OTLP/HTTP port, usually 4318) and otlp_headers" };
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : messageOf(err);
    return { name: "traces", status: "warn", detail: `${safeUrl(url)} is unreachable: ${cause}`, fix: "start the collector or fix telemetry.otlp_endpoint; the gateway serves anyway and drops spans" };
  }
}

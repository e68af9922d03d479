// @ts-check
// What the bench measures: the upstream alone ("direct") and each gateway in front of it. A subject says how
// to start its process and how a client must call it; everything else is the same for every subject.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CANNED_MODEL } from "./canned.js";

/**
 * @typedef {{ argv: string[], env?: Record<string, string> }} Launch
 * @typedef {{
 *   name: string,
 *   describe: string,
 *   model: string,
 *   headers: Record<string, string>,
 *   launch: ((o: { port: number, upstream: string, dir: string, inhouseRoot: string, usageFlushMs?: number }) => Launch) | null,
 *   unavailable?: () => string | null,
 * }} Subject
 */

/** The repository root (bench/gateway-overhead/../..). */
export const ROOT = new URL("../..", import.meta.url).pathname;

const JSON_HEADERS = { "content-type": "application/json" };
export const INHOUSE_KEY = "ih-bench-admin-key-0123456789abcdef";

/** @param {"http" | "fetch" | "undici"} client @param {string} describe @returns {Subject} */
function minimal(client, describe) {
  return {
    name: `minimal-${client}`,
    describe,
    model: CANNED_MODEL,
    headers: JSON_HEADERS,
    launch: ({ port, upstream }) => ({
      argv: [process.execPath, join(ROOT, "bench/gateway-overhead/minimal-proxy.js"), "--client", client, "--port", String(port), "--upstream", upstream],
    }),
  };
}

/** @param {string} model @param {string} name @param {string} describe @returns {Subject} */
function inhouse(model, name, describe) {
  return {
    name,
    describe,
    model,
    headers: { ...JSON_HEADERS, authorization: `Bearer ${INHOUSE_KEY}` },
    launch: ({ port, upstream, dir, inhouseRoot }) => {
      const config = join(dir, "inhouse.yaml");
      writeFileSync(config, inhouseConfig(upstream));
      return {
        // Started the way `npm start` starts it (package.json), V8 flags included.
        argv: [process.execPath, ...START_FLAGS, join(inhouseRoot, "bin/inhouse.js"), "serve", "--config", config, "--port", String(port), "--data-dir", dir],
        env: { INHOUSE_ADMIN_KEY: INHOUSE_KEY },
      };
    },
    unavailable: () => (existsSync(join(ROOT, "dist/cli/main.js")) ? null : "dist/cli/main.js missing (run `npm run build`)"),
  };
}

/**
 * A copy of the built gateway (dist/, bin/, package.json; node_modules and console linked) so that every
 * repeat measures the same code even when others rebuild dist/ in the shared tree during the run.
 * @param {string} dir
 * @returns {string} the snapshot's root
 */
export function snapshotInhouse(dir) {
  mkdirSync(dir, { recursive: true });
  for (const part of ["dist", "bin", "package.json"]) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  for (const part of ["node_modules", "console"]) if (existsSync(join(ROOT, part))) symlinkSync(join(ROOT, part), join(dir, part));
  return dir;
}

/** @param {string} upstream e.g. http://127.0.0.1:8500 */
export function inhouseConfig(upstream) {
  return `# Written by bench/gateway-overhead: one OpenAI-compatible backend (the nginx upstream).
backends:
  up: { type: openai, base_url: ${upstream}/v1, api_key: x }
models:
  bench: { targets: [up/${CANNED_MODEL}] }
  bench3: { targets: [up/${CANNED_MODEL}, up/m2, up/m3], strategy: fallback }
`;
}

/**
 * Issue 6's comparison: the same gateway with keys, limits and usage logging off (admin key, `usage.enabled:
 * false`) and on (a virtual key with every limit set, usage rows written), on SQLite and on Postgres + Redis.
 * The virtual key is created with the real CLI when the subject starts; its secret becomes the client's key.
 * @param {"off" | "sqlite" | "pg-redis"} variant @param {string} name @param {string} describe @returns {Subject}
 */
function inhouseStore(variant, name, describe) {
  /** @type {Subject} */
  const subject = {
    name,
    describe,
    model: "bench",
    headers: { ...JSON_HEADERS, authorization: `Bearer ${INHOUSE_KEY}` },
    // usageFlushMs: instructions.js, where a request takes ~50x longer, sets it so that batches fill up to
    // their size (500 rows) before the timer flushes them, as they do at full speed.
    launch: ({ port, upstream, dir, inhouseRoot, usageFlushMs }) => {
      const data = join(dir, `store-${variant}`);
      mkdirSync(data, { recursive: true });
      const config = join(data, "inhouse.yaml");
      let head = "";
      if (variant === "off") head = "usage: { enabled: false }\n";
      if (variant === "pg-redis") {
        const db = `inhouse_bench_${process.pid}`;
        spawnSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c", `CREATE DATABASE ${db}`], { stdio: "ignore" });
        head = `database: postgres://postgres@127.0.0.1:5432/${db}\nredis: redis://127.0.0.1:6379\n`;
      }
      if (variant !== "off" && usageFlushMs !== undefined) head += `usage: { flush_interval: ${usageFlushMs} }\n`;
      writeFileSync(config, head + inhouseConfig(upstream));
      const bin = join(inhouseRoot, "bin/inhouse.js");
      if (variant !== "off") {
        const r = spawnSync(
          process.execPath,
          [bin, "keys", "create", "--name", "bench", "--json", "--config", config, "--data-dir", data, "--rpm", "100000000", "--tpm", "100000000000", "--max-concurrent", "100000", "--budget-tokens", "1000000000000", "--budget-period", "month"],
          { encoding: "utf8", env: { ...process.env, INHOUSE_ADMIN_KEY: INHOUSE_KEY } },
        );
        if (r.status !== 0) throw new Error(`could not create the bench key: ${r.stderr}`);
        subject.headers = { ...JSON_HEADERS, authorization: `Bearer ${JSON.parse(r.stdout).key}` };
      }
      return { argv: [process.execPath, ...START_FLAGS, bin, "serve", "--config", config, "--port", String(port), "--data-dir", data], env: { INHOUSE_ADMIN_KEY: INHOUSE_KEY } };
    },
    unavailable: () => (existsSync(join(ROOT, "dist/cli/main.js")) ? null : "dist/cli/main.js missing (run `npm run build`)"),
  };
  return subject;
}

/** The node flags of `npm start` (package.json "start"), so the bench runs inhouse as users do. */
const START_FLAGS = (/** @type {{ scripts: { start: string } }} */ (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"))).scripts.start.match(/--[\w-]+=\S+/g) ?? []);

/** @type {Subject[]} */
export const SUBJECTS = [
  { name: "direct", describe: "nginx upstream, no gateway (the baseline the added latency is measured against)", model: CANNED_MODEL, headers: JSON_HEADERS, launch: null },
  minimal("http", "minimal Node proxy, node:http server + node:http client with a keep-alive Agent (the floor)"),
  minimal("fetch", "minimal Node proxy, node:http server + global fetch"),
  minimal("undici", "minimal Node proxy, node:http server + undici Pool (request API)"),
  {
    name: "portkey",
    describe: "Portkey gateway 1.15.2 (@hono/node-server 1.14.1)",
    model: CANNED_MODEL,
    headers: { ...JSON_HEADERS, authorization: "Bearer x", "x-portkey-provider": "openai" },
    launch: ({ port }) => ({
      argv: [process.execPath, join(ROOT, "node_modules/@portkey-ai/gateway/build/start-server.js"), `--port=${port}`, "--headless"],
    }),
    unavailable: () => (existsSync(join(ROOT, "node_modules/@portkey-ai/gateway/build/start-server.js")) ? null : "@portkey-ai/gateway not installed"),
  },
  inhouse("bench", "inhouse", "inhouse, alias `bench` with one target"),
  inhouse("bench3", "inhouse-fallback3", "inhouse, alias `bench3`: 3-target fallback, first target healthy"),
  inhouseStore("off", "inhouse-store-off", "inhouse, admin key, usage logging off (issue 6's reference)"),
  inhouseStore("sqlite", "inhouse-keys-sqlite", "inhouse, virtual key with rpm/tpm/concurrency/budget, usage on SQLite"),
  inhouseStore("pg-redis", "inhouse-keys-pg-redis", "inhouse, virtual key with every limit in Redis, usage on Postgres"),
];

/**
 * Headers a client sends to the subject; Portkey also needs to know where the upstream is.
 * @param {Subject} s @param {string} upstream
 */
export function clientHeaders(s, upstream) {
  return s.name === "portkey" ? { ...s.headers, "x-portkey-custom-host": `${upstream}/v1` } : s.headers;
}

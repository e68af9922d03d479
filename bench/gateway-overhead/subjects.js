// @ts-check
// What the bench measures: the upstream alone ("direct") and each gateway in front of it. A subject says how
// to start its process and how a client must call it; everything else is the same for every subject.
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CANNED_MODEL } from "./canned.js";

/**
 * @typedef {{ argv: string[], env?: Record<string, string> }} Launch
 * @typedef {{
 *   name: string,
 *   describe: string,
 *   model: string,
 *   headers: Record<string, string>,
 *   launch: ((o: { port: number, upstream: string, dir: string, inhouseRoot: string }) => Launch) | null,
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
        argv: [process.execPath, join(inhouseRoot, "bin/inhouse.js"), "serve", "--config", config, "--port", String(port), "--data-dir", dir],
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
];

/**
 * Headers a client sends to the subject; Portkey also needs to know where the upstream is.
 * @param {Subject} s @param {string} upstream
 */
export function clientHeaders(s, upstream) {
  return s.name === "portkey" ? { ...s.headers, "x-portkey-custom-host": `${upstream}/v1` } : s.headers;
}

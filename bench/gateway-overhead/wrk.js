// @ts-check
// Closed-loop throughput with wrk (one thread, N keep-alive connections, fixed duration), and its output parsed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPinned } from "./processes.js";

/** @param {string} s */
function luaString(s) {
  return JSON.stringify(s); // a JSON string literal is a valid Lua string literal for ASCII text
}

/**
 * The Lua script that makes wrk POST the body with the headers.
 * @param {string} body @param {Record<string, string>} headers
 */
export function wrkScript(body, headers) {
  const lines = [`wrk.method = "POST"`, `wrk.body = ${luaString(body)}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  return lines.join("\n") + "\n";
}

/** @param {string} text e.g. "1.23ms", "850.00us", "2.01s" */
function durationMs(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

/**
 * @typedef {{ rps: number, requests: number, non2xx: number, socketErrors: number, p50ms: number, p99ms: number }} WrkResult
 */

/**
 * @param {string} out wrk's stdout (run with --latency)
 * @returns {WrkResult}
 */
export function parseWrk(out) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const se = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = se ? se.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const p50 = /^\s+50%\s+(\S+)/m.exec(out)?.[1];
  const p99 = /^\s+99%\s+(\S+)/m.exec(out)?.[1];
  return { rps, requests, non2xx, socketErrors, p50ms: p50 ? durationMs(p50) : Number.NaN, p99ms: p99 ? durationMs(p99) : Number.NaN };
}

/**
 * @param {{ url: string, body: string, headers: Record<string, string>, connections: number, seconds: number, core: number, nice: number }} o
 * @returns {Promise<WrkResult & { raw: string }>}
 */
export async function runWrk({ url, body, headers, connections, seconds, core, nice }) {
  const dir = mkdtempSync(join(tmpdir(), "bench-wrk-"));
  const script = join(dir, "post.lua");
  writeFileSync(script, wrkScript(body, headers));
  const raw = await runPinned({
    core,
    nice,
    argv: ["/usr/bin/wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "--latency", "-s", script, url],
    timeoutMs: (seconds + 30) * 1000,
  });
  return { ...parseWrk(raw), raw };
}

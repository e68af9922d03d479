// @ts-check
// Open-loop fixed-rate client, run as its own process (pinned beside the upstream). Request i is sent at
// t0 + i/rate whatever happened to earlier requests, so a slow gateway cannot slow the load down
// (no coordinated omission). Timing: setTimeout while the next send is more than 3 ms away, then a
// setImmediate loop (which still lets socket I/O run between checks) until the due time; every send that is
// due goes out in the same turn. Its own accuracy is reported: `lag` = actual send time − scheduled time.
// Latency runs from the send call to the last byte (agent queueing included); `ttfe` to the first body
// byte that carries an SSE `data:` line (stream mode).
// Usage: node open-loop.js '<json: {url, headers, body, rate, durationMs, warmupMs, connections, stream}>'
import http from "node:http";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { summarize } from "./stats.js";

/** @typedef {{ url: string, headers: Record<string, string>, body: string, rate: number, durationMs: number,
 *   warmupMs: number, connections: number, stream: boolean, timer?: "worker" | "spin" }} OpenLoopOptions */

/** @type {OpenLoopOptions} */
const o = JSON.parse(process.argv[2] ?? "{}");
const url = new URL(o.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections, scheduling: "fifo" });
const headers = { ...o.headers, "content-length": String(Buffer.byteLength(o.body)) };

/**
 * @param {(r: { ok: boolean, ttfe: number, end: number, status: number, detail?: string }) => void} report
 */
function send(report) {
  const t = performance.now();
  // A destroyed request can fail on both the request and the response: count it once.
  let settled = false;
  /** @type {typeof report} */
  const done = (r) => {
    if (settled) return;
    settled = true;
    report(r);
  };
  let ttfe = Number.NaN;
  const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: "POST", headers, agent }, (res) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (s) => {
      if (Number.isNaN(ttfe) && (!o.stream || s.includes("data:"))) ttfe = performance.now() - t;
      text += s;
    });
    res.on("end", () => {
      const end = performance.now() - t;
      const ok = res.statusCode === 200 && (o.stream ? text.includes("[DONE]") : text.includes('"choices"'));
      done({ ok, ttfe, end, status: res.statusCode ?? 0, detail: ok ? undefined : text.slice(0, 300) });
    });
    res.on("error", () => done({ ok: false, ttfe, end: performance.now() - t, status: 0, detail: "response error" }));
  });
  // A request that never ends must not hold the whole run: it fails after 10 s.
  req.setTimeout(10_000, () => req.destroy(new Error("no complete answer within 10 s")));
  req.on("error", (e) => done({ ok: false, ttfe, end: performance.now() - t, status: 0, detail: e.message }));
  req.end(o.body);
}

/** Opens the pool's connections before timing starts. */
async function warmConnections() {
  await Promise.all(Array.from({ length: o.connections }, () => new Promise((resolve) => send(resolve))));
}

/**
 * @param {number} durationMs
 * @param {boolean} record
 */
function run(durationMs, record) {
  const interval = 1000 / o.rate;
  const total = Math.max(1, Math.round((durationMs / 1000) * o.rate));
  /** @type {number[]} */ const lat = [];
  /** @type {number[]} */ const ttfe = [];
  /** @type {number[]} */ const lag = [];
  /** @type {Record<string, number>} */ const errors = {};
  let firstError = "";
  let finished = 0;
  let next = 0;
  let firstSend = 0;
  let lastSend = 0;
  // The worker needs a few milliseconds to start; the schedule begins after that.
  const t0 = performance.now() + (o.timer === "spin" ? 2 : 50);
  /** @type {Promise<{ sent: number, ok: number, errors: Record<string, number>, firstError: string, achievedRate: number, completionRate: number,
   *   lat: number[], ttfe: number[], lag: number[] }>} */
  const p = new Promise((resolve) => {
    /** Sends request `i`, due at t0 + i·interval, now. @param {number} i */
    const fire = (i) => {
      const now = performance.now();
      if (record) lag.push(now - (t0 + i * interval));
      if (i === 0) firstSend = now;
      lastSend = now;
      send((r) => {
        if (record) {
          if (r.ok) {
            lat.push(r.end);
            if (o.stream) ttfe.push(r.ttfe);
          } else {
            const key = r.status ? `http_${r.status}` : "socket";
            errors[key] = (errors[key] ?? 0) + 1;
            if (!firstError) firstError = `${key}: ${r.detail ?? ""}`;
          }
        }
        if (++finished === total) {
          const achievedRate = total > 1 ? ((total - 1) / (lastSend - firstSend)) * 1000 : Number.NaN;
          // Answers per second over the whole run: below the send rate, the subject was queueing requests.
          const completionRate = (total / (performance.now() - firstSend)) * 1000;
          resolve({ sent: total, ok: lat.length, errors, firstError, achievedRate, completionRate, lat, ttfe, lag });
        }
      });
    };
    // "spin": the setTimeout / setImmediate hybrid in this thread (kept to compare against the worker).
    const tick = () => {
      while (next < total && performance.now() >= t0 + next * interval) fire(next++);
      if (next >= total) return;
      const wait = t0 + next * interval - performance.now();
      if (wait > 3) setTimeout(tick, Math.floor(wait - 2));
      else setImmediate(tick);
    };
    if (o.timer === "spin") tick();
    else {
      // Absolute clock shared with the worker: performance.timeOrigin + performance.now().
      const ticker = new Worker(new URL("./ticker.js", import.meta.url), {
        workerData: { t0: performance.timeOrigin + t0, interval, total },
      });
      ticker.on("message", (/** @type {number} */ i) => {
        // Messages can queue while this thread is busy: send every index that is due, in order.
        while (next <= i) fire(next++);
      });
    }
  });
  return p;
}

await warmConnections();
if (o.warmupMs > 0) await run(o.warmupMs, false);
const r = await run(o.durationMs, true);
process.stdout.write(
  JSON.stringify({
    rate: o.rate,
    sent: r.sent,
    ok: r.ok,
    errors: r.errors,
    firstError: r.firstError,
    achievedRate: r.achievedRate,
    completionRate: r.completionRate,
    latency: summarize(r.lat),
    ttfe: o.stream ? summarize(r.ttfe) : null,
    lag: summarize(r.lag),
  }) + "\n",
);
agent.destroy();

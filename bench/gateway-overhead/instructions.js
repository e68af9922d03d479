#!/usr/bin/env node
// @ts-check
// What a request costs a subject in CPU instructions, counted by valgrind's callgrind: unlike requests/s or CPU
// seconds, an instruction count does not move when other processes share the machine, so two subjects whose
// cost differs by a few percent can be told apart on a noisy machine where timed repeats spread by ±15%.
//
// Each subject starts under `valgrind --tool=callgrind` (all its threads: V8's compiler and GC helpers count
// too), answers a warm-up (JIT tiers up, caches fill), then the counters are zeroed (`callgrind_control -z`),
// exactly --requests requests are sent over --concurrency keep-alive connections, and the counters are dumped
// (`callgrind_control -d`). Under valgrind a request takes ~50x longer, so the work a gateway does per second
// whatever its load (timers, metrics, V8's idle tasks) falls on far fewer requests than at full speed and would
// inflate the figure, unevenly between subjects of different speed: so before the measured requests the
// counters also run for --idle-seconds with no requests, and that rate times the measured requests' duration is
// taken off. V8's optimising compiler (TurboFan, on worker threads) is taken off too, from both windows: at full
// speed it falls silent once the code is hot, but at valgrind's speed it is still at work after the warm-up.
// Reported: instructions/request without either (the figure to compare), raw, and the compiler's share.
//
// Usage: node bench/gateway-overhead/instructions.js [--only minimal-http,inhouse-store-off,…] [--requests 8000]
//        [--warmup 8000] [--concurrency 16] [--repeats 2] [--idle-seconds 20] [--core 1] [--stream]
// Counts do not depend on the core, so two runs can go side by side on a 2-core machine (--core 0 and 1).
import http from "node:http";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { chatBody } from "./canned.js";
import { GATEWAY_CORE, LOAD_CORE } from "./measure.js";
import { pinServices, startPinned, stop } from "./processes.js";
import { freePort, waitReady } from "./probe.js";
import { median } from "./stats.js";
import { clientHeaders, ROOT, snapshotInhouse, SUBJECTS } from "./subjects.js";
import { prepareNginx } from "./upstream.js";

const { values } = parseArgs({
  options: {
    only: { type: "string", default: "minimal-http,inhouse-store-off,inhouse-keys-sqlite,inhouse-keys-pg-redis,inhouse" },
    requests: { type: "string", default: "8000" },
    warmup: { type: "string", default: "8000" },
    concurrency: { type: "string", default: "16" },
    repeats: { type: "string", default: "2" },
    "idle-seconds": { type: "string", default: "20" },
    core: { type: "string", default: String(GATEWAY_CORE) },
    stream: { type: "boolean", default: false },
  },
});
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const concurrency = Number(values.concurrency);
const repeats = Number(values.repeats);
const idleSeconds = Number(values["idle-seconds"]);
// Usage rows flush when 500 are waiting or every flush interval (1 s by default). At full speed (thousands of
// requests/s) the 500 come first; at valgrind's ~50 requests/s the timer would flush ~50 rows at a time, and
// a flush's fixed cost would weigh 10x more per request. The longest flush interval allowed (60 s)
// lets 500 rows (~10 s there) come first, as at full speed.
const USAGE_FLUSH_MS = 60_000;
const names = String(values.only).split(",").filter(Boolean);
const subjects = names.map((n) => {
  const s = SUBJECTS.find((x) => x.name === n);
  if (!s?.launch) throw new Error(`--only: ${n} is not a subject with a process (${SUBJECTS.filter((x) => x.launch).map((x) => x.name).join(", ")})`);
  const why = s.unavailable?.();
  if (why) throw new Error(`${n}: ${why}`);
  return s;
});
for (const tool of ["valgrind", "callgrind_control"]) {
  if (spawnSync(tool, ["--version"]).error) throw new Error(`${tool} not found (Debian package valgrind)`);
}

/**
 * Sends `count` requests over `concurrency` keep-alive connections; every answer must be 200.
 * @param {{ url: string, headers: Record<string, string>, body: string, count: number }} o
 */
async function drive({ url, headers, body, count }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const u = new URL(url);
  let sent = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: u.hostname, port: u.port, path: u.pathname, method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
        (res) => {
          res.resume();
          res.on("end", () => (res.statusCode === 200 ? resolve(undefined) : reject(new Error(`HTTP ${res.statusCode}`))));
          res.on("error", reject);
        },
      );
      req.setTimeout(120_000, () => req.destroy(new Error("no answer within 120 s")));
      req.on("error", reject);
      req.end(body);
    });
  const worker = async () => {
    while (sent < count) {
      sent++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
}

const fmt = (/** @type {number} */ n) => Math.round(n).toLocaleString("en-US");

/** @param {string} command @param {number} pid */
function control(command, pid) {
  const r = spawnSync("callgrind_control", [command, String(pid)], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`callgrind_control ${command} ${pid}: ${r.stdout}${r.stderr}`);
}

/** V8's optimising compiler on its worker threads (inclusive): TurboFan compiling hot functions. */
const JIT_FUNCTION = "v8::internal::OptimizingCompileDispatcher::CompileTask::RunInternal()";

/**
 * The newest dump of `pid` in `dir`: its total instruction count (Ir), and how many of them V8's optimising
 * compiler spent (from callgrind_annotate's inclusive counts). At full speed a gateway stops compiling once
 * its code is hot (measured with --trace-opt: inhouse's optimisations level off after ~17,000 requests),
 * but at valgrind's speed the warm-up still leaves TurboFan at work in the measured window: 25-28% of its
 * instructions in one run, differently for each subject. Steady state excludes it.
 * @param {string} dir @param {number} pid @returns {{ total: number, jit: number }}
 */
function dumpedInstructions(dir, pid) {
  const dumps = readdirSync(dir).filter((f) => f.startsWith(`cg.${pid}.`)).sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
  const last = dumps.at(-1);
  if (!last) throw new Error(`no callgrind dump of ${pid} in ${dir}`);
  const m = /^totals:\s+(\d+)/m.exec(readFileSync(join(dir, last), "utf8"));
  if (!m) throw new Error(`no totals line in ${last}`);
  const a = spawnSync("callgrind_annotate", ["--inclusive=yes", "--threshold=100", join(dir, last)], { encoding: "utf8", maxBuffer: 64 << 20 });
  const line = a.stdout.split("\n").find((l) => l.includes(JIT_FUNCTION));
  const jit = line ? Number(line.trim().split(/\s+/)[0]?.replaceAll(",", "")) : 0;
  return { total: Number(m[1]), jit };
}

const restoreServices = pinServices(LOAD_CORE);
process.once("exit", restoreServices);
const dir = mkdtempSync(join(tmpdir(), "bench-instructions-"));
const inhouseRoot = snapshotInhouse(join(dir, "inhouse"));
const upstreamPort = await freePort();
const upstream = `http://127.0.0.1:${upstreamPort}`;
const nginx = startPinned({ name: "nginx", core: LOAD_CORE, nice: 0, argv: prepareNginx({ dir: join(dir, "nginx"), port: upstreamPort }) });
const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();

/** @type {Map<string, { net: number, raw: number, jit: number, idlePerSecond: number, seconds: number }[]>} one per repeat */
const results = new Map(subjects.map((s) => [s.name, []]));
try {
  for (let r = 0; r < repeats; r++) {
    for (const s of subjects) {
      const port = await freePort();
      const sdir = join(dir, `${s.name}-${r}`);
      const cg = join(sdir, "cg");
      mkdirSync(cg, { recursive: true });
      const launch = /** @type {NonNullable<typeof s.launch>} */ (s.launch)({ port, upstream, dir: sdir, inhouseRoot, usageFlushMs: USAGE_FLUSH_MS });
      const argv = ["valgrind", "--tool=callgrind", `--callgrind-out-file=${cg}/cg.%p`, "--dump-instr=no", ...launch.argv];
      const gw = startPinned({ name: s.name, core: Number(values.core), nice: 0, argv, env: launch.env, cwd: ROOT });
      const url = `http://127.0.0.1:${port}/v1/chat/completions`;
      const headers = clientHeaders(s, upstream);
      const body = chatBody(s.model, values.stream ?? false);
      try {
        await waitReady({ url, headers, body: chatBody(s.model, false), timeoutMs: 300_000, alive: () => !gw.exited() });
        await drive({ url, headers, body, count: warmup });
        control("-z", gw.pid);
        let t = performance.now();
        await sleep(idleSeconds * 1000);
        control("-d", gw.pid);
        const idle = dumpedInstructions(cg, gw.pid);
        const idlePerSecond = (idle.total - idle.jit) / ((performance.now() - t) / 1000);
        control("-z", gw.pid);
        t = performance.now();
        await drive({ url, headers, body, count: requests });
        control("-d", gw.pid);
        const seconds = (performance.now() - t) / 1000;
        const { total, jit } = dumpedInstructions(cg, gw.pid);
        const row = { net: (total - jit - idlePerSecond * seconds) / requests, raw: total / requests, jit: jit / requests, idlePerSecond, seconds };
        /** @type {NonNullable<ReturnType<typeof results.get>>} */ (results.get(s.name)).push(row);
        process.stderr.write(
          `repeat ${r + 1}/${repeats} ${s.name}: ${fmt(row.net)} instructions/request (raw ${fmt(row.raw)}, of which JIT ${fmt(row.jit)}; idle ${fmt(idlePerSecond)}/s; ${fmt(requests / seconds)} req/s under valgrind)\n`,
        );
      } catch (e) {
        process.stderr.write(`${s.name}: ${e instanceof Error ? e.message : String(e)}\n${gw.log()}\n`);
        throw e;
      } finally {
        await stop(gw, 60_000);
      }
    }
  }
} finally {
  await stop(nginx);
  rmSync(dir, { recursive: true, force: true });
}

const netOf = (/** @type {string} */ name) => median((results.get(name) ?? []).map((x) => x.net));
const ratio = (/** @type {number} */ a, /** @type {number} */ b) => (Number.isFinite(b) ? `${(a / b).toFixed(3)}×` : "–");
const rows = [...results].map(([name, xs]) => {
  const m = median(xs.map((x) => x.net));
  return `| ${name} | ${fmt(m)} | ${ratio(m, results.has("minimal-http") ? netOf("minimal-http") : Number.NaN)} | ${ratio(m, results.has("inhouse-store-off") ? netOf("inhouse-store-off") : Number.NaN)} | ${xs.map((x) => fmt(x.net)).join(" / ")} | ${xs.map((x) => fmt(x.raw)).join(" / ")} | ${xs.map((x) => fmt(x.jit)).join(" / ")} | ${xs.map((x) => fmt(x.idlePerSecond)).join(" / ")} |`;
});
process.stdout.write(
  `## Instructions per request (callgrind; ${values.stream ? "streaming" : "JSON"}; ${fmt(requests)} requests after ${fmt(warmup)} warm-up, ${concurrency} connections; optimising-compiler instructions and the idle rate over ${idleSeconds} s taken off; median of ${repeats}; dist/ at ${commit})\n\n` +
    `| subject | instructions/request | vs minimal-http | vs inhouse-store-off | each repeat | raw, each repeat | JIT per request, each repeat | idle instructions/s (no JIT) |\n|---|---:|---:|---:|---|---|---|---|\n${rows.join("\n")}\n`,
);

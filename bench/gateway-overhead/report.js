// @ts-check
// Medians across repeats, the markdown tables (with ratios against the minimal node:http proxy and against
// Portkey, both measured in the same run) and the pass/fail lines for the targets of issues 2 and 4.
import { median, slope } from "./stats.js";

/** @typedef {import("./measure.js").SubjectRun} SubjectRun */

/**
 * @typedef {{
 *   subject: string, runs: number, errors: string[], problems: string[],
 *   rps: Record<number, number>, cpuMsPerRequest: number, coreShare: number, othersOnCore: number, p50: number, p99: number, lagP50: number, lagP99: number,
 *   achievedRate: number, completionRate: number, ttfeP50: number, ttfeP99: number, idleRssMB: number, afterLoadRssMB: number, peakRssMB: number,
 *   soak: SoakFigures | null,
 * }} Figures
 * @typedef {{ seconds: number, firstMB: number, lastMB: number, growthMB: number, swingMB: number, slopeMBPerMin: number, pass: boolean,
 *   loadErrors: number }} SoakFigures
 */

/** The RSS floor may rise by this much from the first to the last third of the soak and still count as flat. */
export const SOAK_TOLERANCE_MB = 3;

/**
 * The soak's RSS samples after its warm-up: does the floor (the lowest RSS, i.e. what remains after garbage
 * collections) rise from the first third to the last third? V8 grows its young generation in steps and
 * its old generation in a sawtooth, so a flat process can swing by tens of MB; a leak lifts the floor.
 * @param {NonNullable<SubjectRun["soak"]>} soak
 * @returns {SoakFigures}
 */
export function soakFigures(soak) {
  const xs = soak.samples.filter((s) => s.t >= soak.warmSeconds);
  const third = Math.max(1, Math.floor(xs.length / 3));
  const floor = (/** @type {{ rssMB: number }[]} */ a) => Math.min(...a.map((x) => x.rssMB));
  const firstMB = floor(xs.slice(0, third));
  const lastMB = floor(xs.slice(-third));
  const growthMB = lastMB - firstMB;
  const swingMB = Math.max(...xs.map((x) => x.rssMB)) - floor(xs);
  const slopeMBPerMin = slope(xs.map((s) => s.t), xs.map((s) => s.rssMB)) * 60;
  const loadErrors = Object.values(soak.load.errors).reduce((a, b) => a + b, 0);
  return { seconds: soak.seconds, firstMB, lastMB, growthMB, swingMB, slopeMBPerMin, pass: xs.length >= 6 && growthMB <= SOAK_TOLERANCE_MB, loadErrors };
}

/**
 * @param {SubjectRun[]} runs all repeats of one subject
 * @returns {Figures}
 */
export function figures(runs) {
  const ok = runs.filter((r) => !r.error);
  const conns = [...new Set(ok.flatMap((r) => r.throughput.map((t) => t.connections)))];
  /** @type {Record<number, number>} */
  const rps = {};
  for (const c of conns) rps[c] = median(ok.map((r) => r.throughput.find((t) => t.connections === c)?.rps));
  const soakRun = ok.find((r) => r.soak);
  return {
    subject: runs[0]?.subject ?? "?",
    runs: ok.length,
    errors: runs.flatMap((r) => (r.error ? [r.error] : [])),
    problems: [...new Set(runs.flatMap((r) => r.problems))],
    rps,
    cpuMsPerRequest: median(ok.map((r) => r.throughput.find((t) => t.connections === 16)?.cpuMsPerRequest)),
    coreShare: median(ok.map((r) => r.throughput.find((t) => t.connections === 16)?.gatewayCoreShare)),
    othersOnCore: median(ok.map((r) => r.throughput.find((t) => t.connections === 16)?.othersOnGatewayCore)),
    p50: median(ok.map((r) => r.latency?.latency.p50)),
    p99: median(ok.map((r) => r.latency?.latency.p99)),
    lagP50: median(ok.map((r) => r.latency?.lag.p50)),
    lagP99: median(ok.map((r) => r.latency?.lag.p99)),
    achievedRate: median(ok.map((r) => r.latency?.achievedRate)),
    completionRate: median(ok.map((r) => r.latency?.completionRate)),
    ttfeP50: median(ok.map((r) => r.stream?.ttfe?.p50)),
    ttfeP99: median(ok.map((r) => r.stream?.ttfe?.p99)),
    idleRssMB: median(ok.map((r) => r.idleRssMB)),
    afterLoadRssMB: median(ok.map((r) => r.afterLoadRssMB)),
    peakRssMB: median(ok.map((r) => r.peakRssMB)),
    soak: soakRun?.soak ? soakFigures(soakRun.soak) : null,
  };
}

/** @param {number} x @param {number} [digits] */
const num = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–");
/** @param {number} a @param {number} b */
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : "–");
/** @param {number} x */
const plus = (x) => (Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${x.toFixed(2)}` : "–");

/**
 * A gateway whose best closed-loop throughput is not clearly above the fixed rate queues requests at that rate:
 * its latency figures then measure the queue, not the gateway's overhead.
 * @param {Figures} f @param {number} rate
 */
function saturated(f, rate) {
  const best = Math.max(...Object.values(f.rps).filter(Number.isFinite));
  if (best < 1.2 * rate) return `saturated: best ${num(best)} req/s closed-loop`;
  if (f.completionRate < 0.95 * rate) return `saturated: answered ${num(f.completionRate)} req/s`;
  return "";
}

/** @param {string[]} head @param {string[][]} rows */
function table(head, rows) {
  const align = head.map((_, i) => (i === 0 ? "---" : "---:"));
  return [head, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/**
 * @typedef {{ direct?: Figures, minimal?: Figures, portkey?: Figures }} Refs
 */

/** @param {Figures[]} all */
function refs(all) {
  const by = (/** @type {string} */ n) => all.find((f) => f.subject === n && f.runs > 0);
  return { direct: by("direct"), minimal: by("minimal-http"), portkey: by("portkey") };
}

/** Added latency vs direct. @param {Figures} f @param {Refs} r */
export function added(f, r) {
  const d = r.direct;
  return {
    p50: d ? f.p50 - d.p50 : Number.NaN,
    p99: d ? f.p99 - d.p99 : Number.NaN,
    ttfeP50: d ? f.ttfeP50 - d.ttfeP50 : Number.NaN,
    ttfeP99: d ? f.ttfeP99 - d.ttfeP99 : Number.NaN,
  };
}

/**
 * @param {Figures[]} all
 * @param {{ rate: number, streamRate: number, repeats: number, wrkSeconds: number, latencySeconds: number, streamSeconds: number }} plan
 */
export function tables(all, plan) {
  const r = refs(all);
  const shown = all.filter((f) => f.runs > 0);
  const m16 = r.minimal?.rps[16] ?? Number.NaN;
  const p16 = r.portkey?.rps[16] ?? Number.NaN;
  const conns = [...new Set(shown.flatMap((f) => Object.keys(f.rps).map(Number)))].sort((a, b) => a - b);
  const out = [];

  out.push(`### Throughput (requests/s; wrk, 1 thread, ${plan.wrkSeconds} s per point; median of ${plan.repeats})\n`);
  out.push(
    table(
      ["through", ...conns.map((c) => `${c} conn${c === 1 ? "" : "s"}`), "@16 vs minimal-http", "@16 vs portkey", "gateway CPU ms/req @16", "req per CPU-second", "CPU/req vs minimal-http", "CPU/req vs portkey", "core 1 @16: gateway / others"],
      shown.map((f) => [
        f.subject,
        ...conns.map((c) => num(f.rps[c] ?? Number.NaN)),
        ratio(f.rps[16] ?? Number.NaN, m16),
        ratio(f.rps[16] ?? Number.NaN, p16),
        Number.isFinite(f.cpuMsPerRequest) ? f.cpuMsPerRequest.toFixed(3) : "–",
        num(1000 / f.cpuMsPerRequest),
        ratio(f.cpuMsPerRequest, r.minimal?.cpuMsPerRequest ?? Number.NaN),
        ratio(f.cpuMsPerRequest, r.portkey?.cpuMsPerRequest ?? Number.NaN),
        Number.isFinite(f.coreShare) ? `${(f.coreShare * 100).toFixed(0)}% / ${(f.othersOnCore * 100).toFixed(0)}%` : "–",
      ]),
    ),
  );

  const mA = r.minimal ? added(r.minimal, r) : null;
  const pA = r.portkey ? added(r.portkey, r) : null;
  out.push(
    "\nCPU ms/req is the gateway process's user+system CPU time (from /proc) over the requests wrk completed at 16 connections: unlike requests/s it does not drop when other processes take the cores, so on a shared machine it is the steadier comparison. \"core 1 @16\" is how much of its core the gateway used during that point and how much other processes on the machine took from the same core: a gateway well below 100% was held back by them or by the load core.",
  );
  out.push(`\n### Added latency at a fixed ${plan.rate} requests/s (open loop, ${plan.latencySeconds} s; ms; median of ${plan.repeats})\n`);
  out.push(
    table(
      ["through", "p50", "p99", "added p50", "added p99", "added p50 vs minimal-http", "added p99 vs minimal-http", "added p50 / p99 vs portkey", "client send lag p50 / p99", "note"],
      shown.map((f) => {
        const a = added(f, r);
        const isDirect = f.subject === "direct";
        return [
          f.subject,
          f.p50.toFixed(3),
          f.p99.toFixed(3),
          isDirect ? "(baseline)" : plus(a.p50),
          isDirect ? "(baseline)" : plus(a.p99),
          isDirect ? "–" : ratio(a.p50, mA?.p50 ?? Number.NaN),
          isDirect ? "–" : ratio(a.p99, mA?.p99 ?? Number.NaN),
          isDirect ? "–" : `${ratio(a.p50, pA?.p50 ?? Number.NaN)} / ${ratio(a.p99, pA?.p99 ?? Number.NaN)}`,
          `${f.lagP50.toFixed(3)} / ${f.lagP99.toFixed(3)}`,
          saturated(f, plan.rate),
        ];
      }),
    ),
  );
  if (r.direct) {
    out.push(
      `\nClient accuracy: against nginx directly the open-loop client measured p50 ${r.direct.p50.toFixed(3)} ms / p99 ${r.direct.p99.toFixed(3)} ms (that is the floor every "added" figure is relative to); it sent at ${num(r.direct.achievedRate, 1)} req/s (target ${plan.rate}), each request ${r.direct.lagP50.toFixed(3)} ms (p50) / ${r.direct.lagP99.toFixed(3)} ms (p99) after its scheduled time.`,
    );
  }

  out.push(`\n### Streaming: time to the first SSE event (open loop, ${plan.streamRate} streams/s, ${plan.streamSeconds} s; ms; median of ${plan.repeats})\n`);
  out.push(
    table(
      ["through", "first event p50", "p99", "overhead p50", "overhead p99", "overhead p50 vs minimal-http", "overhead p50 vs portkey", "events arrive spread out"],
      shown.map((f) => {
        const a = added(f, r);
        const isDirect = f.subject === "direct";
        const buffered = f.problems.find((p) => p.startsWith("stream"));
        return [
          f.subject,
          f.ttfeP50.toFixed(3),
          f.ttfeP99.toFixed(3),
          isDirect ? "(baseline)" : plus(a.ttfeP50),
          isDirect ? "(baseline)" : plus(a.ttfeP99),
          isDirect ? "–" : ratio(a.ttfeP50, mA?.ttfeP50 ?? Number.NaN),
          isDirect ? "–" : ratio(a.ttfeP50, pA?.ttfeP50 ?? Number.NaN),
          buffered ? `no: ${buffered}` : "yes",
        ];
      }),
    ),
  );

  const gw = shown.filter((f) => f.subject !== "direct");
  out.push(`\n### Memory of the gateway process (MB; idle/after-load/peak: median of ${plan.repeats}; soak: last repeat)\n`);
  out.push(
    table(
      ["through", "idle RSS", "RSS idle after load", "peak RSS (VmHWM)", "soak", "soak RSS floor, first ⅓", "floor, last ⅓", "floor rise", "swing above floor", "slope MB/min", "flat"],
      gw.map((f) => [
        f.subject,
        f.idleRssMB.toFixed(1),
        f.afterLoadRssMB.toFixed(1),
        f.peakRssMB.toFixed(1),
        f.soak ? `${f.soak.seconds} s at ${plan.rate}/s` : "–",
        f.soak ? f.soak.firstMB.toFixed(1) : "–",
        f.soak ? f.soak.lastMB.toFixed(1) : "–",
        f.soak ? plus(f.soak.growthMB) : "–",
        f.soak ? f.soak.swingMB.toFixed(1) : "–",
        f.soak ? plus(f.soak.slopeMBPerMin) : "–",
        f.soak ? (f.soak.pass ? "yes" : "NO") : "–",
      ]),
    ),
  );
  return out.join("\n");
}

/**
 * @typedef {{ name: string, pass: boolean | null, detail: string }} Target
 */

/**
 * The targets of issue 2 (for inhouse) and issue 4 (3-target fallback vs single target); `pass` is null when
 * a figure it needs was not measured.
 * @param {Figures[]} all
 * @param {{ soakSeconds: number }} plan
 * @returns {Target[]}
 */
export function targets(all, plan) {
  const r = refs(all);
  const ih = all.find((f) => f.subject === "inhouse" && f.runs > 0);
  const ih3 = all.find((f) => f.subject === "inhouse-fallback3" && f.runs > 0);
  /** @type {Target[]} */
  const out = [];
  /** @param {string} name @param {boolean} cond @param {string} detail @param {unknown[]} needs */
  const check = (name, cond, detail, needs) => {
    const missing = needs.some((x) => x === undefined || x === null || (typeof x === "number" && !Number.isFinite(x)));
    out.push({ name, pass: missing ? null : cond, detail: missing ? "not measured in this run" : detail });
  };
  const i16 = ih?.rps[16];
  const m16 = r.minimal?.rps[16];
  const p16 = r.portkey?.rps[16];
  // Requests per CPU-second say the same as requests/s when nothing else runs, and stay put when something does.
  /** @param {Figures | undefined} a @param {Figures | undefined} b */
  const cpu = (a, b) => `; by CPU per request ${(a?.cpuMsPerRequest ?? NaN).toFixed(3)} vs ${(b?.cpuMsPerRequest ?? NaN).toFixed(3)} ms = ${ratio(b?.cpuMsPerRequest ?? NaN, a?.cpuMsPerRequest ?? NaN)}`;
  check("throughput @16 conns ≥ 60% of minimal-http", (i16 ?? 0) >= 0.6 * (m16 ?? 0), `${num(i16 ?? NaN)} vs ${num(m16 ?? NaN)} req/s = ${ratio(i16 ?? NaN, m16 ?? NaN)}${cpu(ih, r.minimal)}`, [i16, m16]);
  check("throughput @16 conns ≥ 6× portkey", (i16 ?? 0) >= 6 * (p16 ?? 0), `${num(i16 ?? NaN)} vs ${num(p16 ?? NaN)} req/s = ${ratio(i16 ?? NaN, p16 ?? NaN)}${cpu(ih, r.portkey)}`, [i16, p16]);
  const iA = ih && r.direct ? added(ih, r) : null;
  const mA = r.minimal && r.direct ? added(r.minimal, r) : null;
  check(
    "added p50 at 500/s ≤ minimal-http's + 0.3 ms",
    (iA?.p50 ?? 0) <= (mA?.p50 ?? 0) + 0.3,
    `${plus(iA?.p50 ?? NaN)} ms vs ${plus(mA?.p50 ?? NaN)} ms (limit ${plus((mA?.p50 ?? NaN) + 0.3)} ms)`,
    [iA?.p50, mA?.p50],
  );
  check(
    "added p99 at 500/s ≤ 2× minimal-http's",
    (iA?.p99 ?? 0) <= 2 * Math.max(0, mA?.p99 ?? 0),
    `${plus(iA?.p99 ?? NaN)} ms vs ${plus(mA?.p99 ?? NaN)} ms (limit ${plus(2 * (mA?.p99 ?? NaN))} ms)`,
    [iA?.p99, mA?.p99],
  );
  check(
    "first streamed event overhead ≤ 2× minimal-http's",
    (iA?.ttfeP50 ?? 0) <= 2 * Math.max(0, mA?.ttfeP50 ?? 0),
    `${plus(iA?.ttfeP50 ?? NaN)} ms vs ${plus(mA?.ttfeP50 ?? NaN)} ms at p50 (limit ${plus(2 * (mA?.ttfeP50 ?? NaN))} ms)`,
    [iA?.ttfeP50, mA?.ttfeP50],
  );
  check("idle RSS ≤ 80 MB", (ih?.idleRssMB ?? 0) <= 80, `${(ih?.idleRssMB ?? NaN).toFixed(1)} MB`, [ih?.idleRssMB]);
  check("peak RSS ≤ 150 MB", (ih?.peakRssMB ?? 0) <= 150, `${(ih?.peakRssMB ?? NaN).toFixed(1)} MB (VmHWM over the whole run of the process)`, [ih?.peakRssMB]);
  const soak = ih?.soak;
  check(
    `no RSS growth over a ${plan.soakSeconds} s soak${plan.soakSeconds < 60 ? " (SHORTER than the 60 s the target asks)" : ""}`,
    soak?.pass ?? false,
    soak
      ? `RSS floor ${soak.firstMB.toFixed(1)} MB in the first third, ${soak.lastMB.toFixed(1)} MB in the last (${plus(soak.growthMB)} MB, tolerance ${SOAK_TOLERANCE_MB} MB; swing above the floor ${soak.swingMB.toFixed(1)} MB), ${soak.loadErrors} failed requests`
      : "",
    [soak?.growthMB],
  );
  const f16 = ih3?.rps[16];
  check("issue 4: 3-target fallback alias throughput @16 within 5% of single-target", (f16 ?? 0) >= 0.95 * (i16 ?? 0), `${num(f16 ?? NaN)} vs ${num(i16 ?? NaN)} req/s = ${ratio(f16 ?? NaN, i16 ?? NaN)}${cpu(ih3, ih)}`, [f16, i16]);
  return out;
}

/** @param {Target[]} ts */
export function targetLines(ts) {
  return ts.map((t) => `- ${t.pass === null ? "[n/a] " : t.pass ? "[PASS]" : "[FAIL]"} ${t.name}: ${t.detail}`).join("\n");
}

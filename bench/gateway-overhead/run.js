#!/usr/bin/env node
// @ts-check
// bench/gateway-overhead: what a gateway costs in front of a fast upstream, measured in one run on loopback.
// See README.md for the method; `node bench/gateway-overhead/run.js --help` for the flags.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chatBody } from "./canned.js";
import { LOAD_CORE, measureSubject } from "./measure.js";
import { pinServices, startPinned, stop } from "./processes.js";
import { freePort, waitReady } from "./probe.js";
import { figures, tables, targetLines, targets } from "./report.js";
import { ROOT, snapshotInhouse, SUBJECTS } from "./subjects.js";
import { prepareNginx } from "./upstream.js";

const HELP = `usage: node bench/gateway-overhead/run.js [--quick] [--only a,b,...] [--repeats N] [--nice N] [--soak S]

  --only     subjects, comma-separated (default: all): ${SUBJECTS.map((s) => s.name).join(", ")}
             "direct" is always measured: every added latency is relative to it.
  --quick    about two minutes: 1 repeat, 1 s per throughput point, 2 s at the fixed rate, 6 s soak
  --repeats  repeats of the whole subject sequence (default 3; 1 with --quick); figures are medians
  --nice     niceness for nginx, the load generators and the gateways (default -10: ahead of other builds)
  --rt       run the fixed-rate latency and streaming phases (light load) under SCHED_FIFO (chrt -f 10)
             so other work on a shared machine cannot delay them; the saturating phases stay at --nice
  --soak     soak seconds on the last repeat (default 60; 6 with --quick; 0 to skip)
  --out      directory for the JSON results (default bench/results)
  --from F   print the tables and targets again from a results JSON (no measuring)
`;

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    repeats: { type: "string" },
    nice: { type: "string", default: "-10" },
    rt: { type: "boolean", default: false },
    soak: { type: "string" },
    out: { type: "string", default: join(ROOT, "bench/results") },
    from: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

if (values.from) {
  const saved = JSON.parse(readFileSync(values.from, "utf8"));
  /** @type {import("./measure.js").SubjectRun[]} */
  const savedRuns = saved.runs;
  const order = [...new Set(savedRuns.map((r) => r.subject))];
  const figs = order.map((n) => figures(savedRuns.filter((r) => r.subject === n)));
  process.stdout.write(
    `## Gateway overhead — ${saved.started} (re-tabulated from ${values.from})\n\n${tables(figs, saved.plan)}\n\n### Targets\n\n${targetLines(targets(figs, saved.plan))}\n`,
  );
  process.exit(0);
}

const quick = values.quick ?? false;
/** @type {import("./measure.js").Plan} */
const plan = {
  repeats: Number(values.repeats ?? (quick ? 1 : 3)),
  wrkSeconds: quick ? 1 : 8,
  wrkWarmSeconds: quick ? 1 : 2,
  connections: [1, 16, 64],
  rate: 500,
  latencySeconds: quick ? 2 : 15,
  latencyWarmSeconds: quick ? 0.5 : 2,
  streamRate: 100,
  streamSeconds: quick ? 1 : 5,
  soakSeconds: Number(values.soak ?? (quick ? 6 : 60)),
  soakWarmSeconds: quick ? 1 : 5,
  idleWaitMs: quick ? 500 : 2000,
  nice: Number(values.nice),
  rt: values.rt ?? false,
};

const names = values.only ? values.only.split(",").map((s) => s.trim()).filter(Boolean) : SUBJECTS.map((s) => s.name);
const unknown = names.filter((n) => !SUBJECTS.some((s) => s.name === n));
if (unknown.length) {
  process.stderr.write(`unknown subject(s): ${unknown.join(", ")}\n\n${HELP}`);
  process.exit(2);
}
if (!names.includes("direct")) names.unshift("direct");
const chosen = SUBJECTS.filter((s) => names.includes(s.name));

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

// This process only orchestrates, but it shares the load core so the gateway's core stays its own.
execFileSync("taskset", ["-cp", String(LOAD_CORE), String(process.pid)], { stdio: "ignore" });

// Redis and Postgres (used by the inhouse-keys-pg-redis subject) leave the gateway's core too.
const restoreServices = pinServices(LOAD_CORE);
process.once("exit", restoreServices);

const dir = mkdtempSync(join(tmpdir(), "bench-gateway-overhead-"));
const upstreamPort = await freePort();
const upstream = `http://127.0.0.1:${upstreamPort}`;
const nginx = startPinned({ name: "nginx", core: LOAD_CORE, nice: plan.nice, argv: prepareNginx({ dir: join(dir, "nginx"), port: upstreamPort }) });
const started = new Date();
const load0 = loadavg();
/** @type {import("./measure.js").SubjectRun[]} */
const runs = [];
/** @type {Record<string, string>} */
const skipped = {};
let inhouseRoot = ROOT;
let measured = "";
/** The checked-out commit, and whether the tree has changes (dist/ may be built from either). */
function commit() {
  try {
    const head = execFileSync("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", ROOT, "status", "--porcelain", "--", "src"], { encoding: "utf8" }).trim() !== "";
    return `${head}${dirty ? " with uncommitted changes in src/" : ""}`;
  } catch {
    return "unknown";
  }
}
try {
  await waitReady({
    url: `${upstream}/v1/chat/completions`,
    headers: { "content-type": "application/json" },
    body: chatBody("canned-model", false),
    timeoutMs: 10_000,
    alive: () => !nginx.exited(),
  }).catch((e) => {
    throw new Error(`nginx upstream did not start: ${e.message}; ${nginx.log()}`);
  });
  log(`upstream: nginx on ${upstream}; subjects: ${chosen.map((s) => s.name).join(", ")}; ${plan.repeats} repeat(s)`);
  for (const s of chosen) {
    const why = s.unavailable?.();
    if (why) {
      skipped[s.name] = why;
      log(`skipping ${s.name}: ${why}`);
    }
  }
  const active = chosen.filter((s) => !skipped[s.name]);
  if (active.some((s) => s.name.startsWith("inhouse"))) {
    inhouseRoot = snapshotInhouse(join(dir, "inhouse-snapshot"));
    measured = commit();
    log(`inhouse: measuring a snapshot of dist/ taken now (commit ${measured})`);
  }
  for (let repeat = 1; repeat <= plan.repeats; repeat++) {
    for (const subject of active) {
      log(`repeat ${repeat}/${plan.repeats}: ${subject.name}`);
      const subjectDir = mkdtempSync(join(dir, `${subject.name}-`));
      runs.push(await measureSubject({ subject, repeat, last: repeat === plan.repeats, plan, upstream, nginxPid: nginx.pid, inhouseRoot, dir: subjectDir, log }));
    }
  }
} finally {
  await stop(nginx);
  restoreServices();
}

const all = chosen.filter((s) => !skipped[s.name]).map((s) => figures(runs.filter((r) => r.subject === s.name)));
const ts = targets(all, plan);
const load1 = loadavg();
const lines = [
  `## Gateway overhead — ${started.toISOString()}${quick ? " (--quick)" : ""}`,
  "",
  `Loopback, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${measured ? `inhouse's dist/ as built at ${measured}` : "inhouse not measured"}. Gateway pinned to core 1; nginx, wrk, the open-loop client, Redis and Postgres on core 0 (nice ${plan.nice}${plan.rt ? "; fixed-rate phases under SCHED_FIFO" : ""}). Medians of ${plan.repeats} repeat(s). Shared machine: load average ${load0.map((x) => x.toFixed(2)).join(" ")} at the start, ${load1.map((x) => x.toFixed(2)).join(" ")} at the end — other work on the same cores makes these figures noisy.`,
  "",
  ...chosen.map((s) => `- **${s.name}**: ${s.describe}${skipped[s.name] ? ` — SKIPPED: ${skipped[s.name]}` : ""}`),
  "",
  tables(all, plan),
  "",
  "### Targets (issue 2, and issue 4's fallback alias), against figures measured in this run",
  "",
  targetLines(ts),
];
const failures = all.flatMap((f) => [...f.errors.map((e) => `${f.subject}: ${e}`), ...f.problems.map((p) => `${f.subject}: ${p}`)]);
if (failures.length) lines.push("", "### Problems", "", ...failures.map((f) => `- ${f}`));
process.stdout.write(lines.join("\n") + "\n");

mkdirSync(values.out ?? ".", { recursive: true });
const file = join(values.out ?? ".", `gateway-overhead-${started.toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify({ started: started.toISOString(), commit: measured, quick, plan, node: process.version, cpu: cpus()[0]?.model, loadavg: { start: load0, end: load1 }, skipped, figures: all, targets: ts, runs }, null, 1));
log(`results: ${file}`);
rmSync(dir, { recursive: true, force: true });

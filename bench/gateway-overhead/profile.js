#!/usr/bin/env node
// @ts-check
// Where a subject spends its CPU: starts it with --cpu-prof (pinned like in run.js), drives it with wrk at 16
// connections, stops it, and prints the functions with the most self and inclusive time.
// Usage: node bench/gateway-overhead/profile.js [--subject inhouse] [--seconds 10] [--stream] [--top 25]
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chatBody } from "./canned.js";
import { GATEWAY_CORE, LOAD_CORE } from "./measure.js";
import { pinServices, startPinned, stop } from "./processes.js";
import { freePort, waitReady } from "./probe.js";
import { clientHeaders, ROOT, SUBJECTS } from "./subjects.js";
import { hotFunctions } from "./cpu-profile.js";
import { prepareNginx } from "./upstream.js";
import { runWrk } from "./wrk.js";

const { values } = parseArgs({
  options: {
    subject: { type: "string", default: "inhouse" },
    seconds: { type: "string", default: "10" },
    stream: { type: "boolean", default: false },
    top: { type: "string", default: "25" },
    nice: { type: "string", default: "-10" },
  },
});
const subject = SUBJECTS.find((s) => s.name === values.subject);
if (!subject?.launch) {
  process.stderr.write(`--subject must be one of ${SUBJECTS.filter((s) => s.launch).map((s) => s.name).join(", ")}\n`);
  process.exit(2);
}
const nice = Number(values.nice);

const restoreServices = pinServices(LOAD_CORE);
process.once("exit", restoreServices);
const dir = mkdtempSync(join(tmpdir(), "bench-profile-"));
const upstreamPort = await freePort();
const upstream = `http://127.0.0.1:${upstreamPort}`;
const nginx = startPinned({ name: "nginx", core: LOAD_CORE, nice, argv: prepareNginx({ dir: join(dir, "nginx"), port: upstreamPort }) });
const port = await freePort();
const launch = subject.launch({ port, upstream, dir, inhouseRoot: ROOT });
const profDir = join(dir, "prof");
const argv = [/** @type {string} */ (launch.argv[0]), "--cpu-prof", `--cpu-prof-dir=${profDir}`, ...launch.argv.slice(1)];
const gw = startPinned({ name: subject.name, core: GATEWAY_CORE, nice, argv, env: launch.env, cwd: ROOT });
const url = `http://127.0.0.1:${port}/v1/chat/completions`;
const headers = clientHeaders(subject, upstream);
const body = chatBody(subject.model, values.stream ?? false);
let wrk;
try {
  await waitReady({ url, headers, body: chatBody(subject.model, false), timeoutMs: 30_000, alive: () => !gw.exited() });
  wrk = await runWrk({ url, body, headers, connections: 16, seconds: Number(values.seconds), core: LOAD_CORE, nice });
} finally {
  await stop(gw);
  await stop(nginx);
}
const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
if (!file) throw new Error(`no profile written in ${profDir} (did the process exit cleanly on SIGTERM?)`);
const hot = hotFunctions(JSON.parse(readFileSync(join(profDir, file), "utf8")), Number(values.top), ROOT);
const fmt = (/** @type {[string, number][]} */ rows) => rows.map(([k, ms]) => `| ${((ms / hot.totalMs) * 100).toFixed(1)}% | ${k} |`).join("\n");
process.stdout.write(
  `## CPU profile: ${subject.name}, ${values.stream ? "streaming" : "JSON"}, wrk 16 connections ${values.seconds} s: ${wrk.rps.toFixed(0)} req/s (non-2xx ${wrk.non2xx})\n\n` +
    `Profile: ${join(profDir, file)} (${(hot.totalMs / 1000).toFixed(1)} s sampled, including startup and idle)\n\n` +
    `### Self time by area\n\n| share | area |\n|---:|---|\n${fmt(hot.areas)}\n\n### Self time\n\n| share | function |\n|---:|---|\n${fmt(hot.self)}\n\n### Inclusive time\n\n| share | function |\n|---:|---|\n${fmt(hot.inclusive)}\n`,
);

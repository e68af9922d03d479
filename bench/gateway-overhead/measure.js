// @ts-check
// One pass over one subject: start it pinned to its core, check its answers, then measure idle RSS,
// throughput at each connection count (with the gateway's CPU time per request), added latency at a fixed
// rate, time to the first streamed event, and — on the last repeat — RSS over a soak at the fixed rate.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { chatBody } from "./canned.js";
import { coreTimes, cpuMs, memory, runPinned, setRealtime, startPinned, stop } from "./processes.js";
import { checkAnswers, freePort, waitReady } from "./probe.js";
import { clientHeaders, ROOT } from "./subjects.js";
import { SSE_GAP_MS } from "./upstream.js";
import { runWrk } from "./wrk.js";

/** Cores: the gateway under test alone on one, everything else (nginx, wrk, the open-loop client) on the other. */
export const GATEWAY_CORE = 1;
export const LOAD_CORE = 0;

/**
 * @typedef {{ repeats: number, wrkSeconds: number, wrkWarmSeconds: number, connections: number[], rate: number,
 *   latencySeconds: number, latencyWarmSeconds: number, streamRate: number, streamSeconds: number,
 *   soakSeconds: number, soakWarmSeconds: number, idleWaitMs: number, nice: number, rt: boolean }} Plan
 * @typedef {import("./stats.js").Summary} Summary
 * @typedef {{ rate: number, sent: number, ok: number, errors: Record<string, number>, firstError: string,
 *   achievedRate: number, completionRate: number, latency: Summary, ttfe: Summary | null, lag: Summary }} OpenLoopResult
 * @typedef {{ t: number, rssMB: number }} RssSample
 * @typedef {{
 *   subject: string, repeat: number, error?: string, problems: string[],
 *   throughput: { connections: number, rps: number, requests: number, non2xx: number, socketErrors: number,
 *     p50ms: number, p99ms: number, cpuMsPerRequest: number | null, gatewayCoreShare: number | null, othersOnGatewayCore: number | null }[],
 *   latency: OpenLoopResult | null, stream: OpenLoopResult | null,
 *   idleRssMB: number | null, afterLoadRssMB: number | null, peakRssMB: number | null,
 *   soak: { seconds: number, warmSeconds: number, samples: RssSample[], load: OpenLoopResult } | null,
 * }} SubjectRun
 */

/**
 * @param {{ url: string, headers: Record<string, string>, body: string, rate: number, seconds: number, warmSeconds: number,
 *   stream: boolean, nice: number, rt?: boolean }} o
 * @returns {Promise<OpenLoopResult>}
 */
export async function openLoop({ url, headers, body, rate, seconds, warmSeconds, stream, nice, rt }) {
  const options = { url, headers, body, rate, durationMs: seconds * 1000, warmupMs: warmSeconds * 1000, connections: 32, stream };
  const out = await runPinned({
    core: LOAD_CORE,
    nice,
    rt,
    argv: [process.execPath, join(ROOT, "bench/gateway-overhead/open-loop.js"), JSON.stringify(options)],
    timeoutMs: (seconds + warmSeconds + 60) * 1000,
  });
  return JSON.parse(out);
}

/**
 * @param {{ subject: import("./subjects.js").Subject, repeat: number, last: boolean, plan: Plan, upstream: string,
 *   nginxPid: number, inhouseRoot: string, dir: string, log: (line: string) => void }} o
 * @returns {Promise<SubjectRun>}
 */
export async function measureSubject({ subject, repeat, last, plan, upstream, nginxPid, inhouseRoot, dir, log }) {
  /** @type {SubjectRun} */
  const run = { subject: subject.name, repeat, problems: [], throughput: [], latency: null, stream: null, idleRssMB: null, afterLoadRssMB: null, peakRssMB: null, soak: null };
  let headers = clientHeaders(subject, upstream);
  const jsonBody = chatBody(subject.model, false);
  const streamBody = chatBody(subject.model, true);
  let url = `${upstream}/v1/chat/completions`;
  /** @type {import("./processes.js").Proc | null} */
  let proc = null;
  try {
    if (subject.launch) {
      const port = await freePort();
      const launch = subject.launch({ port, upstream, dir, inhouseRoot });
      proc = startPinned({ name: subject.name, core: GATEWAY_CORE, nice: plan.nice, argv: launch.argv, env: launch.env, cwd: ROOT });
      // A subject may learn its client key while launching (issue 6's virtual-key subjects).
      headers = clientHeaders(subject, upstream);
      url = `http://127.0.0.1:${port}/v1/chat/completions`;
      const p = proc;
      try {
        await waitReady({ url, headers, body: jsonBody, timeoutMs: 30_000, alive: () => !p.exited() });
      } catch (e) {
        throw new Error(`${e instanceof Error ? e.message : e}; log: ${p.log().slice(-600)}`);
      }
    }
    run.problems = await checkAnswers({ url, headers, jsonBody, streamBody, gapMs: SSE_GAP_MS });
    if (run.problems.some((p) => p.startsWith("JSON"))) throw new Error(run.problems.join("; "));
    const pid = proc?.pid;
    if (pid) {
      await sleep(plan.idleWaitMs);
      run.idleRssMB = memory(pid).rssMB;
    }

    const wrkBase = { url, body: jsonBody, headers, core: LOAD_CORE, nice: plan.nice };
    await runWrk({ ...wrkBase, connections: 16, seconds: plan.wrkWarmSeconds }); // JIT warm-up, discarded
    for (const connections of plan.connections) {
      const before = pid ? cpuMs(pid) : 0;
      const cores0 = coreTimes()[GATEWAY_CORE];
      const w = await runWrk({ ...wrkBase, connections, seconds: plan.wrkSeconds });
      const cores1 = coreTimes()[GATEWAY_CORE];
      const used = pid ? cpuMs(pid) - before : 0;
      const cpu = pid ? used / Math.max(1, w.requests) : null;
      // How much of its core the gateway had, and how much other processes took from it (fractions of the core).
      const span = cores0 && cores1 ? ((cores1.total - cores0.total) * 1000) / 100 : 0;
      const gatewayCoreShare = pid && span > 0 ? used / span : null;
      const othersOnGatewayCore =
        pid && span > 0 && cores0 && cores1 ? Math.max(0, ((cores1.busy - cores0.busy) * 10 - used) / span) : null;
      run.throughput.push({ connections, rps: w.rps, requests: w.requests, non2xx: w.non2xx, socketErrors: w.socketErrors, p50ms: w.p50ms, p99ms: w.p99ms, cpuMsPerRequest: cpu, gatewayCoreShare, othersOnGatewayCore });
      log(`  ${subject.name} r${repeat}: ${connections} conns ${w.rps.toFixed(0)} req/s${w.non2xx || w.socketErrors ? ` (non-2xx ${w.non2xx}, socket errors ${w.socketErrors})` : ""}`);
    }

    const ol = { url, headers, nice: plan.nice };
    // --rt: the fixed-rate phases (light load) run under SCHED_FIFO so other work on the machine cannot delay
    // the client, nginx or the gateway; the saturating wrk phases and the soak stay at normal priority.
    const realtime = (/** @type {boolean} */ on) => {
      if (!plan.rt) return;
      if (pid) setRealtime(pid, on);
      setRealtime(nginxPid, on);
    };
    realtime(true);
    try {
      run.latency = await openLoop({ ...ol, rt: plan.rt, body: jsonBody, rate: plan.rate, seconds: plan.latencySeconds, warmSeconds: plan.latencyWarmSeconds, stream: false });
      log(`  ${subject.name} r${repeat}: ${plan.rate}/s p50 ${run.latency.latency.p50.toFixed(3)} ms p99 ${run.latency.latency.p99.toFixed(3)} ms (send lag p99 ${run.latency.lag.p99.toFixed(3)} ms, errors ${JSON.stringify(run.latency.errors)})`);

      if (!run.problems.some((p) => p.startsWith("stream: HTTP"))) {
        run.stream = await openLoop({ ...ol, rt: plan.rt, body: streamBody, rate: plan.streamRate, seconds: plan.streamSeconds, warmSeconds: 0.5, stream: true });
        log(`  ${subject.name} r${repeat}: first event p50 ${run.stream.ttfe?.p50.toFixed(3)} ms p99 ${run.stream.ttfe?.p99.toFixed(3)} ms`);
      }
    } finally {
      realtime(false);
    }

    if (pid && last && plan.soakSeconds > 0) {
      /** @type {RssSample[]} */
      const samples = [];
      const t0 = performance.now();
      let done = false;
      const load = openLoop({ ...ol, body: jsonBody, rate: plan.rate, seconds: plan.soakSeconds, warmSeconds: plan.soakWarmSeconds, stream: false }).finally(() => {
        done = true;
      });
      while (!done) {
        samples.push({ t: (performance.now() - t0) / 1000, rssMB: memory(pid).rssMB });
        await Promise.race([sleep(1000), load.catch(() => undefined)]);
      }
      run.soak = { seconds: plan.soakSeconds, warmSeconds: plan.soakWarmSeconds, samples, load: await load };
      log(`  ${subject.name} r${repeat}: soak ${plan.soakSeconds} s, RSS ${samples[0]?.rssMB.toFixed(1)} → ${samples.at(-1)?.rssMB.toFixed(1)} MB`);
    }
    if (pid) {
      await sleep(plan.idleWaitMs);
      const m = memory(pid);
      run.afterLoadRssMB = m.rssMB;
      run.peakRssMB = m.peakMB;
    }
  } catch (e) {
    run.error = e instanceof Error ? e.message : String(e);
    log(`  ${subject.name} r${repeat}: ERROR ${run.error}`);
  } finally {
    if (proc) await stop(proc);
  }
  return run;
}

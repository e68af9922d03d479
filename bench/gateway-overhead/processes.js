// @ts-check
// Child processes of the bench: started pinned to a core (taskset execs, so the pid is the program's own),
// read through /proc for RSS and CPU time, and stopped by their own pid only.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** @typedef {{ name: string, pid: number, child: import("node:child_process").ChildProcess, log: () => string, exited: () => boolean }} Proc */

/**
 * @param {{ name: string, core: number, nice: number, rt?: boolean, argv: string[], env?: Record<string, string>, cwd?: string }} o
 * @returns {Proc}
 */
export function startPinned({ name, core, nice, rt = false, argv, env, cwd }) {
  const pin = ["taskset", "-c", String(core), ...argv];
  const cmd = rt ? ["chrt", "-f", String(RT_PRIORITY), ...pin] : nice !== 0 ? ["nice", "-n", String(nice), ...pin] : pin;
  const child = spawn(/** @type {string} */ (cmd[0]), cmd.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  let exited = false;
  const keep = (/** @type {Buffer} */ b) => {
    log = (log + b.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", () => {
    exited = true;
  });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${argv.join(" ")}`);
  return { name, pid: child.pid, child, log: () => log, exited: () => exited };
}

/** SCHED_FIFO priority for --rt phases: above every normal process, below the kernel's own RT threads. */
export const RT_PRIORITY = 10;

/**
 * Moves a process's main thread to SCHED_FIFO (on) or back to SCHED_OTHER (off). Only the main thread: V8's
 * helper threads (concurrent GC, compilers) at the same FIFO priority on the same core would not be
 * time-sliced with it and could hold it off for tens of milliseconds (seen as ~50 ms p99 stalls in Node
 * gateways when every thread was moved); left at normal priority they run whenever the main thread waits.
 * @param {number} pid @param {boolean} on
 */
export function setRealtime(pid, on) {
  execFileSync("chrt", on ? ["-f", "-p", String(RT_PRIORITY), String(pid)] : ["-o", "-p", "0", String(pid)], { stdio: "ignore" });
}

/** @param {Proc} p @param {number} [graceMs] */
export async function stop(p, graceMs = 5000) {
  if (p.exited()) return;
  const gone = new Promise((resolve) => p.child.once("exit", resolve));
  p.child.kill("SIGTERM");
  const t = await Promise.race([gone.then(() => "exited"), sleep(graceMs).then(() => "timeout")]);
  if (t === "timeout") {
    p.child.kill("SIGKILL");
    await gone;
  }
}

/**
 * VmRSS and VmHWM (the peak RSS over the process's life) in MB, from /proc.
 * @param {number} pid
 */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (/** @type {string} */ key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMB: kb("VmRSS") / 1024, peakMB: kb("VmHWM") / 1024 };
}

/**
 * User + system CPU time consumed so far, in milliseconds.
 * @param {number} pid
 */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

// USER_HZ is 100 on every Linux the bench targets (getconf CLK_TCK).
const CLOCK_TICKS = 100;

/**
 * Runs a program pinned to a core to completion; resolves with its stdout (rejects on a non-zero exit).
 * @param {{ core: number, nice: number, rt?: boolean, argv: string[], timeoutMs: number }} o
 * @returns {Promise<string>}
 */
export function runPinned({ core, nice, rt, argv, timeoutMs }) {
  const p = startPinned({ name: argv[0] ?? "cmd", core, nice, rt, argv });
  let out = "";
  p.child.stdout?.on("data", (b) => {
    out += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      p.child.kill("SIGKILL");
      reject(new Error(`${argv.join(" ")}: still running after ${timeoutMs} ms`));
    }, timeoutMs);
    p.child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${argv.slice(0, 3).join(" ")} exited ${code}: ${p.log().slice(-1500)}`));
    });
  });
}

/**
 * Busy and total jiffies of each CPU from /proc/stat (busy = everything but idle and iowait), to tell how
 * much of a core the subject had while other processes on the machine also ran.
 * @returns {{ busy: number, total: number }[]}
 */
export function coreTimes() {
  /** @type {{ busy: number, total: number }[]} */
  const out = [];
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const f = /** @type {string} */ (m[2]).split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already counted in user)
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    out[Number(m[1])] = { busy: total - idle, total };
  }
  return out;
}

/**
 * Moves the machine's Redis and Postgres processes (when running) to `core` for the run, as the upstream
 * and the load generator are, so a subject that uses them is not measured with them on the gateway's core:
 * in a deployment they run on other machines. Postgres backends fork from the postmaster and inherit its
 * mask. Returns a function that restores every mask it changed.
 * @param {number} core @returns {() => void}
 */
export function pinServices(core) {
  /** @type {[number, string][]} */
  const saved = [];
  for (const name of ["redis-server", "postgres"]) {
    let pids = [];
    try {
      pids = execFileSync("pgrep", ["-x", name], { encoding: "utf8" }).trim().split("\n").filter(Boolean).map(Number);
    } catch {
      continue; // not running
    }
    for (const pid of pids) {
      try {
        const mask = execFileSync("taskset", ["-p", String(pid)], { encoding: "utf8" }).trim().split(": ").pop() ?? "";
        execFileSync("taskset", ["-a", "-cp", String(core), String(pid)], { stdio: "ignore" });
        saved.push([pid, mask]);
      } catch {
        // gone meanwhile, or not ours to move
      }
    }
  }
  return () => {
    for (const [pid, mask] of saved) {
      try {
        execFileSync("taskset", ["-a", "-p", mask, String(pid)], { stdio: "ignore" });
      } catch {
        // exited since
      }
    }
  };
}

// Thread count for llama.cpp sized from the cores this process may really use. llama.cpp's default
// (max(cores, 4)) spin-waits on oversubscribed cores: on a 2-core machine it runs about 1000x slower than
// one thread, so the default leaves one core for the event loop and everything else.
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";

/** Cores allowed by the cgroup CPU quota (containers), else by the CPU affinity mask. */
export function availableCores(): number {
  let cores = availableParallelism();
  try {
    const [quota, period] = readFileSync("/sys/fs/cgroup/cpu.max", "utf8").trim().split(/\s+/);
    if (quota !== undefined && quota !== "max" && period !== undefined) {
      const limit = Math.floor(Number(quota) / Number(period));
      if (Number.isFinite(limit) && limit >= 1) cores = Math.min(cores, limit);
    }
  } catch {
    // no cgroup v2 quota: the affinity mask is the limit
  }
  return Math.max(1, cores);
}

/** 1 thread on up to 2 cores, then all cores but one. */
export function defaultThreads(cores: number = availableCores()): number {
  return cores <= 2 ? 1 : cores - 1;
}

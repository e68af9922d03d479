// @ts-check
// A worker thread that wakes the open-loop client at each scheduled send time with sub-millisecond accuracy:
// it sleeps in Atomics.wait (a futex wait with a fractional-millisecond timeout) until ~0.1 ms before the due
// time, spins the rest, then posts the request index. The main thread stays idle in epoll between sends, so
// neither thread burns the core that nginx shares with it, and a sleeping thread wins the CPU back at once
// when it wakes (a spinning one would be time-sliced against other busy processes on a loaded machine).
import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";

/** @type {{ t0: number, interval: number, total: number }} times are performance.timeOrigin-based, in ms */
const { t0, interval, total } = workerData;
const cell = new Int32Array(new SharedArrayBuffer(4));
const now = () => performance.timeOrigin + performance.now();

for (let i = 0; i < total; i++) {
  const due = t0 + i * interval;
  let wait = due - now();
  if (wait > 0.15) Atomics.wait(cell, 0, 0, wait - 0.1);
  while (now() < due) {
    // The last ~0.1 ms: spin, since a futex timeout can overshoot by the kernel's timer slack.
  }
  parentPort?.postMessage(i);
}

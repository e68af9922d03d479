// Start-up cost of each detector module: import time and resident memory added, each in a fresh process.
import { execFileSync } from "node:child_process";

const PROBE = `const r0 = process.memoryUsage().rss; const t = performance.now();
await import(process.argv[1]);
const ms = performance.now() - t; const mb = (process.memoryUsage().rss - r0) / 1048576;
console.log(JSON.stringify({ ms, mb }));`;

export interface LoadCost {
  module: string;
  ms: number;
  mb: number;
}

/** Best of `runs` fresh imports (the machine is shared: the quickest run is the least disturbed). */
export function loadCost(module: string, cwd: string, runs = 3): LoadCost {
  let best: LoadCost = { module, ms: Infinity, mb: Infinity };
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", PROBE, module], { cwd, encoding: "utf8", timeout: 60_000 });
    const { ms, mb } = JSON.parse(out) as { ms: number; mb: number };
    best = { module, ms: Math.min(best.ms, ms), mb: Math.min(best.mb, mb) };
  }
  return best;
}

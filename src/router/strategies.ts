// Strategies order an alias's targets for one request; the router then tries them in that order.
import type { Target } from "../config/index.js";

export type Strategy = "fallback" | "round_robin" | "weighted" | "least_latency" | "by_language";

export interface LatencyView {
  /** EWMA of time to first token in ms, or undefined before any sample. */
  ewma(target: string): number | undefined;
  outstanding(target: string): number;
}

export const targetKey = (t: Target): string => `${t.backend}/${t.model}`;

function rotate<T>(items: readonly T[], start: number): T[] {
  const n = items.length;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = items[(start + i) % n]!;
  return out;
}

export class Ordering {
  private counter = 0;

  constructor(private readonly random: () => number = Math.random) {}

  order(strategy: Strategy, targets: readonly Target[], latency: LatencyView): readonly Target[] {
    if (targets.length < 2) return targets;
    switch (strategy) {
      case "fallback":
      case "by_language":
        return targets;
      case "round_robin":
        return rotate(targets, this.counter++ % targets.length);
      case "weighted": {
        // Pick the first by weight; the rest stay in order as fallbacks.
        const total = targets.reduce((s, t) => s + t.weight, 0);
        let r = this.random() * total;
        let first = 0;
        for (; first < targets.length - 1; first++) {
          r -= targets[first]!.weight;
          if (r < 0) break;
        }
        return [targets[first]!, ...targets.filter((_, i) => i !== first)];
      }
      case "least_latency": {
        // Expected wait: EWMA TTFT scaled by the requests already outstanding. Unmeasured targets go first
        // so that every target gets measured.
        const score = (t: Target) => {
          const k = targetKey(t);
          const e = latency.ewma(k);
          return e === undefined ? -1 : e * (1 + latency.outstanding(k));
        };
        return [...targets].sort((a, b) => score(a) - score(b));
      }
    }
  }
}

/** EWMA of time to first token and outstanding requests per target. */
export class LatencyTracker implements LatencyView {
  private readonly stats = new Map<string, { ewma: number | undefined; outstanding: number }>();

  constructor(private readonly alpha = 0.3) {}

  private get(target: string) {
    let s = this.stats.get(target);
    if (!s) {
      s = { ewma: undefined, outstanding: 0 };
      this.stats.set(target, s);
    }
    return s;
  }

  ewma(target: string): number | undefined {
    return this.stats.get(target)?.ewma;
  }
  outstanding(target: string): number {
    return this.stats.get(target)?.outstanding ?? 0;
  }
  start(target: string): void {
    this.get(target).outstanding++;
  }
  end(target: string): void {
    const s = this.get(target);
    s.outstanding = Math.max(0, s.outstanding - 1);
  }
  sample(target: string, ms: number): void {
    const s = this.get(target);
    s.ewma = s.ewma === undefined ? ms : this.alpha * ms + (1 - this.alpha) * s.ewma;
  }
}

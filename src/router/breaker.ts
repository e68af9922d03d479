// Circuit breaker per target: closed -> open after N consecutive failures -> half-open (one probe) after the
// cool-down -> closed on the probe's success, open again on its failure. Every transition is reported.

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerTransition {
  target: string;
  from: BreakerState;
  to: BreakerState;
  failures: number;
}

interface Entry {
  state: BreakerState;
  failures: number;
  openedAt: number;
  probing: boolean;
}

export class Breakers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly onTransition: (t: BreakerTransition) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  private entry(target: string): Entry {
    let e = this.entries.get(target);
    if (!e) {
      e = { state: "closed", failures: 0, openedAt: 0, probing: false };
      this.entries.set(target, e);
    }
    return e;
  }

  private move(target: string, e: Entry, to: BreakerState): void {
    if (e.state === to) return;
    const from = e.state;
    e.state = to;
    this.onTransition({ target, from, to, failures: e.failures });
  }

  /** True when a request may go to this target now; an open breaker past its cool-down admits one probe. */
  allow(target: string): boolean {
    const e = this.entries.get(target);
    if (!e || e.state === "closed") return true;
    if (e.state === "open") {
      if (this.now() - e.openedAt < this.cooldownMs) return false;
      this.move(target, e, "half_open");
    }
    if (e.probing) return false;
    e.probing = true;
    return true;
  }

  /** Milliseconds until an open breaker admits a probe (0 when it would now). */
  retryInMs(target: string): number {
    const e = this.entries.get(target);
    if (!e || e.state !== "open") return 0;
    return Math.max(0, this.cooldownMs - (this.now() - e.openedAt));
  }

  success(target: string): void {
    const e = this.entries.get(target);
    if (!e) return;
    e.failures = 0;
    e.probing = false;
    this.move(target, e, "closed");
  }

  failure(target: string): void {
    const e = this.entry(target);
    e.failures++;
    e.probing = false;
    if (e.state === "half_open" || (e.state === "closed" && e.failures >= this.threshold)) {
      e.openedAt = this.now();
      this.move(target, e, "open");
    }
  }

  /** A request that ended without a verdict on the target (client abort) releases a half-open probe. */
  release(target: string): void {
    const e = this.entries.get(target);
    if (e) e.probing = false;
  }

  state(target: string): BreakerState {
    const e = this.entries.get(target);
    if (e?.state === "open" && this.now() - e.openedAt >= this.cooldownMs) return "half_open";
    return e?.state ?? "closed";
  }

  snapshot(): { target: string; state: BreakerState; failures: number }[] {
    return [...this.entries].map(([target, e]) => ({ target, state: this.state(target), failures: e.failures }));
  }
}

// rpm above EXACT_RPM_MAX: counts per second for the last 60 seconds, so memory is constant however
// large the limit. At most `rpm` admissions in any window of the 60 whole seconds up to now; the exact
// ring (and Redis's exact log) would cost memory in proportion to the limit.
export const EXACT_RPM_MAX = 1000;

const SLOTS = 60;

export class SecondBuckets {
  private readonly second = new Float64Array(SLOTS).fill(-1);
  private readonly count = new Float64Array(SLOTS);
  /** Always the sum of `count`: the hot path compares it instead of summing 60 slots. */
  private total = 0;
  private lastS = Number.NEGATIVE_INFINITY;

  /** 0 when one more request fits; else ms until the oldest counted second leaves the window. */
  waitMs(rpm: number, now: number): number {
    const nowS = Math.floor(now / 1000);
    this.expire(nowS);
    if (this.total < rpm) return 0;
    let oldest = nowS;
    for (let i = 0; i < SLOTS; i++) if (this.count[i]! > 0 && this.second[i]! < oldest) oldest = this.second[i]!;
    return (oldest + SLOTS) * 1000 - now;
  }

  add(now: number): void {
    const nowS = Math.floor(now / 1000);
    this.expire(nowS);
    const i = nowS % SLOTS;
    if (this.second[i] !== nowS) {
      this.total -= this.count[i]!;
      this.second[i] = nowS;
      this.count[i] = 0;
    }
    this.count[i]!++;
    this.total++;
  }

  /** Zeroes the slots of seconds that left the window since the last call (at most 60 per call). */
  private expire(nowS: number): void {
    if (nowS <= this.lastS) return;
    if (nowS - this.lastS >= SLOTS) {
      // Idle for a minute or more: every counted second (all within lastS - 59 .. lastS) has left.
      this.count.fill(0);
      this.total = 0;
      this.lastS = nowS;
      return;
    }
    // Live seconds lie within lastS - 59 .. lastS; those up to nowS - 60 leave now.
    for (let s = this.lastS - SLOTS + 1; s <= nowS - SLOTS; s++) {
      const i = ((s % SLOTS) + SLOTS) % SLOTS;
      if (this.second[i] === s) {
        this.total -= this.count[i]!;
        this.count[i] = 0;
      }
    }
    this.lastS = nowS;
  }
}

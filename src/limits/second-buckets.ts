// rpm above EXACT_RPM_MAX: counts per second for the last 60 seconds, so memory is constant however
// large the limit. At most `rpm` admissions in any window of the 60 whole seconds up to now; the exact
// ring (and Redis's exact log) would cost memory in proportion to the limit.
export const EXACT_RPM_MAX = 1000;

const SLOTS = 60;

export class SecondBuckets {
  private readonly second = new Float64Array(SLOTS).fill(-1);
  private readonly count = new Float64Array(SLOTS);

  /** 0 when one more request fits; else ms until the oldest counted second leaves the window. */
  waitMs(rpm: number, now: number): number {
    const nowS = Math.floor(now / 1000);
    let total = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < SLOTS; i++) {
      const s = this.second[i]!;
      if (s > nowS - SLOTS && this.count[i]! > 0) {
        total += this.count[i]!;
        if (s < oldest) oldest = s;
      }
    }
    return total < rpm ? 0 : (oldest + SLOTS) * 1000 - now;
  }

  add(now: number): void {
    const nowS = Math.floor(now / 1000);
    const i = nowS % SLOTS;
    if (this.second[i] !== nowS) {
      this.second[i] = nowS;
      this.count[i] = 0;
    }
    this.count[i]!++;
  }
}

// Finds stop sequences in streamed text. Text that might be the start of a stop sequence is held back
// until the next piece shows whether it is, so a client never receives part of a stop sequence.
export interface StopResult {
  /** Text safe to emit now. */
  emit: string;
  /** True when a stop sequence was found; nothing after it is emitted. */
  stopped: boolean;
}

export class StopMatcher {
  private held = "";
  private readonly stops: string[];

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  push(text: string): StopResult {
    const buf = this.held + text;
    let first = -1;
    for (const stop of this.stops) {
      const i = buf.indexOf(stop);
      if (i >= 0 && (first < 0 || i < first)) first = i;
    }
    if (first >= 0) {
      this.held = "";
      return { emit: buf.slice(0, first), stopped: true };
    }
    const keep = this.partialSuffix(buf);
    this.held = buf.slice(buf.length - keep);
    return { emit: buf.slice(0, buf.length - keep), stopped: false };
  }

  /** The text held back at the end of generation (no stop sequence followed). */
  flush(): string {
    const rest = this.held;
    this.held = "";
    return rest;
  }

  private partialSuffix(buf: string): number {
    let keep = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, buf.length); n > keep; n--) {
        if (buf.endsWith(stop.slice(0, n))) {
          keep = n;
          break;
        }
      }
    }
    return keep;
  }
}

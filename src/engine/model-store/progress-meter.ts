// Rate and ETA over a sliding window, with reports throttled so a fast local download does not flood a terminal.
import type { PullProgress } from "./types.js";

const WINDOW_MS = 5_000;

export interface ProgressMeterOptions {
  base: Pick<PullProgress, "source" | "url" | "path">;
  onProgress?: ((p: PullProgress) => void) | undefined;
  /** Minimum interval between `downloading` reports. */
  intervalMs?: number;
  now?: () => number;
}

export class ProgressMeter {
  private readonly samples: { t: number; received: number }[] = [];
  private received = 0;
  private lastEmit = -Infinity;
  private total: number | null = null;
  private resumedFrom = 0;
  private restarted = false;
  private bytes = 0;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(private readonly opts: ProgressMeterOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.intervalMs = opts.intervalMs ?? 200;
  }

  /** A (re)started transfer: bytes already on disk and the full size if known. */
  begin(resumedFrom: number, total: number | null, restarted: boolean): void {
    this.resumedFrom = resumedFrom;
    this.total = total;
    if (restarted) this.restarted = true;
    this.bytes = resumedFrom;
    this.received = 0;
    this.samples.length = 0;
    this.samples.push({ t: this.now(), received: 0 });
    this.emit("downloading", true);
  }

  add(n: number): void {
    this.received += n;
    this.bytes += n;
    const t = this.now();
    this.samples.push({ t, received: this.received });
    while (this.samples.length > 2 && t - (this.samples[0]?.t ?? t) > WINDOW_MS) this.samples.shift();
    if (t - this.lastEmit >= this.intervalMs) this.emit("downloading", false);
  }

  emit(phase: PullProgress["phase"], force = true): void {
    if (!this.opts.onProgress) return;
    if (!force && this.now() - this.lastEmit < this.intervalMs) return;
    this.lastEmit = this.now();
    const rate = this.rate();
    const left = this.total === null ? null : Math.max(0, this.total - this.bytes);
    const report: PullProgress = {
      ...this.opts.base,
      phase,
      bytes: this.bytes,
      total: this.total,
      rate,
      etaSeconds: left === null ? null : left === 0 ? 0 : rate > 0 ? left / rate : null,
      resumedFrom: this.resumedFrom,
      restarted: this.restarted,
    };
    try {
      this.opts.onProgress(report);
    } catch {
      // A failing progress listener (a closed terminal, a console socket) must not fail the download.
    }
  }

  private rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t - first.t <= 0) return 0;
    return ((last.received - first.received) * 1000) / (last.t - first.t);
  }
}

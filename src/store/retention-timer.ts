// Runs retention on a schedule: once shortly after start, then every `everyMs`. Every replica may run it;
// pruning is idempotent and batched, so overlapping runs only repeat a cheap "nothing to delete" query.
import type { PruneOptions, PruneResult } from "./types.js";

export interface RetentionSchedule {
  usageDays: number;
  auditDays: number;
  /** Default: hourly. */
  everyMs?: number;
  /** Delay of the first run, so startup is not slowed. Default 10 s. */
  firstAfterMs?: number;
  onResult?: (result: PruneResult) => void;
  onError?: (err: unknown) => void;
}

export function scheduleRetention(store: { prune(o: PruneOptions): Promise<PruneResult> }, schedule: RetentionSchedule): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const result = await store.prune({ usageDays: schedule.usageDays, auditDays: schedule.auditDays });
      schedule.onResult?.(result);
    } catch (err) {
      schedule.onError?.(err);
    }
    if (!stopped) {
      timer = setTimeout(run, schedule.everyMs ?? 3_600_000);
      timer.unref();
    }
  };
  timer = setTimeout(run, schedule.firstAfterMs ?? 10_000);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

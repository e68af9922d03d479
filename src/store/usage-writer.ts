// Usage rows are written off the request path: record() only pushes onto an in-memory buffer; a timer
// (or a full batch) flushes the buffer in one transaction. If the database is down the rows stay buffered
// up to a bound, beyond which new rows are dropped and counted: memory never grows without limit.
// A process killed without close() loses at most the rows of the last flush interval.
import type { UsageInput, UsageWriterStats } from "./types.js";
import type { InsertUsage, UsageRow } from "./usage-insert.js";

export interface UsageWriterOptions {
  /** Flush at least this often (ms). */
  flushIntervalMs?: number;
  /** Flush as soon as this many rows are waiting. */
  batchSize?: number;
  /** Most rows held in memory while the database cannot take them. */
  maxBuffered?: number;
}

export class UsageWriter {
  private buffer: UsageRow[] = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly stats_: UsageWriterStats = { buffered: 0, written: 0, dropped: 0, flushErrors: 0, lastError: null };
  readonly flushIntervalMs: number;
  readonly batchSize: number;
  readonly maxBuffered: number;

  constructor(
    private readonly insert: InsertUsage,
    options: UsageWriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.timer = setInterval(() => void this.flush().catch(() => {}), this.flushIntervalMs);
    // The timer must not keep a finished process alive; close() flushes what is left.
    this.timer.unref();
  }

  /** Never blocks and never throws: the request path calls it after answering. */
  record(input: UsageInput): void {
    if (this.closed || this.buffer.length >= this.maxBuffered) {
      this.stats_.dropped++;
      return;
    }
    this.buffer.push(toRow(input));
    if (this.buffer.length >= this.batchSize && this.flushing === null) void this.flush().catch(() => {});
  }

  /** Writes everything buffered so far; rejects if the database refused (the rows stay buffered). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
    if (this.buffer.length === 0) return;
    this.flushing = this.write();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
    // Rows that arrived during the write may already make a full batch: keep going (only after success).
    if (this.buffer.length >= this.batchSize) await this.flush();
  }

  /**
   * Writes the rows buffered when it starts, all or none (the inserter's one transaction); rows recorded
   * meanwhile wait for the next flush. The SQLite inserter yields to the event loop between chunks.
   */
  private async write(): Promise<void> {
    const rows = this.buffer;
    this.buffer = [];
    try {
      await this.insert(rows);
      this.stats_.written += rows.length;
    } catch (err) {
      // Put the rows back in front of anything recorded meanwhile; beyond the bound the newest go, as in
      // record(), so what is kept is always the oldest contiguous run.
      const merged = rows.concat(this.buffer);
      const excess = merged.length - this.maxBuffered;
      if (excess > 0) {
        merged.length = this.maxBuffered;
        this.stats_.dropped += excess;
      }
      this.buffer = merged;
      this.stats_.flushErrors++;
      this.stats_.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  stats(): UsageWriterStats {
    return { ...this.stats_, buffered: this.buffer.length };
  }

  /** Stops the timer and writes what is left; later record() calls are counted as dropped. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }
}

function toRow(u: UsageInput): UsageRow {
  return {
    time: u.time ?? Date.now(),
    request_id: u.request_id,
    key_id: u.key_id ?? null,
    alias: u.alias ?? null,
    backend: u.backend ?? null,
    model: u.model ?? null,
    prompt_tokens: u.prompt_tokens ?? 0,
    completion_tokens: u.completion_tokens ?? 0,
    latency_ms: u.latency_ms == null ? null : Math.round(u.latency_ms),
    ttft_ms: u.ttft_ms == null ? null : Math.round(u.ttft_ms),
    status: u.status,
    policy_action: u.policy_action ?? null,
    attempts: u.attempts ?? 1,
    language: u.language ?? null,
  };
}

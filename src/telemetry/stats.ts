// Recent traffic for the console's overview: a ring of 10-second buckets (one hour), each holding counters
// and log-scale latency histograms for the whole gateway, per alias and per backend. Recording is O(1):
// an index computation, two Map lookups and a few increments; memory is bounded by the ring's length and
// a cap on distinct series per bucket. Percentiles read from the histograms are within one bin (±13%).

/**
 * What the stats need from a request record. Restated rather than picked from RequestRecord: the console
 * type-checks against this file in the browser, where the record's imports (router, config) do not belong.
 */
export interface StatsSample {
  route: string;
  target: string | null;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  ttftMs: number | null;
  promptTokens: number;
  completionTokens: number;
  attempts: readonly { target: string }[];
}

export const BUCKET_MS = 10_000;
const SLOTS = 360;
const RECENT_MS = 60_000;
/** Distinct aliases (or backends) one bucket tracks by name; the rest are counted under "(other)". */
const MAX_SERIES = 64;
export const OTHER_SERIES = "(other)";
/** A name the client made up (unknown model) must not create series: it is counted here. */
export const UNKNOWN_SERIES = "(unknown)";

// Bin i holds values v with floor(log(v + 1) / log(GROWTH)) = i; 60 bins reach past 30 minutes.
const GROWTH = 1.3;
const LOG_GROWTH = Math.log(GROWTH);
const BINS = 60;

function binOf(ms: number): number {
  const i = Math.floor(Math.log(ms > 0 ? ms + 1 : 1) / LOG_GROWTH);
  return i < BINS ? i : BINS - 1;
}

/** The middle of a bin, geometrically: what a percentile that falls in it reports. */
function binValue(i: number): number {
  return Math.max(0, GROWTH ** (i + 0.5) - 1);
}

class Cell {
  requests = 0;
  errors = 0;
  tokensIn = 0;
  tokensOut = 0;
  readonly latency = new Uint32Array(BINS);
  readonly ttft = new Uint32Array(BINS);
  ttftCount = 0;

  add(s: StatsSample, error: boolean): void {
    this.requests++;
    if (error) this.errors++;
    this.tokensIn += s.promptTokens;
    this.tokensOut += s.completionTokens;
    this.latency[binOf(s.latencyMs)]!++;
    if (s.ttftMs !== null) {
      this.ttft[binOf(s.ttftMs)]!++;
      this.ttftCount++;
    }
  }
}

class Bucket {
  start = -1;
  readonly total = new Cell();
  aliases = new Map<string, Cell>();
  backends = new Map<string, Cell>();
}

export interface StatsPoint {
  /** Start of the bucket, ms since the epoch. */
  t: number;
  requests: number;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  ttft_p50_ms: number | null;
  tokens_in: number;
  tokens_out: number;
}

export interface StatsSummary {
  requests: number;
  errors: number;
  /** Over the whole window. */
  requests_per_s: number;
  /** Over the last minute: what "now" looks like. */
  recent_requests_per_s: number;
  p50_ms: number | null;
  p95_ms: number | null;
  ttft_p50_ms: number | null;
  tokens_in: number;
  tokens_out: number;
}

export interface StatsSeries {
  bucket_ms: number;
  window_ms: number;
  from: number;
  to: number;
  summary: StatsSummary;
  total: StatsPoint[];
  by_alias: Record<string, StatsPoint[]>;
  by_backend: Record<string, StatsPoint[]>;
}

/** Errors as the overview shows them: failures the client saw, not the client's own hang-ups (499). */
export const isErrorStatus = (status: number): boolean => status >= 400 && status !== 499;

/** The backend part of "backend/model", or of the last attempt when nothing answered. */
export function backendOf(s: StatsSample): string {
  const target = s.target ?? s.attempts[s.attempts.length - 1]?.target;
  if (!target) return "(none)";
  const slash = target.indexOf("/");
  return slash < 0 ? target : target.slice(0, slash);
}

export class TrafficStats {
  private readonly ring: Bucket[] = Array.from({ length: SLOTS }, () => new Bucket());

  constructor(private readonly now: () => number = Date.now) {}

  /** The longest window `series` can answer. */
  static readonly maxWindowMs = SLOTS * BUCKET_MS;

  record(s: StatsSample): void {
    const now = this.now();
    const start = now - (now % BUCKET_MS);
    const slot = (start / BUCKET_MS) % SLOTS;
    const b = this.ring[slot]!;
    if (b.start !== start) {
      b.start = start;
      resetCell(b.total);
      b.aliases = new Map();
      b.backends = new Map();
    }
    const error = isErrorStatus(s.status);
    b.total.add(s, error);
    const alias = s.errorCode === "model_not_found" ? UNKNOWN_SERIES : s.route || UNKNOWN_SERIES;
    cellFor(b.aliases, alias).add(s, error);
    cellFor(b.backends, backendOf(s)).add(s, error);
  }

  series(windowMs: number): StatsSeries {
    const window = Math.min(Math.max(windowMs, BUCKET_MS), TrafficStats.maxWindowMs);
    const now = this.now();
    const last = now - (now % BUCKET_MS);
    const count = Math.ceil(window / BUCKET_MS);
    const first = last - (count - 1) * BUCKET_MS;
    const buckets: (Bucket | undefined)[] = [];
    const aliasNames = new Set<string>();
    const backendNames = new Set<string>();
    for (let t = first; t <= last; t += BUCKET_MS) {
      const b = this.ring[(t / BUCKET_MS) % SLOTS]!;
      const live = b.start === t ? b : undefined;
      buckets.push(live);
      if (live) {
        for (const k of live.aliases.keys()) aliasNames.add(k);
        for (const k of live.backends.keys()) backendNames.add(k);
      }
    }
    const points = (pick: (b: Bucket) => Cell | undefined) => buckets.map((b, i) => point(first + i * BUCKET_MS, b && pick(b)));
    const byName = (names: Set<string>, map: (b: Bucket) => Map<string, Cell>) => {
      const out: Record<string, StatsPoint[]> = {};
      for (const name of [...names].sort()) out[name] = points((b) => map(b).get(name));
      return out;
    };
    const merged = new Cell();
    for (const b of buckets) if (b) mergeInto(merged, b.total);
    // The current bucket is still filling: rates count only the part of it that has elapsed.
    const elapsedMs = (count - 1) * BUCKET_MS + (now - last);
    const recentBuckets = Math.min(count, RECENT_MS / BUCKET_MS);
    let recent = 0;
    for (let i = count - recentBuckets; i < count; i++) recent += buckets[i]?.total.requests ?? 0;
    const recentMs = (recentBuckets - 1) * BUCKET_MS + (now - last);
    return {
      bucket_ms: BUCKET_MS,
      window_ms: count * BUCKET_MS,
      from: first,
      to: last + BUCKET_MS,
      summary: {
        requests: merged.requests,
        errors: merged.errors,
        requests_per_s: elapsedMs > 0 ? merged.requests / (elapsedMs / 1000) : 0,
        recent_requests_per_s: recentMs > 0 ? recent / (recentMs / 1000) : 0,
        p50_ms: percentile(merged.latency, merged.requests, 0.5),
        p95_ms: percentile(merged.latency, merged.requests, 0.95),
        ttft_p50_ms: percentile(merged.ttft, merged.ttftCount, 0.5),
        tokens_in: merged.tokensIn,
        tokens_out: merged.tokensOut,
      },
      total: points((b) => b.total),
      by_alias: byName(aliasNames, (b) => b.aliases),
      by_backend: byName(backendNames, (b) => b.backends),
    };
  }
}

function resetCell(c: Cell): void {
  c.requests = 0;
  c.errors = 0;
  c.tokensIn = 0;
  c.tokensOut = 0;
  c.latency.fill(0);
  c.ttft.fill(0);
  c.ttftCount = 0;
}

function cellFor(map: Map<string, Cell>, name: string): Cell {
  let c = map.get(name);
  if (c) return c;
  const key = map.size < MAX_SERIES ? name : OTHER_SERIES;
  c = map.get(key);
  if (!c) {
    c = new Cell();
    map.set(key, c);
  }
  return c;
}

function mergeInto(into: Cell, from: Cell): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.tokensIn += from.tokensIn;
  into.tokensOut += from.tokensOut;
  into.ttftCount += from.ttftCount;
  for (let i = 0; i < BINS; i++) {
    into.latency[i]! += from.latency[i]!;
    into.ttft[i]! += from.ttft[i]!;
  }
}

/** The value below which `q` of the `n` samples in the histogram fall (null when empty). */
export function percentile(hist: Uint32Array, n: number, q: number): number | null {
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (let i = 0; i < BINS; i++) {
    seen += hist[i]!;
    if (seen >= rank) return Math.round(binValue(i) * 10) / 10;
  }
  return Math.round(binValue(BINS - 1));
}

function point(t: number, c: Cell | undefined): StatsPoint {
  if (!c || c.requests === 0) return { t, requests: 0, errors: 0, p50_ms: null, p95_ms: null, ttft_p50_ms: null, tokens_in: 0, tokens_out: 0 };
  return {
    t,
    requests: c.requests,
    errors: c.errors,
    p50_ms: percentile(c.latency, c.requests, 0.5),
    p95_ms: percentile(c.latency, c.requests, 0.95),
    ttft_p50_ms: percentile(c.ttft, c.ttftCount, 0.5),
    tokens_in: c.tokensIn,
    tokens_out: c.tokensOut,
  };
}

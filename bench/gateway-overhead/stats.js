// @ts-check
// Order statistics for latency samples and for the medians across repeats.

/**
 * Nearest-rank percentile of an ascending array (q in [0, 100]); NaN when empty.
 * @param {ArrayLike<number>} sorted
 * @param {number} q
 */
export function percentile(sorted, q) {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((q / 100) * n)));
  return /** @type {number} */ (sorted[rank - 1]);
}

/**
 * Median of the finite values (mean of the two middle ones for an even count); NaN when none.
 * @param {readonly (number | null | undefined)[]} values
 */
export function median(values) {
  const xs = /** @type {number[]} */ (values.filter((v) => typeof v === "number" && Number.isFinite(v))).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 === 1 ? /** @type {number} */ (xs[mid]) : (/** @type {number} */ (xs[mid - 1]) + /** @type {number} */ (xs[mid])) / 2;
}

/**
 * @typedef {{ count: number, mean: number, p50: number, p90: number, p99: number, p999: number, max: number }} Summary
 */

/**
 * Summary of unsorted samples (milliseconds in, milliseconds out).
 * @param {number[]} samples
 * @returns {Summary}
 */
export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length ? /** @type {number} */ (sorted[sorted.length - 1]) : Number.NaN,
  };
}

/**
 * Least-squares slope of y over x (units of y per unit of x); NaN with fewer than two points.
 * @param {readonly number[]} xs
 * @param {readonly number[]} ys
 */
export function slope(xs, ys) {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += /** @type {number} */ (xs[i]);
    my += /** @type {number} */ (ys[i]);
  }
  mx /= n;
  my /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = /** @type {number} */ (xs[i]) - mx;
    num += dx * (/** @type {number} */ (ys[i]) - my);
    den += dx * dx;
  }
  return den === 0 ? Number.NaN : num / den;
}

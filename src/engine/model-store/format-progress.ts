// Human forms of sizes, rates and ETAs for the terminal progress line and `inhouse models`.
import type { PullProgress } from "./types.js";

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${r}` : `${m}:${r}`;
}

/** `312 MB / 639 MB  48.9%  12.3 MB/s  ETA 0:27` (parts that are unknown are left out). */
export function formatProgressLine(p: PullProgress): string {
  const parts = [p.total !== null ? `${formatBytes(p.bytes)} / ${formatBytes(p.total)}` : formatBytes(p.bytes)];
  if (p.total) parts.push(`${((100 * p.bytes) / p.total).toFixed(1)}%`);
  if (p.rate > 0) parts.push(`${formatBytes(p.rate)}/s`);
  if (p.etaSeconds !== null && p.phase === "downloading") parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  if (p.resumedFrom > 0 && !p.restarted) parts.push(`(resumed at ${formatBytes(p.resumedFrom)})`);
  if (p.restarted) parts.push("(server ignored resume; restarted)");
  return parts.join("  ");
}

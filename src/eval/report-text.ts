// Terminal tables: accuracy model × language, then latency and tokens per model; and a run comparison.
import type { RunComparison } from "./compare.js";
import type { EvalRun } from "./types.js";

const pct = (x: number | null): string => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, c) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[c] ?? ""))));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? pad(cell, widths[c] ?? 0, "end") : pad(cell, widths[c] ?? 0, "start"))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Wide (CJK) characters take two terminal columns. */
function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, width: number, side: "start" | "end"): string {
  const fill = " ".repeat(Math.max(0, width - stringWidth(s)));
  return side === "start" ? fill + s : s + fill;
}

export function formatRunTable(run: EvalRun): string {
  const accuracy = table(
    ["model", ...run.langs, "all"],
    run.models.map((m) => [
      m,
      ...run.langs.map((l) => {
        const c = run.summary.byModelLang[m]?.[l];
        return c === undefined || c.n === 0 ? "—" : pct(c.accuracy);
      }),
      pct(run.summary.byModel[m]?.accuracy ?? null),
    ]),
  );
  const perf = table(
    ["model", "items", "errors", "p50 ms", "p95 ms", "prompt tok", "completion tok", "tok/answer"],
    run.models.map((m) => {
      const s = run.summary.byModel[m];
      if (s === undefined) return [m, "0", "0", "—", "—", "—", "—", "—"];
      return [m, String(s.n), String(s.errors), String(Math.round(s.latencyMs.p50)), String(Math.round(s.latencyMs.p95)), String(s.tokens.prompt), String(s.tokens.completion), s.tokens.meanCompletion.toFixed(0)];
    }),
  );
  return `Run ${run.runId} — suite ${run.suite}\n\nAccuracy\n${accuracy}\n\nLatency and tokens\n${perf}\n`;
}

export function formatComparison(c: RunComparison): string {
  const rows = c.cells.map((x) => [x.model, x.lang, pct(x.a), pct(x.b), x.delta === null ? "—" : `${x.delta >= 0 ? "+" : ""}${(x.delta * 100).toFixed(1)}`]);
  const flips = c.flipped.length === 0 ? "no item changed verdict" : `${c.flipped.length} items changed verdict (${c.flipped.filter((f) => f.after).length} now right, ${c.flipped.filter((f) => !f.after).length} now wrong)`;
  return `${table(["model", "lang", c.a, c.b, "Δ pts"], rows)}\n\n${flips}\n`;
}

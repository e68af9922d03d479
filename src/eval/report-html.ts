// A self-contained HTML report (inline CSS, no scripts, no external assets) so it can be mailed, archived
// or opened offline: accuracy heatmap model × language, latency and tokens per model, the items the
// models missed most with their answers.
import { bestModelPerLanguage } from "./summary.js";
import type { EvalRun, ItemResult } from "./types.js";

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
/** Red at 0 through amber to green at 1; light enough for dark text. */
const heat = (x: number): string => `hsl(${Math.round(x * 120)}, 65%, ${78 - Math.round(x * 8)}%)`;
const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

function heatmap(run: EvalRun): string {
  const best = bestModelPerLanguage(run);
  const head = `<tr><th>model</th>${run.langs.map((l) => `<th>${esc(l)}</th>`).join("")}<th>all</th></tr>`;
  const rows = run.models.map((m) => {
    const cells = run.langs.map((l) => {
      const c = run.summary.byModelLang[m]?.[l];
      if (c === undefined || c.n === 0) return `<td class="none">—</td>`;
      const mark = best[l] === m ? ` class="best" title="best for ${esc(l)}"` : "";
      return `<td${mark} style="background:${heat(c.accuracy)}"><b>${pct(c.accuracy)}</b><small>${c.correct}/${c.n}${c.errors ? ` · ${c.errors} err` : ""}</small></td>`;
    });
    const all = run.summary.byModel[m];
    return `<tr><th>${esc(m)}</th>${cells.join("")}<td style="background:${heat(all?.accuracy ?? 0)}"><b>${pct(all?.accuracy ?? 0)}</b><small>${all?.correct ?? 0}/${all?.n ?? 0}</small></td></tr>`;
  });
  const bestRow = `<tr class="bestrow"><th>best</th>${run.langs.map((l) => `<td>${esc(best[l] ?? "—")}</td>`).join("")}<td></td></tr>`;
  return `<table class="heat">${head}${rows.join("")}${bestRow}</table>`;
}

function bars(run: EvalRun): string {
  const stats = run.models.map((m) => ({ m, s: run.summary.byModel[m] }));
  const maxLat = Math.max(1, ...stats.map((x) => x.s?.latencyMs.p95 ?? 0));
  const maxTok = Math.max(1, ...stats.map((x) => x.s?.tokens.meanCompletion ?? 0));
  const rows = stats.map(({ m, s }) => {
    const p50 = s?.latencyMs.p50 ?? 0;
    const p95 = s?.latencyMs.p95 ?? 0;
    const tok = s?.tokens.meanCompletion ?? 0;
    return `<tr><th>${esc(m)}</th>
<td><div class="bar"><span class="p95" style="width:${(100 * p95) / maxLat}%"></span><span class="p50" style="width:${(100 * p50) / maxLat}%"></span></div>${Math.round(p50)} / ${Math.round(p95)} ms</td>
<td><div class="bar"><span class="tok" style="width:${(100 * tok) / maxTok}%"></span></div>${tok.toFixed(0)}</td>
<td class="num">${s?.tokens.prompt ?? 0}</td><td class="num">${s?.tokens.completion ?? 0}</td><td class="num">${s?.errors ?? 0}</td></tr>`;
  });
  return `<table class="perf"><tr><th>model</th><th>latency p50 / p95</th><th>completion tokens per answer</th><th>prompt tokens</th><th>completion tokens</th><th>errors</th></tr>${rows.join("")}</table>`;
}

/** Items most models missed, worst first: the questions to read when a language scores low. */
function worstItems(run: EvalRun, limit: number): string {
  const groups = new Map<string, ItemResult[]>();
  for (const r of run.items) {
    const key = `${r.lang}\u0000${r.itemId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const ranked = [...groups.values()]
    .filter((g) => g.some((r) => !r.correct))
    .sort((x, y) => x.reduce((s, r) => s + r.score, 0) / x.length - y.reduce((s, r) => s + r.score, 0) / y.length)
    .slice(0, limit);
  if (ranked.length === 0) return "<p>Every item was answered correctly by every model.</p>";
  return ranked
    .map((g) => {
      const first = g[0] as ItemResult;
      const answers = g
        .map((r) => {
          const got = r.error !== undefined ? `error: ${r.error}` : (r.extracted ?? "");
          return `<tr class="${r.correct ? "ok" : "bad"}"><td>${r.correct ? "✓" : "✗"}</td><th>${esc(r.model)}</th><td class="num">${esc(got)}</td><td><pre>${esc(cut(r.answer, 600))}</pre></td></tr>`;
        })
        .join("");
      return `<section class="item"><h3>${esc(first.lang)} · ${esc(first.itemId)} <small>expected <b>${esc(first.expected)}</b></small></h3><pre class="prompt">${esc(cut(first.prompt, 800))}</pre><table class="answers">${answers}</table></section>`;
    })
    .join("\n");
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Noto Sans Thai",sans-serif;margin:24px;color:#1d232b;background:#fafbfc}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}.meta{color:#5b6573}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #dde2e8;padding:6px 10px;text-align:left;vertical-align:top}
table.heat td{text-align:center;min-width:76px}table.heat td b{display:block;font-size:15px}table.heat td small{color:#333a}
table.heat td.best{outline:3px solid #1d232b;outline-offset:-3px}tr.bestrow td{font-size:12px;color:#5b6573;text-align:center}
td.none{color:#aab}.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{position:relative;width:220px;height:10px;background:#eef1f4;border-radius:3px;margin:3px 0}.bar span{position:absolute;left:0;top:0;height:100%;border-radius:3px}
.p95{background:#b7c9e2}.p50{background:#3d6fb3}.tok{background:#7a9a5c}
section.item{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:8px 12px;margin:10px 0}section.item h3{font-size:14px;margin:2px 0 6px}
pre{white-space:pre-wrap;word-break:break-word;margin:0;font:12px/1.4 ui-monospace,monospace}pre.prompt{background:#f4f6f8;padding:6px;border-radius:4px;margin-bottom:6px}
tr.ok td:first-child{color:#1b7a3a}tr.bad td:first-child{color:#b3261e}table.answers{width:100%}`;

export function renderHtmlReport(run: EvalRun, options: { title?: string; worstItems?: number } = {}): string {
  const title = options.title ?? `inhouse eval · ${run.suite}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">run ${esc(run.runId)} · ${esc(run.startedAt)} → ${esc(run.finishedAt)} · ${run.models.length} models × ${run.langs.length} languages · ${run.items.length} answers</p>
<h2>Accuracy by model and language</h2>
${heatmap(run)}
<p class="meta">Share of items answered correctly (correct/total). Outlined: the best model for that language, the target <code>from_eval</code> routes it to.</p>
<h2>Latency and tokens per model</h2>
${bars(run)}
<p class="meta">Latency bars: dark to the median, light to the 95th percentile, as measured when each answer was first produced (cached answers keep their original time).</p>
<h2>Items missed most</h2>
${worstItems(run, options.worstItems ?? 20)}
</body></html>
`;
}

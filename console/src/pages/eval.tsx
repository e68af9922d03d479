// Past `inhouse eval` runs: accuracy per model and language, latency, and the full report.
import { useState } from "react";
import { apiText, fmtMs, fmtTime } from "../api.js";
import type { EvalRunSummary } from "../types.js";
import { useData } from "../use-data.js";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function EvalPage() {
  const { data, error } = useData<{ dir: string; runs: EvalRunSummary[] }>("/admin/eval");
  const [open, setOpen] = useState<string | null>(null);
  const [html, setHtml] = useState<string | null>(null);
  if (!data) return error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>;
  if (data.runs.length === 0) {
    return (
      <p className="muted">
        No eval runs yet. Run <code>inhouse eval</code> to compare models on your languages; its reports land in <code>{data.dir}</code>.
      </p>
    );
  }
  const run = data.runs.find((r) => r.run_id === open) ?? data.runs[0]!;
  return (
    <div className="eval">
      <aside className="card runs">
        <h2>Runs</h2>
        <ul>
          {data.runs.map((r) => (
            <li key={r.run_id}>
              <button
                className={`link${r === run ? " active" : ""}`}
                onClick={() => {
                  setOpen(r.run_id);
                  setHtml(null);
                }}
              >
                {r.suite} · {fmtTime(r.started_at)}
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section>
        <h2>
          {run.suite} <span className="muted small">{run.run_id}</span>
        </h2>
        <p className="muted">
          {run.items} answers · {run.models.length} models · languages {run.langs.join(", ")}
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Accuracy</th>
                {run.langs.map((l) => (
                  <th key={l} className="num">
                    {l}
                  </th>
                ))}
                <th className="num">Latency p50</th>
                <th className="num">Errors</th>
              </tr>
            </thead>
            <tbody>
              {run.models.map((m) => {
                const s = run.by_model[m];
                return (
                  <tr key={m}>
                    <td className="mono">{m}</td>
                    <td className="num">{s ? pct(s.accuracy) : "—"}</td>
                    {run.langs.map((l) => {
                      const c = run.by_model_lang[m]?.[l];
                      return (
                        <td key={l} className="num">
                          {c ? pct(c.accuracy) : "—"}
                        </td>
                      );
                    })}
                    <td className="num">{s ? fmtMs(s.latencyMs.p50) : "—"}</td>
                    <td className="num">{s?.errors ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {html === null ? (
          <button className="secondary" onClick={() => void apiText(`/admin/eval/${encodeURIComponent(run.run_id)}/html`).then(setHtml, (e: unknown) => setHtml(`<p>${String(e)}</p>`))}>
            Show the full report
          </button>
        ) : (
          <iframe className="report" title="Eval report" sandbox="" srcDoc={html} />
        )}
      </section>
    </div>
  );
}

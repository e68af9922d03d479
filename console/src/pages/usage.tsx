// Usage totals by key, model or day, from the store's usage records.
import { useState } from "react";
import { fmtNum } from "../api.js";
import { BarList } from "../components/line-chart.js";
import type { KeyRecord, UsageRow } from "../types.js";
import { useData } from "../use-data.js";

const SINCE = [
  { value: "24h", label: "last 24 hours" },
  { value: "7d", label: "last 7 days" },
  { value: "30d", label: "last 30 days" },
  { value: "", label: "all time" },
];

export function UsagePage() {
  const [groupBy, setGroupBy] = useState<"key" | "model" | "day">("model");
  const [since, setSince] = useState("7d");
  const { data, error } = useData<{ rows: UsageRow[] }>(`/admin/usage?group_by=${groupBy}${since ? `&since=${since}` : ""}`, 10_000);
  const keys = useData<{ keys: KeyRecord[] }>("/admin/keys?include_revoked=true").data;
  const keyName = (id: string | null | undefined) => (id === "admin" ? "admin key" : (keys?.keys.find((k) => k.id === id)?.name ?? id ?? "—"));
  const label = (r: UsageRow) => (groupBy === "key" ? keyName(r.key_id) : groupBy === "model" ? (r.model ?? "(no answer)") : (r.day ?? ""));
  const rows = data?.rows ?? [];
  const total = rows.reduce((a, r) => ({ requests: a.requests + r.requests, p: a.p + r.prompt_tokens, c: a.c + r.completion_tokens }), { requests: 0, p: 0, c: 0 });
  return (
    <>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Group by">
          {(["key", "model", "day"] as const).map((g) => (
            <button key={g} className={g === groupBy ? "on" : ""} onClick={() => setGroupBy(g)}>
              by {g}
            </button>
          ))}
        </div>
        <select value={since} onChange={(e) => setSince(e.target.value)} aria-label="Since">
          {SINCE.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        {error ? <span className="error">{error}</span> : null}
      </div>
      <p className="muted">Usage is written in batches, so the last few seconds may not show yet.</p>
      {rows.length ? <BarList rows={rows.map((r) => ({ label: label(r), value: r.prompt_tokens + r.completion_tokens }))} format={(v) => `${fmtNum(v)} tokens`} /> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{groupBy === "key" ? "Key" : groupBy === "model" ? "Model" : "Day (UTC)"}</th>
              <th className="num">Requests</th>
              <th className="num">Prompt tokens</th>
              <th className="num">Completion tokens</th>
              <th className="num">Total tokens</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No usage in this period.
                </td>
              </tr>
            ) : null}
            {rows.map((r) => (
              <tr key={label(r)}>
                <td className="mono">{label(r)}</td>
                <td className="num">{fmtNum(r.requests)}</td>
                <td className="num">{fmtNum(r.prompt_tokens)}</td>
                <td className="num">{fmtNum(r.completion_tokens)}</td>
                <td className="num">{fmtNum(r.prompt_tokens + r.completion_tokens)}</td>
              </tr>
            ))}
          </tbody>
          {rows.length > 1 ? (
            <tfoot>
              <tr>
                <th>Total</th>
                <th className="num">{fmtNum(total.requests)}</th>
                <th className="num">{fmtNum(total.p)}</th>
                <th className="num">{fmtNum(total.c)}</th>
                <th className="num">{fmtNum(total.p + total.c)}</th>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </>
  );
}

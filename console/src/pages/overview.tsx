// Traffic at a glance: totals for the window and charts per alias or per backend, refreshed every 5 s.
import { useState } from "react";
import { fmtMs, fmtNum } from "../api.js";
import { LineChart, type Series } from "../components/line-chart.js";
import type { StatsPoint, StatsSeries } from "../types.js";
import { useData } from "../use-data.js";

const WINDOWS = ["5m", "15m", "1h"] as const;
const axisMs = (v: number) => (v === 0 ? "0" : fmtMs(v));
const axisNum = (v: number) => (v === 0 ? "0" : v < 10 ? String(Number(v.toFixed(2))) : fmtNum(v));

function seriesOf(groups: Record<string, StatsPoint[]>, pick: (p: StatsPoint) => number | null): Series[] {
  return Object.entries(groups).map(([name, points]) => ({ name, values: points.map(pick) }));
}

export function OverviewPage() {
  const [window, setWindow] = useState<(typeof WINDOWS)[number]>("15m");
  const [by, setBy] = useState<"alias" | "backend">("alias");
  const { data, error } = useData<StatsSeries>(`/admin/stats?window=${window}`, 5000);
  if (!data) return error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>;
  const s = data.summary;
  const times = data.total.map((p) => p.t);
  const groups = by === "alias" ? data.by_alias : data.by_backend;
  const perSecond = (p: StatsPoint) => p.requests / (data.bucket_ms / 1000);
  return (
    <>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Window">
          {WINDOWS.map((w) => (
            <button key={w} className={w === window ? "on" : ""} onClick={() => setWindow(w)}>
              {w}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Group by">
          <button className={by === "alias" ? "on" : ""} onClick={() => setBy("alias")}>
            by alias
          </button>
          <button className={by === "backend" ? "on" : ""} onClick={() => setBy("backend")}>
            by backend
          </button>
        </div>
        {error ? <span className="error">{error}</span> : null}
      </div>
      <div className="cards">
        <Stat label="Requests/s" value={s.recent_requests_per_s.toFixed(2)} note={`last minute · ${fmtNum(s.requests)} in ${window}`} />
        <Stat label="Latency p50" value={fmtMs(s.p50_ms)} note={`p95 ${fmtMs(s.p95_ms)}`} />
        <Stat label="TTFT p50" value={fmtMs(s.ttft_p50_ms)} note="time to first token, streamed" />
        <Stat label="Tokens" value={fmtNum(s.tokens_in + s.tokens_out)} note={`${fmtNum(s.tokens_in)} in · ${fmtNum(s.tokens_out)} out`} />
        <Stat label="Errors" value={fmtNum(s.errors)} note={s.requests ? `${((100 * s.errors) / s.requests).toFixed(1)}% of requests` : "no traffic"} warn={s.errors > 0} />
      </div>
      {s.requests === 0 ? <p className="muted">No traffic in this window yet. Requests to /v1 show up here within seconds.</p> : null}
      <div className="charts">
        <LineChart title={`Requests/s ${by === "alias" ? "per alias" : "per backend"}`} times={times} series={seriesOf(groups, perSecond)} format={axisNum} />
        <LineChart
          title="Latency (all requests)"
          times={times}
          series={[
            { name: "p50", values: data.total.map((p) => p.p50_ms) },
            { name: "p95", values: data.total.map((p) => p.p95_ms) },
          ]}
          format={axisMs}
        />
        <LineChart title={`Time to first token p50 ${by === "alias" ? "per alias" : "per backend"}`} times={times} series={seriesOf(groups, (p) => p.ttft_p50_ms)} format={axisMs} />
        <LineChart
          title="Tokens per 10 s"
          times={times}
          series={[
            { name: "in (prompt)", values: data.total.map((p) => p.tokens_in) },
            { name: "out (completion)", values: data.total.map((p) => p.tokens_out) },
          ]}
          format={(v) => fmtNum(v)}
        />
        <LineChart title={`Errors per 10 s ${by === "alias" ? "per alias" : "per backend"}`} times={times} series={seriesOf(groups, (p) => p.errors)} format={axisNum} />
      </div>
    </>
  );
}

function Stat({ label, value, note, warn }: { label: string; value: string; note: string; warn?: boolean }) {
  return (
    <div className={`card stat${warn ? " warn" : ""}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      <div className="stat-note">{note}</div>
    </div>
  );
}

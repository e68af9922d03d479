// A small multi-series line chart drawn as inline SVG: no chart library, nothing loaded from elsewhere.
// Gaps (null) break the line and a lone point is drawn as a dot; the y axis starts at zero and ends at a
// rounded maximum. The SVG is drawn at its measured width, so text and dots are never stretched.
import { useEffect, useRef, useState } from "react";

export interface Series {
  name: string;
  values: (number | null)[];
  color?: string;
}

export const PALETTE = ["#2563eb", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#dc2626", "#4b5563"];

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

const H = 170;
const PAD = { l: 44, r: 8, t: 8, b: 22 };

function useWidth(): [React.RefObject<HTMLElement | null>, number] {
  const ref = useRef<HTMLElement | null>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(200, Math.round(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function LineChart({ title, times, series, format }: { title: string; times: number[]; series: Series[]; format: (v: number) => string }) {
  const [ref, W] = useWidth();
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const n = Math.max(times.length, 2);
  const x = (i: number) => PAD.l + (i / (n - 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);
  const label = (t: number | undefined) => (t === undefined ? "" : new Date(t).toTimeString().slice(0, 5));
  const paths = series.map((s) => {
    let line = "";
    let dots = "";
    s.values.forEach((v, i) => {
      if (v === null) return;
      const at = `${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      const joined = i > 0 && s.values[i - 1] !== null;
      line += `${joined ? "L" : "M"}${at}`;
      if (!joined && (i === s.values.length - 1 || s.values[i + 1] === null)) dots += `M${at}h0`;
    });
    return { line, dots };
  });
  return (
    <figure className="chart" ref={ref}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(max * f)} y2={y(max * f)} className="grid" />
            <text x={PAD.l - 4} y={y(max * f) + 4} textAnchor="end" className="axis">
              {format(max * f)}
            </text>
          </g>
        ))}
        <text x={PAD.l} y={H - 4} className="axis">
          {label(times[0])}
        </text>
        <text x={(PAD.l + W - PAD.r) / 2} y={H - 4} textAnchor="middle" className="axis">
          {label(times[Math.floor(times.length / 2)])}
        </text>
        <text x={W - PAD.r} y={H - 4} textAnchor="end" className="axis">
          {label(times[times.length - 1])}
        </text>
        {paths.map((p, i) => {
          const color = series[i]!.color ?? PALETTE[i % PALETTE.length];
          return (
            <g key={series[i]!.name}>
              <path d={p.line} fill="none" stroke={color} strokeWidth={2} strokeLinejoin="round" />
              <path d={p.dots} fill="none" stroke={color} strokeWidth={6} strokeLinecap="round" />
            </g>
          );
        })}
      </svg>
      {series.length > 1 || series[0]?.name ? (
        <ul className="legend">
          {series.map((s, i) => (
            <li key={s.name}>
              <span className="swatch" style={{ background: s.color ?? PALETTE[i % PALETTE.length] }} />
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}

/** Horizontal bars for tables of totals (usage by key, model or day). */
export function BarList({ rows, format }: { rows: { label: string; value: number }[]; format: (v: number) => string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <div className="bars">
      {rows.map((r) => (
        <div className="bar-row" key={r.label}>
          <span className="bar-label" title={r.label}>
            {r.label}
          </span>
          <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="bar">
            <rect x="0" y="0" width={(r.value / max) * 100} height="10" rx="1.5" />
          </svg>
          <span className="bar-value">{format(r.value)}</span>
        </div>
      ))}
    </div>
  );
}

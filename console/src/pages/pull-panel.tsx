// Pull a model into the data dir with a live progress bar; list what has been pulled. The download runs in
// the gateway; leaving the page stops it and pulling again resumes where it stopped.
import { useRef, useState, type FormEvent } from "react";
import { fmtBytes, fmtTime, postEvents } from "../api.js";
import { useData } from "../use-data.js";

interface Progress {
  phase: string;
  bytes: number;
  total: number | null;
  rate: number;
  eta_seconds: number | null;
}

interface Pulled {
  name: string;
  source: string;
  path: string;
  size: number;
  sha256: string;
  pulled_at: string;
  verified_by: string;
}

export interface PullState {
  source: string;
  progress: Progress | null;
  done: Pulled | null;
  error: string | null;
}

export function usePull(onDone: () => void) {
  const [state, setState] = useState<PullState | null>(null);
  const abort = useRef<AbortController | null>(null);
  const start = async (source: string) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ source, progress: null, done: null, error: null });
    try {
      await postEvents(
        "/admin/models/pull",
        { model: source },
        (event, data) => {
          const parsed = JSON.parse(data) as Progress & Pulled & { error?: { message: string } };
          if (event === "progress") setState((s) => s && { ...s, progress: parsed });
          else if (event === "done") setState((s) => s && { ...s, done: parsed });
          else if (event === "error") setState((s) => s && { ...s, error: parsed.error?.message ?? "failed" });
        },
        controller.signal,
      );
      onDone();
    } catch (err) {
      if (!controller.signal.aborted) setState((s) => s && { ...s, error: err instanceof Error ? err.message : String(err) });
    }
  };
  const stop = () => {
    abort.current?.abort();
    setState((s) => s && { ...s, error: "Stopped. Pull again to resume." });
  };
  return { state, start, stop };
}

function ProgressBar({ state, onStop }: { state: PullState; onStop: () => void }) {
  const p = state.progress;
  const running = !state.done && !state.error;
  const fraction = state.done ? 1 : p?.total ? p.bytes / p.total : 0;
  return (
    <div className="pull-progress" data-testid="pull-progress">
      <div className="inline">
        <strong className="mono">{state.source}</strong>
        <span className="muted">
          {state.done
            ? `done · ${fmtBytes(state.done.size)} · sha256 ${state.done.sha256.slice(0, 12)}… (${state.done.verified_by === "none" ? "no published hash" : `checked against the ${state.done.verified_by}`})`
            : state.error
              ? ""
              : p
                ? `${p.phase} · ${fmtBytes(p.bytes)}${p.total ? ` of ${fmtBytes(p.total)}` : ""}${p.rate ? ` · ${fmtBytes(p.rate)}/s` : ""}${p.eta_seconds !== null && p.phase === "downloading" ? ` · ${Math.ceil(p.eta_seconds)} s left` : ""}`
                : "starting…"}
        </span>
        {running ? (
          <button className="link" onClick={onStop}>
            Stop
          </button>
        ) : null}
      </div>
      <svg viewBox="0 0 100 6" preserveAspectRatio="none" className="progress" role="progressbar" aria-valuenow={Math.round(fraction * 100)} aria-valuemin={0} aria-valuemax={100}>
        <rect x="0" y="0" width="100" height="6" className="track" />
        <rect x="0" y="0" width={fraction * 100} height="6" className={state.error ? "fill failed" : "fill"} />
      </svg>
      {state.error ? <p className="error">{state.error}</p> : null}
    </div>
  );
}

export function PullPanel({ pull }: { pull: ReturnType<typeof usePull> }) {
  const [source, setSource] = useState("");
  const pulled = useData<{ models: Pulled[] }>(`/admin/models/pulled?v=${pull.state?.done ? pull.state.done.sha256 : ""}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (source.trim()) void pull.start(source.trim());
  };
  return (
    <section>
      <h2>Pull a model</h2>
      <form className="toolbar" onSubmit={submit}>
        <input name="pull-source" aria-label="Model to pull" placeholder="catalog name (qwen3-0.6b), hf:org/repo/file.gguf or URL" value={source} onChange={(e) => setSource(e.target.value)} className="wide" />
        <button type="submit" disabled={!source.trim()}>
          Pull
        </button>
      </form>
      {pull.state ? <ProgressBar state={pull.state} onStop={pull.stop} /> : null}
      {pulled.data && pulled.data.models.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Downloaded</th>
                <th>Source</th>
                <th className="num">Size</th>
                <th>sha256</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {pulled.data.models.map((m) => (
                <tr key={m.path}>
                  <td className="mono">{m.name}</td>
                  <td className="mono small">{m.source}</td>
                  <td className="num">{fmtBytes(m.size)}</td>
                  <td className="mono small" title={m.sha256}>
                    {m.sha256.slice(0, 16)}… <span className="muted">({m.verified_by})</span>
                  </td>
                  <td className="nowrap">{fmtTime(m.pulled_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">Nothing pulled yet. Embedded models are also pulled on first use.</p>
      )}
    </section>
  );
}

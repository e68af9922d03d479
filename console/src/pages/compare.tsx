// One prompt, up to four models side by side: each column streams its answer and shows time to first
// token, tokens/s and tokens, so speed and quality can be judged together.
import { useState, type FormEvent } from "react";
import { streamChat, type StreamStats } from "../api.js";
import { useModelIds } from "./model-options.js";
import { RunStats } from "./run-stats.js";

interface Column {
  model: string;
  text: string;
  stats?: StreamStats;
  error?: string;
  running: boolean;
}

const MAX_MODELS = 4;

export function ComparePage() {
  const models = useModelIds();
  const [picked, setPicked] = useState<string[]>([]);
  const [prompt, setPrompt] = useState("");
  const [maxTokens, setMaxTokens] = useState(256);
  const [columns, setColumns] = useState<Column[]>([]);
  const chosen = picked.length ? picked : models.slice(0, 2);
  const running = columns.some((c) => c.running);

  const setSlot = (i: number, value: string) => {
    const next = [...chosen];
    if (value === "") next.splice(i, 1);
    else next[i] = value;
    setPicked(next);
  };

  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (!prompt.trim() || chosen.length === 0) return;
    const targets = [...chosen];
    setColumns(targets.map((model) => ({ model, text: "", running: true })));
    const patch = (i: number, f: (c: Column) => Column) => setColumns((all) => all.map((c, j) => (j === i ? f(c) : c)));
    await Promise.all(
      targets.map(async (model, i) => {
        try {
          const stats = await streamChat(
            { model, messages: [{ role: "user", content: prompt }], max_tokens: maxTokens, temperature: 0 },
            (piece) => patch(i, (c) => ({ ...c, text: c.text + piece })),
            new AbortController().signal,
          );
          patch(i, (c) => ({ ...c, stats, running: false }));
        } catch (err) {
          patch(i, (c) => ({ ...c, error: err instanceof Error ? err.message : String(err), running: false }));
        }
      }),
    );
  };

  return (
    <>
      <form className="card compare-form" onSubmit={run}>
        <div className="model-slots">
          {Array.from({ length: Math.min(MAX_MODELS, chosen.length + 1) }, (_, i) => (
            <label key={i}>
              Model {i + 1}
              <select name={`model-${i + 1}`} value={chosen[i] ?? ""} onChange={(e) => setSlot(i, e.target.value)}>
                <option value="">{i < chosen.length ? "(remove)" : "(add a model)"}</option>
                {models.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label>
            Max tokens
            <input type="number" name="max_tokens" min={1} max={32768} value={maxTokens} onChange={(e) => setMaxTokens(Number(e.target.value))} />
          </label>
        </div>
        <textarea name="prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="One prompt, sent to every model at once (temperature 0)." />
        <button type="submit" disabled={running || !prompt.trim() || chosen.length === 0}>
          {running ? "Running…" : `Compare ${chosen.length} model${chosen.length === 1 ? "" : "s"}`}
        </button>
      </form>
      <div className="columns" style={{ gridTemplateColumns: `repeat(${Math.max(1, columns.length)}, minmax(0, 1fr))` }}>
        {columns.map((c, i) => (
          <section key={i} className="card column" data-model={c.model}>
            <h2>{c.model}</h2>
            <div className="text" data-testid="compare-text">
              {c.text || (c.running ? "…" : "")}
            </div>
            {c.error ? <p className="error">{c.error}</p> : null}
            {c.stats ? <RunStats stats={c.stats} /> : null}
          </section>
        ))}
      </div>
    </>
  );
}

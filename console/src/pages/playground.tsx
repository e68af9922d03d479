// Streaming chat against any alias or model, with a system prompt, temperature and max_tokens.
import { useRef, useState, type FormEvent } from "react";
import { streamChat, type ChatParams, type StreamStats } from "../api.js";
import { useModelIds } from "./model-options.js";
import { RunStats } from "./run-stats.js";

interface Turn {
  role: "user" | "assistant";
  content: string;
  stats?: StreamStats;
  error?: string;
}

export function PlaygroundPage() {
  const models = useModelIds();
  const [model, setModel] = useState("");
  const [system, setSystem] = useState("");
  const [temperature, setTemperature] = useState(0.7);
  const [maxTokens, setMaxTokens] = useState(512);
  const [input, setInput] = useState("");
  const [turns, setTurns] = useState<Turn[]>([]);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const chosen = model || models[0] || "";

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const text = input.trim();
    if (!text || !chosen || busy) return;
    const history: Turn[] = [...turns, { role: "user", content: text }];
    setTurns([...history, { role: "assistant", content: "" }]);
    setInput("");
    setBusy(true);
    const controller = new AbortController();
    abort.current = controller;
    const params: ChatParams = {
      model: chosen,
      messages: [...(system.trim() ? [{ role: "system" as const, content: system }] : []), ...history.map((t) => ({ role: t.role, content: t.content }))],
      temperature,
      max_tokens: maxTokens,
    };
    const update = (patch: (t: Turn) => Turn) => setTurns((all) => [...all.slice(0, -1), patch(all[all.length - 1]!)]);
    try {
      const stats = await streamChat(params, (piece) => update((t) => ({ ...t, content: t.content + piece })), controller.signal);
      update((t) => ({ ...t, stats }));
    } catch (err) {
      update((t) => ({ ...t, error: controller.signal.aborted ? "Stopped." : err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
      abort.current = null;
    }
  };

  return (
    <div className="playground">
      <aside className="card settings">
        <label>
          Model
          <select name="model" value={chosen} onChange={(e) => setModel(e.target.value)}>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          System prompt
          <textarea name="system" rows={4} value={system} onChange={(e) => setSystem(e.target.value)} placeholder="You are a helpful assistant." />
        </label>
        <label>
          Temperature <output>{temperature.toFixed(1)}</output>
          <input type="range" name="temperature" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} />
        </label>
        <label>
          Max tokens
          <input type="number" name="max_tokens" min={1} max={32768} value={maxTokens} onChange={(e) => setMaxTokens(Number(e.target.value))} />
        </label>
        <button className="secondary" onClick={() => setTurns([])} disabled={busy || turns.length === 0}>
          Clear conversation
        </button>
      </aside>
      <section className="chat">
        <div className="messages" aria-live="polite">
          {turns.length === 0 ? <p className="muted">Send a message to start. Answers stream in as the model writes them.</p> : null}
          {turns.map((t, i) => (
            <div key={i} className={`message ${t.role}`}>
              <div className="role">{t.role === "user" ? "You" : chosen}</div>
              <div className="text" data-testid={t.role === "assistant" ? "assistant-text" : undefined}>
                {t.content || (t.role === "assistant" && !t.error ? "…" : "")}
              </div>
              {t.error ? <p className="error">{t.error}</p> : null}
              {t.stats ? <RunStats stats={t.stats} /> : null}
            </div>
          ))}
        </div>
        <form className="composer" onSubmit={send}>
          <textarea
            name="message"
            rows={3}
            value={input}
            placeholder="Message (Enter to send, Shift+Enter for a new line)"
            onChange={(e) => setInput(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          {busy ? (
            <button type="button" className="secondary" onClick={() => abort.current?.abort()}>
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!input.trim() || !chosen}>
              Send
            </button>
          )}
        </form>
      </section>
    </div>
  );
}

// Paste text, see what the policy detects and exactly what an external model would receive.
import { useState, type FormEvent, type ReactNode } from "react";
import { api } from "../api.js";
import type { PolicyTestResult } from "../types.js";

const SAMPLE = "Hi, I'm Tan Mei Ling (NRIC S1234567D), email mei.ling@example.com, card 4111 1111 1111 1111. Please summarise my claim.";

function highlighted(text: string, findings: PolicyTestResult["findings"]): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  [...findings]
    .sort((a, b) => a.start - b.start)
    .forEach((f, i) => {
      if (f.start < at) return;
      out.push(text.slice(at, f.start));
      out.push(
        <mark key={i} className={`finding ${f.category}`} title={f.kind}>
          {text.slice(f.start, f.end)}
          <sup>{f.kind}</sup>
        </mark>,
      );
      at = f.end;
    });
  out.push(text.slice(at));
  return out;
}

export function PolicyPage() {
  const [text, setText] = useState(SAMPLE);
  const [tested, setTested] = useState<{ text: string; result: PolicyTestResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setTested({ text, result: await api<PolicyTestResult>("/admin/policy/test", { body: { text } }) });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const r = tested?.result;
  return (
    <>
      <form className="card" onSubmit={run}>
        <label>
          Text to test
          <textarea name="policy-text" rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={!text}>
          Test
        </button>
        {error ? <p className="error">{error}</p> : null}
      </form>
      {r && tested ? (
        <div className="policy-result" data-testid="policy-result">
          <div className="card">
            <h2>
              Decision: <span className={`badge action-${r.action}`}>{r.action}</span>
            </h2>
            {r.reason ? <p className="muted">{r.reason}</p> : null}
            <h3>Detected ({r.findings.length})</h3>
            <p className="highlight">{highlighted(tested.text, r.findings)}</p>
            {r.findings.length ? (
              <table>
                <thead>
                  <tr>
                    <th>Kind</th>
                    <th>Category</th>
                    <th>Value</th>
                    <th>Replaced by</th>
                  </tr>
                </thead>
                <tbody>
                  {r.findings.map((f, i) => (
                    <tr key={i}>
                      <td>{f.kind}</td>
                      <td>{f.category}</td>
                      <td className="mono">{tested.text.slice(f.start, f.end)}</td>
                      <td className="mono">{f.replacement ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </div>
          <div className="card">
            <h3>What an external model receives</h3>
            {r.external === null ? (
              <p className="muted">Nothing: this text would not leave the company (it is blocked or kept on in-house models).</p>
            ) : (
              <pre className="external" data-testid="policy-external">
                {r.external}
              </pre>
            )}
          </div>
        </div>
      ) : null}
    </>
  );
}

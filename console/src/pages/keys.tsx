// Virtual keys: create one (the secret is shown once, here), see their limits, revoke.
import { useState, type FormEvent } from "react";
import { api, fmtNum, fmtTime } from "../api.js";
import type { KeyRecord } from "../types.js";
import { useData } from "../use-data.js";

const num = (s: string): number | undefined => (s.trim() === "" ? undefined : Number(s));

function limitsOf(k: KeyRecord): string {
  const parts = [
    k.rpm ? `${fmtNum(k.rpm)} rpm` : null,
    k.tpm ? `${fmtNum(k.tpm)} tpm` : null,
    k.max_concurrent ? `${k.max_concurrent} concurrent` : null,
    k.budget_tokens ? `${fmtNum(k.budget_tokens)} tokens/${k.budget_period}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "none";
}

export function KeysPage() {
  const [showRevoked, setShowRevoked] = useState(false);
  const { data, error, reload } = useData<{ keys: KeyRecord[] }>(`/admin/keys${showRevoked ? "?include_revoked=true" : ""}`);
  const [form, setForm] = useState({ name: "", models: "", rpm: "", tpm: "", max_concurrent: "", budget_tokens: "", budget_period: "month", expires_at: "", in_house_only: false });
  const [created, setCreated] = useState<(KeyRecord & { key: string }) | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    setCopied(false);
    const models = form.models.split(",").map((s) => s.trim()).filter(Boolean);
    const budget = num(form.budget_tokens);
    try {
      const key = await api<KeyRecord & { key: string }>("/admin/keys", {
        body: {
          name: form.name.trim(),
          ...(models.length ? { models } : {}),
          ...(num(form.rpm) ? { rpm: num(form.rpm) } : {}),
          ...(num(form.tpm) ? { tpm: num(form.tpm) } : {}),
          ...(num(form.max_concurrent) ? { max_concurrent: num(form.max_concurrent) } : {}),
          ...(budget ? { budget_tokens: budget, budget_period: form.budget_period } : {}),
          ...(form.expires_at ? { expires_at: new Date(form.expires_at).toISOString() } : {}),
          ...(form.in_house_only ? { in_house_only: true } : {}),
        },
      });
      setCreated(key);
      setForm({ ...form, name: "" });
      reload();
    } catch (err) {
      setFormError(err instanceof Error ? err.message : String(err));
    }
  };

  const revoke = async (k: KeyRecord) => {
    if (!confirm(`Revoke the key "${k.name}" (${k.prefix}…)? Clients using it get 401 from now on.`)) return;
    try {
      await api(`/admin/keys/${encodeURIComponent(k.id)}`, { method: "DELETE" });
      reload();
    } catch (err) {
      setFormError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <>
      <form className="card key-form" onSubmit={create}>
        <h2>Create a key</h2>
        <div className="grid-form">
          <label>
            Name
            <input name="name" required value={form.name} onChange={set("name")} placeholder="team-support" />
          </label>
          <label>
            Models (globs, comma-separated; empty = all)
            <input name="models" value={form.models} onChange={set("models")} placeholder="chat, small, local/*" />
          </label>
          <label>
            Requests per minute
            <input name="rpm" type="number" min={1} value={form.rpm} onChange={set("rpm")} />
          </label>
          <label>
            Tokens per minute
            <input name="tpm" type="number" min={1} value={form.tpm} onChange={set("tpm")} />
          </label>
          <label>
            Max concurrent
            <input name="max_concurrent" type="number" min={1} value={form.max_concurrent} onChange={set("max_concurrent")} />
          </label>
          <label>
            Token budget
            <span className="inline">
              <input name="budget_tokens" type="number" min={1} value={form.budget_tokens} onChange={set("budget_tokens")} />
              <select name="budget_period" value={form.budget_period} onChange={set("budget_period")}>
                {["day", "week", "month", "total"].map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </span>
          </label>
          <label>
            Expires
            <input name="expires_at" type="datetime-local" value={form.expires_at} onChange={set("expires_at")} />
          </label>
          <label className="check">
            <input name="in_house_only" type="checkbox" checked={form.in_house_only} onChange={(e) => setForm({ ...form, in_house_only: e.target.checked })} />
            In-house only (its traffic never leaves)
          </label>
        </div>
        {formError ? <p className="error">{formError}</p> : null}
        <button type="submit" disabled={!form.name.trim()}>
          Create key
        </button>
      </form>
      {created ? (
        <div className="card secret" role="status">
          <p>
            <strong>Key for "{created.name}" created.</strong> Copy it now: it is shown only this once and cannot be recovered.
          </p>
          <div className="inline">
            <code data-testid="new-key">{created.key}</code>
            <button
              className="secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(created.key).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
            <button className="link" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      <section>
        <div className="toolbar">
          <h2>Keys</h2>
          <label className="check">
            <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} /> show revoked
          </label>
        </div>
        {error ? <p className="error">{error}</p> : null}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Models</th>
                <th>Limits</th>
                <th>Expires</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data?.keys.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    No keys yet.
                  </td>
                </tr>
              ) : null}
              {data?.keys.map((k) => (
                <tr key={k.id} data-key-id={k.id} className={k.revoked_at ? "revoked" : undefined}>
                  <td>
                    <strong>{k.name}</strong>
                    {k.in_house_only ? <span className="badge ok">in-house only</span> : null}
                  </td>
                  <td className="mono">{k.prefix}…</td>
                  <td className="mono">{k.models?.join(", ") ?? "all"}</td>
                  <td>{limitsOf(k)}</td>
                  <td>{k.expires_at ? fmtTime(k.expires_at) : "never"}</td>
                  <td>{fmtTime(k.created_at)}</td>
                  <td>
                    {k.revoked_at ? (
                      <span className="muted">revoked {fmtTime(k.revoked_at)}</span>
                    ) : (
                      <button className="danger" onClick={() => void revoke(k)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

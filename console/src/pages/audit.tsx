// The audit log, newest first, with filters; and a check of its hash chain.
import { useState } from "react";
import { api, fmtTime } from "../api.js";
import type { AuditRecord } from "../types.js";
import { useData } from "../use-data.js";

export function AuditPage() {
  const [filters, setFilters] = useState({ action: "", actor: "", since: "" });
  const [applied, setApplied] = useState(filters);
  const query = new URLSearchParams({ limit: "200", ...Object.fromEntries(Object.entries(applied).filter(([, v]) => v)) });
  const { data, error } = useData<{ records: AuditRecord[] }>(`/admin/audit?${query}`, 10_000);
  const [verify, setVerify] = useState<string | null>(null);
  const check = async () => {
    setVerify("Checking…");
    try {
      const r = await api<{ ok: boolean; checked: number; firstBadSeq?: number; reason?: string }>("/admin/audit/verify");
      setVerify(r.ok ? `Chain intact: ${r.checked} records verified.` : `Chain broken at #${r.firstBadSeq}: ${r.reason}`);
    } catch (err) {
      setVerify(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <select aria-label="Action" value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value })}>
          <option value="">all actions</option>
          {["key.create", "key.revoke", "config.load", "policy.block", "policy.keep_in_house", "policy.pseudonymize", "policy.redact"].map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <input aria-label="Actor" placeholder="actor (admin, system, key id)" value={filters.actor} onChange={(e) => setFilters({ ...filters, actor: e.target.value })} />
        <select aria-label="Since" value={filters.since} onChange={(e) => setFilters({ ...filters, since: e.target.value })}>
          <option value="">any time</option>
          <option value="1h">last hour</option>
          <option value="24h">last 24 hours</option>
          <option value="7d">last 7 days</option>
        </select>
        <button type="submit">Apply</button>
        <button type="button" className="secondary" onClick={() => void check()}>
          Verify chain
        </button>
        {verify ? <span className={verify.startsWith("Chain intact") ? "ok-text" : "muted"}>{verify}</span> : null}
      </form>
      {error ? <p className="error">{error}</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>Time (UTC)</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Subject</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {data?.records.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No records match.
                </td>
              </tr>
            ) : null}
            {data?.records.map((r) => (
              <tr key={r.seq}>
                <td>{r.seq}</td>
                <td className="nowrap">{fmtTime(r.time)}</td>
                <td>{r.actor}</td>
                <td>
                  <span className="badge">{r.action}</span>
                </td>
                <td className="mono">{r.subject ?? "—"}</td>
                <td className="mono small details">{Object.keys(r.details).length ? JSON.stringify(r.details) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

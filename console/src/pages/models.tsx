// Aliases and their targets with live breaker state, backends, embedded models in memory, and the catalog.
import { useState } from "react";
import { fmtBytes, fmtMs } from "../api.js";
import type { ModelsView } from "../types.js";
import { useData } from "../use-data.js";
import { PullPanel, usePull } from "./pull-panel.js";

const BREAKER_LABEL = { closed: "healthy", half_open: "probing", open: "open" } as const;

function fmtParams(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B` : `${(n / 1e6).toFixed(0)}M`;
}

export function ModelsPage() {
  const { data, error, reload } = useData<ModelsView>("/admin/models", 5000);
  const [filter, setFilter] = useState("");
  const pull = usePull(reload);
  if (!data) return error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>;
  const f = filter.trim().toLowerCase();
  const catalog = data.catalog.filter((m) => !f || [m.name, m.publisher, m.origin, m.license.id, m.family].some((s) => s.toLowerCase().includes(f)));
  return (
    <>
      <section>
        <h2>Aliases</h2>
        {data.aliases.length === 0 ? <p className="muted">No aliases configured (models: in the config).</p> : null}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Alias</th>
                <th>Strategy</th>
                <th>Target</th>
                <th>Where</th>
                <th>Breaker</th>
                <th>In flight</th>
                <th>TTFT (EWMA)</th>
              </tr>
            </thead>
            <tbody>
              {data.aliases.flatMap((a) =>
                a.targets.map((t, i) => (
                  <tr key={`${a.name}-${i}`}>
                    <td>{i === 0 ? <strong>{a.name}</strong> : null}</td>
                    <td>{i === 0 ? `${a.strategy} · ${a.retries} retries` : null}</td>
                    <td className="mono">{t.target}</td>
                    <td>{t.in_house === null ? "—" : <span className={`badge ${t.in_house ? "ok" : "ext"}`}>{t.in_house ? "in-house" : "external"}</span>}</td>
                    <td>
                      <span className={`badge breaker-${t.breaker}`}>{BREAKER_LABEL[t.breaker]}</span>
                    </td>
                    <td>{t.in_flight}</td>
                    <td>{fmtMs(t.ttft_ewma_ms)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </section>
      <section>
        <h2>Backends</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>URL</th>
                <th>Where</th>
                <th>Models</th>
                <th>Concurrency</th>
              </tr>
            </thead>
            <tbody>
              {data.backends.map((b) => (
                <tr key={b.name}>
                  <td>
                    <strong>{b.name}</strong>
                  </td>
                  <td>{b.preset ? `${b.type ?? ""} (${b.preset})` : (b.type ?? "—")}</td>
                  <td className="mono">{b.base_url ?? "in-process"}</td>
                  <td>{b.in_house === null ? "—" : <span className={`badge ${b.in_house ? "ok" : "ext"}`}>{b.in_house ? "in-house" : "external"}</span>}</td>
                  <td className="mono">{b.models.join(", ") || "—"}</td>
                  <td>{b.max_concurrency ?? "unlimited"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section>
        <h2>Embedded models in memory</h2>
        {data.embedded === null || data.embedded.length === 0 ? (
          <p className="muted">{data.embedded === null ? "No embedded engine in this gateway." : "None loaded. A model loads on its first request and unloads after its keep-alive."}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Backend</th>
                  <th>Model</th>
                  <th>Memory</th>
                  <th>Active</th>
                  <th>Queued</th>
                </tr>
              </thead>
              <tbody>
                {data.embedded.map((m) => (
                  <tr key={`${m.backend}/${m.name}`}>
                    <td>{m.backend}</td>
                    <td className="mono">{m.name}</td>
                    <td>{fmtBytes(m.bytes)}</td>
                    <td>{m.active}</td>
                    <td>{m.queued}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <PullPanel pull={pull} />
      <section>
        <h2>Catalog</h2>
        <div className="toolbar">
          <input type="search" placeholder="Filter by name, publisher, origin, license" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <span className="muted">
            {catalog.length} of {data.catalog.length}
          </span>
        </div>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Model</th>
                <th>Publisher</th>
                <th>Origin</th>
                <th>License</th>
                <th>Commercial use</th>
                <th>Parameters</th>
                <th>Context</th>
                <th>GGUF</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {catalog.map((m) => (
                <tr key={m.name}>
                  <td>
                    <span className="mono">{m.name}</span>
                    <div className="muted small">{m.display_name}</div>
                  </td>
                  <td>{m.publisher}</td>
                  <td>{m.origin}</td>
                  <td>{m.license.url ? <a href={m.license.url} rel="noreferrer noopener" target="_blank">{m.license.id}</a> : m.license.id}</td>
                  <td>{m.license.commercial_use === true ? "yes" : m.license.commercial_use === false ? "no" : String(m.license.commercial_use)}</td>
                  <td>{m.parameters.active === m.parameters.total ? fmtParams(m.parameters.total) : `${fmtParams(m.parameters.total)} (${fmtParams(m.parameters.active)} active)`}</td>
                  <td>{typeof m.context_length === "number" ? `${Math.round(m.context_length / 1024)}k` : "—"}</td>
                  <td>{m.gguf ? `${m.gguf.quantization}${m.gguf.size_gb ? ` · ${m.gguf.size_gb.toFixed(1)} GB` : ""}` : "too large"}</td>
                  <td>
                    {m.gguf ? (
                      <button className="secondary small-button" onClick={() => void pull.start(m.name)}>
                        Pull
                      </button>
                    ) : null}
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

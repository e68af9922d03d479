// The figures shown under a streamed answer: time to first token, tokens/s, tokens, backend.
import { fmtMs, fmtNum, type StreamStats } from "../api.js";

export function RunStats({ stats }: { stats: StreamStats }) {
  return (
    <dl className="run-stats">
      <div>
        <dt>TTFT</dt>
        <dd data-stat="ttft">{fmtMs(stats.ttftMs)}</dd>
      </div>
      <div>
        <dt>tokens/s</dt>
        <dd data-stat="tps">{stats.tokensPerSecond === null ? "—" : stats.tokensPerSecond.toFixed(1)}</dd>
      </div>
      <div>
        <dt>tokens</dt>
        <dd data-stat="tokens">
          {fmtNum(stats.promptTokens)} in · {fmtNum(stats.completionTokens)} out
        </dd>
      </div>
      <div>
        <dt>total</dt>
        <dd>{fmtMs(stats.totalMs)}</dd>
      </div>
      <div>
        <dt>answered by</dt>
        <dd data-stat="backend">{stats.backend ?? "—"}</dd>
      </div>
    </dl>
  );
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { figures, soakFigures, tables, targets, type Figures } from "./report.js";

type Run = Parameters<typeof figures>[0][number];

function summary(p50: number, p99: number) {
  return { count: 100, mean: p50, p50, p90: p99, p99, p999: p99, max: p99 };
}

function run(subject: string, rps16: number, p50: number, p99: number, ttfe: number, rss: number, repeat = 1): Run {
  const lat = { rate: 500, sent: 100, ok: 100, errors: {}, firstError: "", achievedRate: 500, completionRate: 500, latency: summary(p50, p99), ttfe: null, lag: summary(0.01, 0.05) };
  return {
    subject,
    repeat,
    problems: [],
    throughput: [1, 16, 64].map((connections) => ({ connections, rps: connections === 16 ? rps16 : rps16 / 2, requests: 1000, non2xx: 0, socketErrors: 0, p50ms: 1, p99ms: 2, cpuMsPerRequest: subject === "direct" ? null : 1000 / rps16, gatewayCoreShare: subject === "direct" ? null : 0.9, othersOnGatewayCore: subject === "direct" ? null : 0.05 })),
    latency: lat,
    stream: { ...lat, ttfe: summary(ttfe, ttfe * 2) },
    idleRssMB: subject === "direct" ? null : rss,
    afterLoadRssMB: subject === "direct" ? null : rss + 10,
    peakRssMB: subject === "direct" ? null : rss + 20,
    soak:
      subject === "direct"
        ? null
        : { seconds: 60, warmSeconds: 5, samples: Array.from({ length: 60 }, (_, t) => ({ t, rssMB: rss + (t > 40 ? 1 : 0) })), load: lat },
  };
}

function all(ih: { rps16: number; p50: number; p99: number; ttfe: number; rss: number }, fallbackRps16: number): Figures[] {
  return [
    figures([run("direct", 40000, 0.2, 1.0, 0.5, 0)]),
    figures([run("minimal-http", 9000, 0.7, 3.0, 1.2, 50)]),
    figures([run("portkey", 700, 4.5, 125, 30.5, 100)]),
    figures([run("inhouse", ih.rps16, ih.p50, ih.p99, ih.ttfe, ih.rss)]),
    figures([run("inhouse-fallback3", fallbackRps16, ih.p50, ih.p99, ih.ttfe, ih.rss)]),
  ];
}

test("every target passes for a gateway within the limits", () => {
  const ts = targets(all({ rps16: 6000, p50: 0.9, p99: 4.0, ttfe: 1.9, rss: 60 }, 5800), { soakSeconds: 60 });
  assert.equal(ts.length, 9);
  assert.deepEqual(
    ts.filter((t) => t.pass !== true).map((t) => t.name),
    [],
  );
});

test("each limit is enforced on the added figures, not the absolute ones", () => {
  // minimal-http adds 0.5 ms p50, 2.0 ms p99, 0.7 ms to the first event.
  const ts = targets(all({ rps16: 5000, p50: 1.01, p99: 5.1, ttfe: 2.0, rss: 81 }, 4700), { soakSeconds: 60 });
  const failed = ts.filter((t) => t.pass === false).map((t) => t.name);
  assert.deepEqual(failed, [
    "throughput @16 conns ≥ 60% of minimal-http",
    "added p50 at 500/s ≤ minimal-http's + 0.3 ms",
    "added p99 at 500/s ≤ 2× minimal-http's",
    "first streamed event overhead ≤ 2× minimal-http's",
    "idle RSS ≤ 80 MB",
    "issue 4: 3-target fallback alias throughput @16 within 5% of single-target",
  ]);
});

test("targets are n/a, not passed, when a subject was not measured", () => {
  const f = all({ rps16: 6000, p50: 0.9, p99: 4.0, ttfe: 1.9, rss: 60 }, 5800).filter((x) => x.subject !== "portkey");
  const t = targets(f, { soakSeconds: 60 }).find((x) => x.name.includes("portkey"));
  assert.equal(t?.pass, null);
});

test("the soak flags growth beyond the tolerance", () => {
  const lat = { rate: 500, sent: 1, ok: 1, errors: {}, firstError: "", achievedRate: 500, completionRate: 500, latency: summary(1, 1), ttfe: null, lag: summary(0, 0) };
  const growing = soakFigures({ seconds: 60, warmSeconds: 5, samples: Array.from({ length: 66 }, (_, t) => ({ t, rssMB: 60 + t * 0.2 })), load: lat });
  assert.equal(growing.pass, false);
  assert.ok(Math.abs(growing.slopeMBPerMin - 12) < 1e-9);
  const flat = soakFigures({ seconds: 60, warmSeconds: 5, samples: Array.from({ length: 66 }, (_, t) => ({ t, rssMB: 60 + (t % 2) })), load: lat });
  assert.equal(flat.pass, true);
});

test("tables show ratios against minimal-http and portkey", () => {
  const text = tables(all({ rps16: 6000, p50: 0.9, p99: 4.0, ttfe: 1.9, rss: 60 }, 5800), {
    rate: 500, streamRate: 100, repeats: 1, wrkSeconds: 2, latencySeconds: 3, streamSeconds: 1,
  });
  assert.match(text, /\| inhouse \| 3,000 \| 6,000 \| 3,000 \| 0\.67× \| 8\.57× \| 0\.167 \| 6,000 \| 1\.50× \| 0\.12× \| 90% \/ 5% \|/);
  assert.match(text, /\| direct \| 20,000 \| 40,000 \| 20,000 \| 4\.44× \| 57\.14× \| – \| – \| – \| – \| – \|/);
  assert.match(text, /\| inhouse \| 0\.900 \| 4\.000 \| \+0\.70 \| \+3\.00 \| 1\.40× \| 1\.50× \|/);
});

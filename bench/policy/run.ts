// bench/policy: what the sensitive-data policy adds per request, beside JSON.parse of the same bytes.
// Run: node --import tsx bench/policy/run.ts [--seconds N]
// Prompts are generated multilingual text (nine languages): a personal value or secret in every sixth
// sentence, a number-bearing decoy (date, price, version, order number, ISBN) in every sixth, plain prose
// in the rest; the "dense" prompt has a number in every sentence (worst case for the numeric detectors).
// Wall-clock percentiles suffer on a shared machine; CPU time per request (process.cpuUsage) is steadier,
// so throughput is given from both.
import { performance } from "node:perf_hooks";
import { createPolicyEngine, createStreamRestorer, type PseudonymTable } from "../../src/policy/index.js";
import type { ChatChunk, ChatRequest } from "../../src/spec/index.js";
import { prompt, seeded } from "./corpus.js";

const secondsArg = process.argv.indexOf("--seconds");
const BUDGET_MS = (secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3) * 1000;

interface Stats {
  p50: number;
  p99: number;
  median: number;
  n: number;
  /** CPU milliseconds per call (user + system) over the timed loop. */
  cpu: number;
  /** 99th percentile of per-call CPU time: latency without the time the OS gave the core to others. */
  cpuP99: number;
}

/** Runs `f` repeatedly for about BUDGET_MS (at most `max` times) after a warm-up; times in ms. */
function measure(f: () => unknown, max: number): Stats {
  for (let i = 0; i < Math.min(200, max); i++) f();
  const xs: number[] = [];
  const cs: number[] = [];
  const stop = performance.now() + BUDGET_MS;
  const c0 = process.cpuUsage();
  while (xs.length < max && performance.now() < stop) {
    const u = process.cpuUsage();
    const t = performance.now();
    f();
    xs.push(performance.now() - t);
    const du = process.cpuUsage(u);
    cs.push((du.user + du.system) / 1000);
  }
  const c = process.cpuUsage(c0);
  xs.sort((a, b) => a - b);
  cs.sort((a, b) => a - b);
  const q = (v: number[], p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))]!;
  return { p50: q(xs, 0.5), p99: q(xs, 0.99), median: q(xs, 0.5), n: xs.length, cpu: (c.user + c.system) / 1000 / xs.length, cpuP99: q(cs, 0.99) };
}

const engine = createPolicyEngine({ custom: [{ name: "client", terms: ["Acme", "Globex"] }] });
const ms = (x: number) => (x < 0.1 ? x.toFixed(4) : x.toFixed(3));

const rows: string[][] = [
  ["prompt", "requests", "findings", "JSON.parse p50", "scan MB/s (wall p50 / CPU)", "JSON.parse MB/s", "added p50", "added p99", "added CPU/req (mean / p99)", "added / JSON.parse (p50)"],
];
for (const [label, bytes, max, decoyEvery] of [
  ["8 KB", 8 * 1024, 20_000, 3],
  ["100 KB", 100 * 1024, 2_000, 3],
  ["100 KB dense", 100 * 1024, 2_000, 1],
] as const) {
  const text = prompt(seeded(bytes), bytes, 6, decoyEvery);
  const req: ChatRequest = { model: "chat", messages: [{ role: "system", content: "You are a helpful assistant for Acme." }, { role: "user", content: text }] };
  const body = JSON.stringify(req);
  const size = Buffer.byteLength(body);
  const findings = engine.inspect(req).findings.length;
  const parse = measure(() => JSON.parse(body), max);
  const scan = measure(() => engine.inspect(req), max);
  const added = measure(() => {
    const insp = engine.inspect(req);
    return engine.pseudonymizeRequest(req, insp).request;
  }, max);
  rows.push([
    `${label} (${size} B body)`,
    String(added.n),
    String(findings),
    `${ms(parse.p50)} ms`,
    `${(size / 1e3 / scan.median).toFixed(0)} / ${(size / 1e3 / scan.cpu).toFixed(0)}`,
    (size / 1e3 / parse.median).toFixed(0),
    `${ms(added.p50)} ms`,
    `${ms(added.p99)} ms`,
    `${ms(added.cpu)} / ${ms(added.cpuP99)} ms`,
    `${(added.p50 / parse.p50).toFixed(2)}×`,
  ]);
}

// Streaming restore: an 8 KB answer full of placeholders, in 4-character deltas (worst case for hold-back).
const req: ChatRequest = { model: "chat", messages: [{ role: "user", content: prompt(seeded(7), 8 * 1024) }] };
const { request: sent, table } = engine.pseudonymizeRequest(req, engine.inspect(req));
const answer = sent.messages[0]!.content as string;
const deltas = answer.match(/[\s\S]{1,4}/g) ?? [];
const chunks: ChatChunk[] = deltas.map((d) => ({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta: { content: d }, finish_reason: null }] }));
const restoreStream = (t: PseudonymTable) => {
  const r = createStreamRestorer(t);
  let out = "";
  for (const c of chunks) out += r.transform(c).choices[0]!.delta.content ?? "";
  return out;
};
const streamed = measure(() => restoreStream(table), 5_000);
const parseChunks = measure(() => {
  for (const c of chunks) JSON.parse(JSON.stringify(c));
}, 5_000);

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log(line(rows[0]!));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows.slice(1)) console.log(line(r));
console.log(
  `\nstream restore: ${Buffer.byteLength(answer)} B answer with ${table.size} placeholders in ${chunks.length} deltas: ` +
    `p50 ${ms(streamed.p50)} ms, p99 ${ms(streamed.p99)} ms per response ` +
    `(${((streamed.p50 / chunks.length) * 1000).toFixed(2)} µs per delta; stringify+parse of the same chunks p50 ${ms(parseChunks.p50)} ms, ratio ${(streamed.p50 / parseChunks.p50).toFixed(2)}×)`,
);
const load = (await import("node:os")).loadavg()[0]!.toFixed(1);
console.log(`node ${process.version}, one thread; load average ${load} on ${(await import("node:os")).cpus().length} cores; ${new Date().toISOString()}`);

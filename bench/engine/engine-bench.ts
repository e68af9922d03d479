// Engine bench: decode tokens/s for one stream and in aggregate for 4 concurrent streams, and time to
// first token, on a generated ≈100M-parameter llama model (memory-bound), against llama.cpp's own
// llama-bench and llama-server on the same file and thread count, in the same run. Medians of repeats,
// our runs and the reference's interleaved so both see the same machine load.
//
//   LLAMA_CPP_BIN_DIR=/tmp/llama.cpp/build/bin node --import tsx bench/engine/engine-bench.ts
//
// Env: BENCH_REPEATS (5), BENCH_TOKENS (128), BENCH_THREADS (default: the engine's own choice),
// BENCH_WEIGHTS (f32, memory-bound; or q8_0, the kind of file people serve), BENCH_SKIP_THREADS=1 to skip the
// thread-count table.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availableCores, defaultThreads } from "../../src/engine/index.js";
import { BENCH_SHAPE_100M, TINY_SHAPE, parameterCount, writeLlamaGguf, type LlamaShape, type WeightType } from "../../test/fixtures/gguf-llama.js";
import { BYTES_PER_VALUE } from "../../test/fixtures/gguf-writer.js";
import { llamaBenchDecode, llamaCppBinDir, serverCompletion, startLlamaServer, type StreamTiming } from "./llama-cpp-reference.js";
import { benchBackend, binaryInUse, inhouseCompletion, rawDecodeRate } from "./inhouse-runs.js";
import { fmt, median, table } from "./stats.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 128);
const THREADS = Number(process.env.BENCH_THREADS ?? defaultThreads());
const SLOTS = 4;
const CTX_PER_SLOT = 1024;
const WEIGHTS = (process.env.BENCH_WEIGHTS ?? "f32") as WeightType;
if (WEIGHTS !== "q8_0" && WEIGHTS !== "f32") throw new Error(`BENCH_WEIGHTS must be q8_0 or f32, not ${WEIGHTS}`);

function modelFile(name: string, shape: LlamaShape, weights: WeightType): string {
  const dir = join(tmpdir(), "inhouse-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}-${weights}.gguf`);
  // A file smaller than its weights was cut short by an interrupted earlier run.
  if (!existsSync(path) || statSync(path).size < parameterCount(shape) * BYTES_PER_VALUE[weights]) writeLlamaGguf(path, { shape, chatTemplate: null, weights });
  return path;
}

/** A different prompt per run (differing from the first token) so neither side reuses a cached prefix. */
function prompt(i: number): string {
  return `Run ${i} of the benchmark. The quick brown fox jumps over the lazy dog while the engine counts tokens per second.`;
}

const decodeRate = (t: StreamTiming): number => ((t.tokens - 1) * 1000) / (t.lastAt - t.firstAt);
/** Tokens/s over the window where all streams are decoding (after the last first token, before the first last token). */
function aggregateRate(ts: StreamTiming[]): number {
  const from = Math.max(...ts.map((t) => t.firstAt));
  const to = Math.min(...ts.map((t) => t.lastAt));
  const n = ts.reduce((a, t) => a + t.times.filter((x) => x > from && x <= to).length, 0);
  return (n * 1000) / (to - from);
}

async function threadTable(models: [string, string][]): Promise<void> {
  const rows: string[][] = [];
  for (const [label, path] of models) {
    const one = median([await rawDecodeRate(path, 1, 64, 60_000), await rawDecodeRate(path, 1, 64, 60_000), await rawDecodeRate(path, 1, 64, 60_000)]);
    const two = median([await rawDecodeRate(path, 2, 64, 60_000), await rawDecodeRate(path, 2, 64, 60_000), await rawDecodeRate(path, 2, 64, 60_000)]);
    const def = await rawDecodeRate(path, undefined, 32, 30_000);
    rows.push([label, fmt(one), fmt(two), fmt(def, 2), fmt(one / def, 0) + "×"]);
  }
  console.log(`\nDecode tok/s by thread count (node-llama-cpp direct, ${availableCores()} cores available, median of 3; default = one 30 s-capped run)`);
  console.log(table(["model", "1 thread", "2 threads", "default threads", "1 thread / default"], rows));
}

async function main(): Promise<void> {
  const bigPath = modelFile("bench-100m", BENCH_SHAPE_100M, WEIGHTS);
  const tinyPath = modelFile("bench-tiny", TINY_SHAPE, WEIGHTS);
  console.log(`model: ${bigPath} (${(parameterCount(BENCH_SHAPE_100M) / 1e6).toFixed(1)}M params, ${WEIGHTS}, ${(statSync(bigPath).size / 2 ** 20).toFixed(0)} MiB)`);
  console.log(`threads: ${THREADS} (cores available: ${availableCores()}), repeats: ${REPEATS}, tokens: ${TOKENS}, slots: ${SLOTS} × ${CTX_PER_SLOT} ctx`);
  if (process.env.BENCH_SKIP_THREADS !== "1") await threadTable([["tiny (0.1M)", tinyPath], ["100M", bigPath]]);

  const bin = llamaCppBinDir();
  if (!bin) console.log("\nLLAMA_CPP_BIN_DIR not set: llama.cpp reference columns skipped (see bench/engine/README.md).");
  const backend = benchBackend(bigPath, THREADS, SLOTS, CTX_PER_SLOT, tmpdir());
  const server = bin ? await startLlamaServer(bin, bigPath, THREADS, SLOTS, CTX_PER_SLOT, 18_000 + (process.pid % 1000)) : undefined;
  const ours = { ttft: [] as number[], decode: [] as number[], agg: [] as number[] };
  const ref = { ttft: [] as number[], decode: [] as number[], agg: [] as number[], bench: [] as number[] };
  try {
    await inhouseCompletion(backend, prompt(-1), 8); // load + warm up
    console.log(`node-llama-cpp binary: ${await binaryInUse(THREADS)}`);
    if (server) await serverCompletion(server.url, prompt(-1), 8);
    let n = 0;
    for (let r = 0; r < REPEATS; r++) {
      const a = await inhouseCompletion(backend, prompt(n++), TOKENS);
      ours.ttft.push(a.ttftMs);
      ours.decode.push(decodeRate(a));
      if (server) {
        const b = await serverCompletion(server.url, prompt(n++), TOKENS);
        ref.ttft.push(b.ttftMs);
        ref.decode.push(decodeRate(b));
      }
      const four = await Promise.all(Array.from({ length: SLOTS }, () => inhouseCompletion(backend, prompt(n++), TOKENS)));
      ours.agg.push(aggregateRate(four));
      if (server) {
        const sfour = await Promise.all(Array.from({ length: SLOTS }, () => serverCompletion(server.url, prompt(n++), TOKENS)));
        ref.agg.push(aggregateRate(sfour));
      }
      console.log(`  repeat ${r + 1}/${REPEATS}: ours ${fmt(decodeRate(a))} tok/s, ttft ${fmt(a.ttftMs)} ms, 4×: ${fmt(ours.agg.at(-1)!)} tok/s` +
        (server ? ` | llama-server ${fmt(ref.decode.at(-1)!)} tok/s, ttft ${fmt(ref.ttft.at(-1)!)} ms, 4×: ${fmt(ref.agg.at(-1)!)} tok/s` : ""));
    }
  } finally {
    await backend.close();
    await server?.stop();
  }
  if (bin) ref.bench = await llamaBenchDecode(bin, bigPath, THREADS, TOKENS, REPEATS);

  const m = (xs: number[]) => median(xs);
  const rows: string[][] = [
    ["single-stream decode (tok/s)", fmt(m(ours.decode)), fmt(m(ref.bench)) + " (llama-bench tg" + TOKENS + ")", fmt(m(ours.decode) / m(ref.bench), 2), "≥ 0.90"],
    ["single-stream decode (tok/s)", fmt(m(ours.decode)), fmt(m(ref.decode)) + " (llama-server)", fmt(m(ours.decode) / m(ref.decode), 2), "≥ 0.90"],
    ["4-stream aggregate (tok/s)", fmt(m(ours.agg)), fmt(m(ref.agg)) + " (llama-server -np 4)", fmt(m(ours.agg) / m(ref.agg), 2), "—"],
    ["4-stream / single-stream", fmt(m(ours.agg) / m(ours.decode), 2) + "×", fmt(m(ref.agg) / m(ref.decode), 2) + "×", "", "≥ 2×"],
    ["time to first token (ms)", fmt(m(ours.ttft)), fmt(m(ref.ttft)) + " (llama-server)", fmt(m(ours.ttft) / m(ref.ttft), 2), "≤ 1.10"],
  ];
  console.log(`\nEngine vs llama.cpp, ${THREADS} thread(s), medians of ${REPEATS}`);
  console.log(table(["metric", "inhouse", "llama.cpp", "ratio", "target"], rows));
}

await main();

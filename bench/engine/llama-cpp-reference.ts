// llama.cpp's own tools as the reference, run on the same file and thread count: llama-bench for raw
// decode speed, llama-server for time to first token and concurrent streams over loopback HTTP.
// The binaries come from LLAMA_CPP_BIN_DIR (see README.md in this folder); nothing here builds them.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";

const run = promisify(execFile);

export function llamaCppBinDir(): string | undefined {
  const dir = process.env.LLAMA_CPP_BIN_DIR;
  if (!dir) return undefined;
  if (!existsSync(join(dir, "llama-bench")) || !existsSync(join(dir, "llama-server"))) {
    throw new Error(`LLAMA_CPP_BIN_DIR=${dir} does not contain llama-bench and llama-server`);
  }
  return dir;
}

/** Decode tokens/s of llama-bench's tg test (no prompt), one value per repetition. */
export async function llamaBenchDecode(dir: string, model: string, threads: number, tokens: number, reps: number): Promise<number[]> {
  const { stdout } = await run(join(dir, "llama-bench"), ["-m", model, "-t", String(threads), "-p", "0", "-n", String(tokens), "-r", String(reps), "-o", "json"], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  const rows = JSON.parse(stdout) as { samples_ts?: number[]; avg_ts: number }[];
  return rows[0]?.samples_ts ?? [rows[0]?.avg_ts ?? Number.NaN];
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

export async function startLlamaServer(dir: string, model: string, threads: number, slots: number, ctxPerSlot: number, port: number): Promise<Server> {
  const child: ChildProcess = spawn(
    join(dir, "llama-server"),
    ["-m", model, "-t", String(threads), "-tb", String(threads), "-np", String(slots), "-c", String(ctxPerSlot * slots), "--host", "127.0.0.1", "--port", String(port), "--no-webui"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`llama-server exited: ${log}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

export interface StreamTiming {
  ttftMs: number;
  firstAt: number;
  lastAt: number;
  tokens: number;
  /** Arrival time of every streamed piece of text (one token each on these byte-vocabulary models). */
  times: number[];
}

/** One streamed /v1/completions request; token count from the server's usage (or chunk count). */
export async function serverCompletion(url: string, prompt: string, maxTokens: number): Promise<StreamTiming> {
  const start = performance.now();
  const res = await fetch(`${url}/v1/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt, max_tokens: maxTokens, temperature: 0, stream: true, ignore_eos: true, cache_prompt: false, stream_options: { include_usage: true } }),
  });
  if (!res.ok || !res.body) throw new Error(`llama-server answered ${res.status}`);
  let firstAt = 0;
  let lastAt = 0;
  const times: number[] = [];
  let usageTokens: number | undefined;
  const decoder = new TextDecoder();
  let buf = "";
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(part, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line.startsWith("data:") || line.includes("[DONE]")) continue;
      const data = JSON.parse(line.slice(5)) as { choices?: { text?: string }[]; usage?: { completion_tokens: number } };
      if (data.usage) usageTokens = data.usage.completion_tokens;
      if (data.choices?.[0]?.text) {
        const now = performance.now();
        if (!firstAt) firstAt = now;
        lastAt = now;
        times.push(now);
      }
    }
  }
  return { ttftMs: firstAt - start, firstAt, lastAt, tokens: usageTokens ?? times.length, times };
}

// Our side of the engine bench: the embedded backend through its ChatModel API (legacy completions, so
// no chat template differs from llama-server's /v1/completions), and raw node-llama-cpp runs for the
// thread-count table (to include node-llama-cpp's own default thread count).
import { createEmbeddedBackend, type EmbeddedChatModel } from "../../src/providers/embedded/index.js";
import { embeddedSettingsSchema } from "../../src/config/embedded-schema.js";
import { sharedLlama } from "../../src/engine/native.js";
import type { StreamTiming } from "./llama-cpp-reference.js";

export function benchBackend(model: string, threads: number, slots: number, ctxPerSlot: number, dataDir: string): EmbeddedChatModel {
  const config = embeddedSettingsSchema.parse({ models: { bench: model }, threads, slots, context_size: ctxPerSlot, max_queue: 16 });
  return createEmbeddedBackend({ name: "local", config, dataDir, build: "never", gpu: false });
}

/** Which node-llama-cpp binary the backend runs on: "prebuilt" or "localBuild" (a `source download` build). */
export async function binaryInUse(threads: number): Promise<string> {
  const llama = await sharedLlama({ build: "never", gpu: false, maxThreads: threads });
  return `${llama.buildType} (llama.cpp ${llama.llamaCppRelease.release})`;
}

export async function inhouseCompletion(backend: EmbeddedChatModel, prompt: string, maxTokens: number): Promise<StreamTiming> {
  const start = performance.now();
  const opts = { model: "bench", signal: new AbortController().signal, requestId: "bench", timeouts: { connect: 0, firstToken: 0, idle: 0, total: 0 } };
  const stream = await backend.completionStream({ model: "bench", prompt, max_tokens: maxTokens, temperature: 0, stream: true, stream_options: { include_usage: true } }, opts);
  let firstAt = 0;
  let lastAt = 0;
  let tokens = 0;
  const times: number[] = [];
  for await (const chunk of stream) {
    if (chunk.choices[0]?.text) {
      const now = performance.now();
      if (!firstAt) firstAt = now;
      lastAt = now;
      times.push(now);
    }
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  return { ttftMs: firstAt - start, firstAt, lastAt, tokens, times };
}

/** Decode tokens/s with node-llama-cpp directly; `threads` undefined = node-llama-cpp's default. Bounded by `capMs`. */
export async function rawDecodeRate(model: string, threads: number | undefined, maxTokens: number, capMs: number): Promise<number> {
  const { getLlama, LlamaCompletion } = await import("node-llama-cpp");
  const llama = await getLlama({ build: "never", gpu: false, skipDownload: true, ...(threads ? { maxThreads: threads } : {}) });
  const m = await llama.loadModel({ modelPath: model });
  const ctx = await m.createContext({ contextSize: 512, ...(threads ? { threads } : {}) });
  try {
    const completion = new LlamaCompletion({ contextSequence: ctx.getSequence() });
    let tokens = 0;
    let firstAt = 0;
    let lastAt = 0;
    const startAt = performance.now();
    await completion.generateCompletion("Once upon a time", {
      maxTokens,
      signal: AbortSignal.timeout(capMs),
      stopOnAbortSignal: true,
      onToken: (t) => {
        const now = performance.now();
        if (!firstAt) firstAt = now;
        lastAt = now;
        tokens += t.length;
      },
    });
    // A run cut short by the cap (the spin-waiting default) still reports what it managed, from the start.
    if (tokens < 8) return (tokens * 1000) / (performance.now() - startAt);
    return ((tokens - 1) * 1000) / (lastAt - firstAt);
  } finally {
    await ctx.dispose();
    await m.dispose();
    await llama.dispose();
  }
}

// The only place that loads node-llama-cpp, and only when an embedded model is first used: importing it
// pulls in a native addon and hundreds of MB of binaries, which a gateway with remote backends only must
// never pay for. Other engine files import its types only.
import type { Llama, LlamaGpuType } from "node-llama-cpp";

export type NodeLlamaCpp = typeof import("node-llama-cpp");

let module: Promise<NodeLlamaCpp> | undefined;

export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  module ??= import("node-llama-cpp");
  return module;
}

/** True once node-llama-cpp has been imported in this process (by this module). */
export function isNodeLlamaCppLoaded(): boolean {
  return module !== undefined;
}

export interface LlamaRuntimeOptions {
  /** "never" in tests and offline: no compile, no download of binaries. */
  build?: "auto" | "never";
  /** false for CPU only; "auto" picks a GPU when the binaries support one. */
  gpu?: false | "auto" | LlamaGpuType;
  maxThreads: number;
}

// getLlama() takes seconds (binary loading, device probing) and llama.cpp's backend is process-wide, so
// every engine in the process shares one instance per option set, kept until disposeLlamaRuntimes().
const shared = new Map<string, Promise<Llama>>();

export function sharedLlama(options: LlamaRuntimeOptions): Promise<Llama> {
  const key = JSON.stringify([options.build ?? "auto", options.gpu ?? "auto", options.maxThreads]);
  let llama = shared.get(key);
  if (!llama) {
    llama = createLlama(options);
    shared.set(key, llama);
    llama.catch(() => shared.delete(key));
  }
  return llama;
}

/** Disposes the shared llama.cpp runtimes (process shutdown, after every engine has been disposed). */
export async function disposeLlamaRuntimes(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  for (const llama of all) await (await llama.catch(() => undefined))?.dispose();
}

async function createLlama(options: LlamaRuntimeOptions): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await loadNodeLlamaCpp();
  return getLlama({
    build: options.build ?? "auto",
    gpu: options.gpu ?? "auto",
    maxThreads: options.maxThreads,
    skipDownload: options.build === "never",
    // llama.cpp's info logs go to stderr per load; warnings and errors are enough for an operator.
    logLevel: LlamaLogLevel.warn,
  });
}

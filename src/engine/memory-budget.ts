// Memory needed to serve a model, estimated before loading from the GGUF header: the weights (file size,
// unless another served model already holds the same base), plus the KV cache and compute buffers of a
// context with `slots` sequences of `contextSize` tokens, as node-llama-cpp's insights compute them.
import type { Llama } from "node-llama-cpp";
import { loadNodeLlamaCpp } from "./native.js";

export interface MemoryEstimate {
  weights: number;
  context: number;
  total: number;
}

export async function estimateServeMemory(
  llama: Llama,
  path: string,
  fileSize: number,
  opts: { contextSize: number; slots: number; weightsLoaded: boolean },
): Promise<MemoryEstimate> {
  const { readGgufFileInfo, GgufInsights } = await loadNodeLlamaCpp();
  const info = await readGgufFileInfo(path, { readTensorInfo: true });
  const insights = await GgufInsights.from(info, llama);
  const ctx = insights.estimateContextResourceRequirements({
    contextSize: opts.contextSize,
    sequences: opts.slots,
    modelGpuLayers: 0,
    includeGraphOverhead: true,
  });
  const weights = opts.weightsLoaded ? 0 : fileSize;
  const context = ctx.cpuRam + ctx.gpuVram;
  return { weights, context, total: weights + context };
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

// Engine settings from the validated config plus the machine: threads from the available cores, memory
// budget from total memory.
import { totalmem } from "node:os";
import type { EmbeddedSettings } from "../config/embedded-schema.js";
import { defaultThreads } from "./threads.js";
import type { EngineSettings } from "./types.js";

export interface EngineEnvironment {
  dataDir: string;
  lookup?: EngineSettings["lookup"];
  onProgress?: EngineSettings["onProgress"];
  /** "never" in tests and offline; default "auto". */
  build?: "auto" | "never";
  /** false for CPU only; default "auto". */
  gpu?: false | "auto";
}

const GIB = 1024 ** 3;

export function defaultMemoryBudget(total: number = totalmem()): number {
  return Math.max(total - GIB, Math.floor(total / 2));
}

export function engineSettings(config: EmbeddedSettings, env: EngineEnvironment): EngineSettings {
  return {
    models: config.models,
    dataDir: env.dataDir,
    threads: config.threads ?? defaultThreads(),
    contextSize: config.context_size,
    slots: config.slots,
    maxQueue: config.max_queue,
    keepAliveMs: config.keep_alive,
    memoryBudget: config.memory_budget ?? defaultMemoryBudget(),
    pull: config.pull,
    ...(env.lookup ? { lookup: env.lookup } : {}),
    ...(env.onProgress ? { onProgress: env.onProgress } : {}),
    build: env.build ?? "auto",
    gpu: env.gpu ?? "auto",
  };
}

// Settings of the embedded engine, after config validation and defaults (see config/embedded-schema.ts).
import type { ModelSourceLookup, PullProgress } from "./model-store/index.js";

export interface LoraAdapterSpec {
  path: string;
  scale: number;
}

export interface EmbeddedModelSpec {
  /** A local .gguf path, an hf: URI, an https URL or a catalog name. */
  source: string;
  lora: LoraAdapterSpec[];
}

export interface EngineSettings {
  /** Configured models by name; names not listed are tried as sources (catalog names) when `lookup` knows them. */
  models: Record<string, EmbeddedModelSpec>;
  dataDir: string;
  /** llama.cpp threads per context. */
  threads: number;
  /** Tokens of context per slot (each sequence gets this many). */
  contextSize: number;
  /** Parallel sequences per loaded model. */
  slots: number;
  /** Requests that may wait for a slot beyond `slots`; more are refused with 503. */
  maxQueue: number;
  /** Milliseconds an idle model stays loaded. */
  keepAliveMs: number;
  /** Bytes all loaded models together may use (weights + KV cache + compute buffers). */
  memoryBudget: number;
  /** Download missing remote models on first use. */
  pull: boolean;
  lookup?: ModelSourceLookup;
  onProgress?: (p: PullProgress) => void;
  /** "never" in tests/offline. */
  build: "auto" | "never";
  gpu: false | "auto";
}

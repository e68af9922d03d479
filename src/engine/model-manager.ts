// Loads served models on first use, keeps them within a memory budget (least recently used idle model
// goes first), unloads them after an idle keep-alive, and disposes everything on shutdown. Entries with
// the same base file share its weights; each entry gets its own context (and LoRA adapters).
import { freemem } from "node:os";
import type { Llama, LlamaContextSequence } from "node-llama-cpp";
import { GatewayError } from "../errors/index.js";
import { BatchGate } from "./batch-gate.js";
import { estimateServeMemory, formatMiB } from "./memory-budget.js";
import { loadNodeLlamaCpp, sharedLlama } from "./native.js";
import { resolveModelFile as defaultResolve } from "./model-store/index.js";
import type { ResolveModelFileOptions } from "./model-store/index.js";
import { ServedModel, type BaseWeights } from "./served-model.js";
import { SlotScheduler, type SlotLease } from "./slot-scheduler.js";
import type { EmbeddedModelSpec, EngineSettings } from "./types.js";

export type ModelResolver = (source: string, opts: ResolveModelFileOptions) => Promise<{ path: string; size?: number; sha256?: string }>;

export interface ModelSession {
  model: ServedModel;
  sequence: LlamaContextSequence;
  /** Frees the slot at once; idempotent. */
  release(): void;
}

export interface ModelStatus {
  name: string;
  path: string;
  bytes: number;
  active: number;
  queued: number;
  idleMs: number;
}

export class ModelManager {
  private readonly served = new Map<string, ServedModel>();
  private readonly loading = new Map<string, Promise<ServedModel>>();
  private readonly bases = new Map<string, Promise<BaseWeights>>();
  /** Loads run one at a time so two memory checks never race. */
  private loadChain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly settings: EngineSettings,
    private readonly resolve: ModelResolver = defaultResolve,
  ) {}

  /** Waits for a free slot of `name` (loading it first if needed). */
  async acquire(name: string, signal?: AbortSignal): Promise<ModelSession> {
    const model = await this.get(name);
    model.active++;
    if (model.idleTimer) clearTimeout(model.idleTimer);
    model.idleTimer = undefined;
    let lease: SlotLease<LlamaContextSequence>;
    try {
      lease = await model.scheduler.acquire(signal);
    } catch (err) {
      this.done(model);
      throw err;
    }
    let released = false;
    return {
      model,
      sequence: lease.slot,
      release: () => {
        if (released) return;
        released = true;
        lease.release();
        this.done(model);
      },
    };
  }

  /** Runs `fn` with a loaded model, keeping it from idle unload meanwhile, without taking a slot (embeddings). */
  async withModel<T>(name: string, fn: (model: ServedModel) => Promise<T>): Promise<T> {
    const model = await this.get(name);
    model.active++;
    if (model.idleTimer) clearTimeout(model.idleTimer);
    model.idleTimer = undefined;
    try {
      return await fn(model);
    } finally {
      this.done(model);
    }
  }

  /** A loaded (or newly loaded) model without taking a slot: for rendering prompts and tokenizing. */
  async get(name: string): Promise<ServedModel> {
    if (this.closed) throw new GatewayError("no_backend", "The embedded engine is shutting down.");
    const ready = this.served.get(name);
    if (ready) {
      ready.lastUsed = Date.now();
      return ready;
    }
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.serialised(() => this.load(name)).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  status(): ModelStatus[] {
    const now = Date.now();
    return [...this.served.values()].map((m) => ({
      name: m.name,
      path: m.base.path,
      bytes: m.contextBytes + m.base.bytes / m.base.users,
      active: m.scheduler.active,
      queued: m.scheduler.queued,
      idleMs: m.active === 0 ? now - m.lastUsed : 0,
    }));
  }

  /** Bytes currently accounted to loaded models (shared weights counted once). */
  usedBytes(): number {
    let total = 0;
    const seen = new Set<BaseWeights>();
    for (const m of this.served.values()) {
      total += m.contextBytes;
      if (!seen.has(m.base)) total += m.base.bytes;
      seen.add(m.base);
    }
    return total;
  }

  async unload(name: string): Promise<void> {
    const model = this.served.get(name);
    if (!model) return;
    this.served.delete(name);
    model.scheduler.rejectAll(new GatewayError("overloaded", `Model ${name} was unloaded; retry.`, { retryAfter: 1 }));
    await model.dispose();
    model.base.users--;
    if (model.base.users === 0) {
      this.bases.delete(model.base.path);
      await model.base.model.dispose();
    }
  }

  async dispose(): Promise<void> {
    this.closed = true;
    await this.loadChain.catch(() => undefined);
    for (const name of [...this.served.keys()]) await this.unload(name);
  }

  private done(model: ServedModel): void {
    model.active--;
    model.lastUsed = Date.now();
    if (model.active > 0 || this.closed || !this.served.has(model.name)) return;
    model.idleTimer = setTimeout(() => {
      if (model.active === 0) void this.unload(model.name).catch(() => undefined);
    }, this.settings.keepAliveMs);
    model.idleTimer.unref();
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.loadChain.then(fn);
    this.loadChain = run.catch(() => undefined);
    return run;
  }

  private runtime(): Promise<Llama> {
    return sharedLlama({ build: this.settings.build, gpu: this.settings.gpu, maxThreads: this.settings.threads });
  }

  private spec(name: string): EmbeddedModelSpec {
    const configured = this.settings.models[name];
    if (configured) return configured;
    if (this.settings.lookup?.(name)) return { source: name, lora: [] };
    const known = Object.keys(this.settings.models);
    throw new GatewayError(
      "model_not_found",
      `The embedded backend has no model "${name}".${known.length ? ` Configured: ${known.join(", ")}.` : ""} Add it under backends.<name>.models or use a catalog name.`,
      { param: "model" },
    );
  }

  private async load(name: string): Promise<ServedModel> {
    const existing = this.served.get(name);
    if (existing) return existing;
    const spec = this.spec(name);
    const file = await this.resolve(spec.source, {
      dataDir: this.settings.dataDir,
      pull: this.settings.pull,
      ...(this.settings.onProgress ? { onProgress: this.settings.onProgress } : {}),
      ...(this.settings.lookup ? { lookup: this.settings.lookup } : {}),
    });
    const llama = await this.runtime();
    const size = file.size ?? (await import("node:fs/promises").then((fs) => fs.stat(file.path))).size;
    const weightsLoaded = this.bases.has(file.path);
    const contextSize = this.settings.contextSize;
    const need = await estimateServeMemory(llama, file.path, size, { contextSize, slots: this.settings.slots, weightsLoaded });
    await this.makeRoom(name, need.total, `weights ${formatMiB(need.weights)} + context ${formatMiB(need.context)} for ${this.settings.slots} slots × ${contextSize} tokens`);

    const base = await this.baseWeights(llama, file.path, size);
    const gate = new BatchGate();
    try {
      const context = await base.model.createContext({
        batching: { itemPrioritizationStrategy: gate.strategy },
        contextSize: Math.min(contextSize, base.model.trainContextSize),
        sequences: this.settings.slots,
        threads: this.settings.threads,
        ...(spec.lora.length ? { lora: { adapters: spec.lora.map((a) => ({ filePath: a.path, scale: a.scale })) } } : {}),
      });
      const sequences = Array.from({ length: this.settings.slots }, () => context.getSequence());
      gate.register(sequences);
      const scheduler = new SlotScheduler(sequences, { maxQueue: this.settings.maxQueue, label: `Model ${name}`, retryAfterSeconds: 1 });
      const { resolveChatWrapper } = await loadNodeLlamaCpp();
      const wrapper = resolveChatWrapper(base.model);
      const served = new ServedModel(name, base, context, scheduler, wrapper, need.context, this.settings.threads, gate);
      this.served.set(name, served);
      return served;
    } catch (err) {
      base.users--;
      if (base.users === 0) {
        this.bases.delete(base.path);
        await base.model.dispose();
      }
      throw new GatewayError("internal", `Could not create a context for model ${name}: ${(err as Error).message}`, { cause: err });
    }
  }

  private async baseWeights(llama: Llama, path: string, bytes: number): Promise<BaseWeights> {
    let pending = this.bases.get(path);
    if (!pending) {
      pending = llama
        .loadModel({ modelPath: path, ...(this.settings.gpu === false ? { gpuLayers: 0 } : {}) })
        .then((model) => ({ path, model, bytes, users: 0 }));
      this.bases.set(path, pending);
      pending.catch(() => this.bases.delete(path));
    }
    const base = await pending;
    base.users++;
    return base;
  }

  /** Evicts idle models, least recently used first, until `bytes` fit; refuses clearly when they cannot. */
  private async makeRoom(name: string, bytes: number, detail: string): Promise<void> {
    const budget = this.settings.memoryBudget;
    if (bytes > budget) {
      throw new GatewayError(
        "no_backend",
        `Model ${name} needs about ${formatMiB(bytes)} (${detail}) but the embedded memory budget is ${formatMiB(budget)}. ` +
          `Raise memory_budget, lower context_size or slots, or use a smaller (more quantized) model.`,
      );
    }
    const idle = [...this.served.values()].filter((m) => m.active === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    while (this.usedBytes() + bytes > budget && idle.length > 0) await this.unload(idle.shift()!.name);
    if (this.usedBytes() + bytes > budget) {
      throw new GatewayError(
        "overloaded",
        `Model ${name} needs about ${formatMiB(bytes)} but ${formatMiB(this.usedBytes())} of the ${formatMiB(budget)} budget is held by models serving requests. Retry when they finish.`,
        { retryAfter: 5 },
      );
    }
    const free = freemem();
    if (bytes > free) {
      throw new GatewayError(
        "no_backend",
        `Model ${name} needs about ${formatMiB(bytes)} (${detail}) but only ${formatMiB(free)} of memory is free on this machine.`,
      );
    }
  }
}

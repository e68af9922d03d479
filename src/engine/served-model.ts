// One model as served: a base model's weights (possibly shared with other entries), its own context with
// N sequences (with this entry's LoRA adapters applied), the slot scheduler in front of them, the chat
// template, and an embedding context created on first use.
import type { ChatWrapper, LlamaContext, LlamaContextSequence, LlamaEmbeddingContext, LlamaModel } from "node-llama-cpp";
import type { BatchGate } from "./batch-gate.js";
import { SlotScheduler } from "./slot-scheduler.js";

export interface BaseWeights {
  path: string;
  model: LlamaModel;
  bytes: number;
  /** Served models using these weights; disposed when it drops to zero. */
  users: number;
}

export class ServedModel {
  /** Requests holding or waiting for a slot: an active model is never evicted. */
  active = 0;
  lastUsed = Date.now();
  idleTimer: NodeJS.Timeout | undefined;
  private embedding: Promise<LlamaEmbeddingContext> | undefined;
  private embedQueue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly base: BaseWeights,
    readonly context: LlamaContext,
    readonly scheduler: SlotScheduler<LlamaContextSequence>,
    readonly chatWrapper: ChatWrapper,
    readonly contextBytes: number,
    private readonly threads: number,
    /** Keeps this context's sequences decoding in one batch (see batch-gate.ts). */
    readonly gate: BatchGate,
  ) {}

  get model(): LlamaModel {
    return this.base.model;
  }
  /** Tokens each sequence may hold (prompt + completion). */
  get contextSize(): number {
    return this.context.contextSize;
  }

  /** Runs `fn` with the embedding context, one call at a time (the context has one sequence). */
  withEmbedding<T>(fn: (ctx: LlamaEmbeddingContext) => Promise<T>): Promise<T> {
    this.embedding ??= this.model.createEmbeddingContext({ contextSize: Math.min(this.contextSize, 2048), threads: this.threads });
    const embedding = this.embedding;
    const run = this.embedQueue.then(async () => fn(await embedding));
    this.embedQueue = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const embedding = this.embedding;
    this.embedding = undefined;
    if (embedding) await (await embedding.catch(() => undefined))?.dispose();
    await this.context.dispose();
  }
}

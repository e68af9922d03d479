// Keeps concurrent sequences of one context decoding in the same batch. node-llama-cpp's dispatch loop
// starts the next llama_decode as soon as the previous batch's tokens are sampled, before the slowest
// sequence's consumer (several async-generator hops away) has queued its next token; that sequence then
// rides alone in the following decode, so 4 streams decode in batches of 3 and 1 (measured: 4 streams
// gave 0.93x one stream's rate). The gate, installed as the context's prioritisation strategy, returns an
// empty batch while fewer sequences are queued than are generating, which lets the microtask queue run
// and the stragglers queue; it gives up after a bounded number of tries so a stream whose client reads
// slowly (a macrotask away) never stalls the others.
//
// It also puts the batch in sequence-id order. node-llama-cpp 3.21.1 creates contexts with a non-unified
// KV cache (one stream per sequence), for which llama.cpp splits a batch with split_equal(sequential):
// a micro-batch only takes sequences whose ids follow each other upwards, so tokens queued as sequences
// 1, 2, 3, 0 decode as two passes over the weights ([1, 2, 3] then [0]). Measured on the bench model with
// 4 streams (prebuilt binary, 1 thread), a 4-token decode took 92 ms in arrival order and 58 ms in id
// order (one token alone: 37-39 ms); 4 streams went from 1.42x to 2.62x one stream's rate.
// BatchItem does not carry the sequence id, so each sequence tags its evaluations with its id + 1 as
// `evaluationPriority` (see priorityOf), which node-llama-cpp passes through untouched and only its own
// prioritisation strategies read; this one sorts by it. The slot scheduler hands out the lowest free
// sequence first, so concurrent streams also hold consecutive ids.
import type { BatchItem, EvaluationPriority, PrioritizedBatchItem } from "node-llama-cpp";

const MAX_EMPTY_ROUNDS = 64;

export class BatchGate {
  private generating = 0;
  private emptyRounds = 0;
  private readonly ids = new WeakMap<object, number>();

  /** Records the context's sequences in creation order, which is their llama.cpp sequence id order. */
  register(sequences: readonly object[]): void {
    sequences.forEach((s, i) => this.ids.set(s, i));
  }

  /** The `evaluationPriority` a registered sequence passes to evaluate(): its id + 1, an ordering tag only. */
  priorityOf(sequence: object): EvaluationPriority | undefined {
    const id = this.ids.get(sequence);
    return id === undefined ? undefined : ((id + 1) as EvaluationPriority);
  }

  enter(): void {
    this.generating++;
  }

  leave(): void {
    this.generating--;
  }

  /** node-llama-cpp's `batching.itemPrioritizationStrategy`. */
  readonly strategy = ({ items, size }: { items: readonly BatchItem[]; size: number }): PrioritizedBatchItem[] => {
    if (items.length < this.generating && this.emptyRounds < MAX_EMPTY_ROUNDS) {
      this.emptyRounds++;
      return [];
    }
    this.emptyRounds = 0;
    return fairShare(inSequenceOrder(items), size);
  };
}

/** Items by sequence id (the tag from priorityOf); a stable sort, so one sequence's items keep their order. */
function inSequenceOrder(items: readonly BatchItem[]): readonly BatchItem[] {
  for (let i = 1; i < items.length; i++) {
    if (items[i]!.evaluationPriority < items[i - 1]!.evaluationPriority) return [...items].sort((a, b) => a.evaluationPriority - b.evaluationPriority);
  }
  return items;
}

/** Every item gets an equal share of the batch (at least one token); what is left goes to the items in order. */
function fairShare(items: readonly BatchItem[], size: number): PrioritizedBatchItem[] {
  const out: PrioritizedBatchItem[] = [];
  let left = size;
  const share = Math.max(1, Math.floor(size / Math.max(1, items.length)));
  for (const item of items) {
    if (left <= 0) break;
    const amount = Math.min(item.tokens.length, share, left);
    out.push({ item, processAmount: amount });
    left -= amount;
  }
  for (const p of out) {
    if (left <= 0) break;
    const more = Math.min(p.item.tokens.length - p.processAmount, left);
    p.processAmount += more;
    left -= more;
  }
  return out;
}

// Keeps concurrent sequences of one context decoding in the same batch. node-llama-cpp's dispatch loop
// starts the next llama_decode as soon as the previous batch's tokens are sampled, before the slowest
// sequence's consumer (several async-generator hops away) has queued its next token; that sequence then
// rides alone in the following decode, so 4 streams decode in batches of 3 and 1 (measured: 4 streams
// gave 0.93x one stream's rate). The gate, installed as the context's prioritisation strategy, returns an
// empty batch while fewer sequences are queued than are generating, which lets the microtask queue run
// and the stragglers queue; it gives up after a bounded number of tries so a stream whose client reads
// slowly (a macrotask away) never stalls the others.
import type { BatchItem, PrioritizedBatchItem } from "node-llama-cpp";

const MAX_EMPTY_ROUNDS = 64;

export class BatchGate {
  private generating = 0;
  private emptyRounds = 0;

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
    return fairShare(items, size);
  };
}

/** Every item gets an equal share of the batch (at least one token), leftovers go to the longest. */
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

// Slots in front of one llama.cpp context: N sequences evaluated together in one batch, and a bounded
// FIFO queue of requests waiting for a free sequence. A full queue is refused at once (503 with
// Retry-After) rather than letting latency grow without bound; an aborted waiter leaves the queue, and a
// released slot goes straight to the oldest waiter. A free slot is taken lowest index first, so
// concurrent streams hold consecutive sequence ids: llama.cpp decodes consecutive ids in one pass over
// the weights and splits a batch at every gap (see batch-gate.ts).
import { GatewayError } from "../errors/index.js";

export interface SlotLease<S> {
  readonly slot: S;
  /** Idempotent: returns the slot to the pool or hands it to the next waiter. */
  release(): void;
}

interface Waiter<S> {
  resolve: (lease: SlotLease<S>) => void;
  reject: (err: unknown) => void;
  cleanup: () => void;
}

export interface SlotSchedulerOptions {
  maxQueue: number;
  /** Seconds suggested to a refused client. */
  retryAfterSeconds?: number;
  /** Name used in error messages. */
  label: string;
}

export class SlotScheduler<S> {
  /** Free slots, in slot order. */
  private readonly free: S[];
  private readonly index: Map<S, number>;
  private readonly waiters: Waiter<S>[] = [];
  private busy = 0;

  constructor(
    slots: readonly S[],
    private readonly options: SlotSchedulerOptions,
  ) {
    this.free = [...slots];
    this.index = new Map(slots.map((s, i) => [s, i]));
  }

  get active(): number {
    return this.busy;
  }
  get queued(): number {
    return this.waiters.length;
  }

  acquire(signal?: AbortSignal): Promise<SlotLease<S>> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const slot = this.free.shift();
    if (slot !== undefined) {
      this.busy++;
      return Promise.resolve(this.lease(slot));
    }
    if (this.waiters.length >= this.options.maxQueue) {
      return Promise.reject(
        new GatewayError(
          "overloaded",
          `${this.options.label} is busy: all ${this.busy} slots are generating and ${this.waiters.length} requests are queued. Retry shortly.`,
          { retryAfter: this.options.retryAfterSeconds ?? 1 },
        ),
      );
    }
    return new Promise<SlotLease<S>>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortError(signal));
      };
      const waiter: Waiter<S> = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Rejects every waiter (shutdown). */
  rejectAll(err: unknown): void {
    for (const w of this.waiters.splice(0)) {
      w.cleanup();
      w.reject(err);
    }
  }

  private lease(slot: S): SlotLease<S> {
    let released = false;
    return {
      slot,
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiters.shift();
        if (next) {
          next.cleanup();
          next.resolve(this.lease(slot));
        } else {
          this.busy--;
          const i = this.index.get(slot)!;
          const at = this.free.findIndex((s) => this.index.get(s)! > i);
          this.free.splice(at < 0 ? this.free.length : at, 0, slot);
        }
      },
    };
  }
}

function abortError(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException("The operation was aborted", "AbortError");
}

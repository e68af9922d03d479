// A counting semaphore with a bounded FIFO queue: overload is refused at once instead of piling up.

export class QueueFullError extends Error {
  constructor() {
    super("queue full");
  }
}

export class Semaphore {
  private active = 0;
  private readonly waiters: { resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];

  constructor(
    readonly limit: number,
    readonly maxQueue: number,
  ) {}

  get inUse(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiters.length;
  }

  /** A release function when a slot is free now, else undefined (nothing is queued). */
  tryAcquire(): (() => void) | undefined {
    if (this.active >= this.limit) return undefined;
    this.active++;
    return this.releaser();
  }

  /** Resolves with a release function; rejects with QueueFullError when the queue is full, or on abort. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const now = this.tryAcquire();
    if (now !== undefined) return Promise.resolve(now);
    if (this.waiters.length >= this.maxQueue) return Promise.reject(new QueueFullError());
    return new Promise((resolve, reject) => {
      const waiter: (typeof this.waiters)[number] = { resolve: () => resolve(this.releaser()), reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      if (next) {
        if (next.onAbort) next.signal!.removeEventListener("abort", next.onAbort);
        next.resolve();
      } else this.active--;
    };
  }
}

// A started generation handed to the caller as an async iterable that frees its slot the moment the
// client aborts, even while the consumer is not pulling: a suspended generator is returned (running its
// finally), one that never started releases directly.
export function guardedStream<T>(source: () => AsyncGenerator<T, void>, release: () => void, signal: AbortSignal): AsyncIterable<T> {
  let started = false;
  const inner = (async function* () {
    started = true;
    try {
      yield* source();
    } finally {
      signal.removeEventListener("abort", onAbort);
      release();
    }
  })();
  function onAbort(): void {
    if (!started) {
      release();
      return;
    }
    void inner.return(undefined).catch(() => undefined);
  }
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        if (!started && signal.aborted) return Promise.reject(signal.reason);
        return inner.next();
      },
      return: (value?: unknown) => inner.return(value as undefined),
    }),
  };
}

// Abort plumbing: one signal per attempt that fires on the client's abort or on a timeout, cleaned up after.

export interface LinkedAbort {
  signal: AbortSignal;
  /** Why it fired: "client", "timeout" or undefined while live. */
  readonly reason: "client" | "timeout" | undefined;
  /** (Re)arms the timeout; 0 or Infinity disarms it. */
  arm(ms: number): void;
  dispose(): void;
}

export function linkAbort(parent: AbortSignal): LinkedAbort {
  const controller = new AbortController();
  let reason: "client" | "timeout" | undefined;
  let timer: NodeJS.Timeout | undefined;
  const onParent = () => {
    reason ??= "client";
    controller.abort(parent.reason);
  };
  if (parent.aborted) onParent();
  else parent.addEventListener("abort", onParent, { once: true });
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    arm(ms: number) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (ms > 0 && Number.isFinite(ms) && !controller.signal.aborted) {
        timer = setTimeout(() => {
          reason ??= "timeout";
          controller.abort(new Error("timeout"));
        }, ms);
        timer.unref();
      }
    },
    dispose() {
      if (timer) clearTimeout(timer);
      parent.removeEventListener("abort", onParent);
    },
  };
}

// Abort plumbing: the request's cancellation (a flag and listeners, with an AbortSignal made only when asked
// for), and one per attempt that fires on the client's abort or on a timeout, cleaned up after.
import type { AbortListener, Cancel } from "../spec/index.js";

export class Cancellation implements Cancel {
  aborted = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined;
  private listeners: AbortListener[] | undefined;

  /** Made on first use, already aborted when the cancellation has fired. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  onAbort(listener: AbortListener): void {
    (this.listeners ??= []).push(listener);
  }

  offAbort(listener: AbortListener): void {
    const list = this.listeners;
    if (list === undefined) return;
    const i = list.lastIndexOf(listener);
    if (i >= 0) list.splice(i, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const list = this.listeners;
    this.listeners = undefined;
    if (list !== undefined) for (const l of list) l.handleAbort();
    this.controller?.abort(reason);
  }
}

export interface LinkedAbort {
  cancel: Cancellation;
  /** Why it fired: "client", "timeout" or undefined while live. */
  readonly reason: "client" | "timeout" | undefined;
  /** (Re)arms the timeout; 0 or Infinity disarms it. */
  arm(ms: number): void;
  dispose(): void;
}

export function linkAbort(parent: Cancel): LinkedAbort {
  const child = new Cancellation();
  let reason: "client" | "timeout" | undefined;
  let timer: NodeJS.Timeout | undefined;
  const onParent: AbortListener = {
    handleAbort() {
      reason ??= "client";
      child.abort(parent.reason);
    },
  };
  if (parent.aborted) onParent.handleAbort();
  else parent.onAbort(onParent);
  return {
    cancel: child,
    get reason() {
      return reason;
    },
    arm(ms: number) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (ms > 0 && Number.isFinite(ms) && !child.aborted) {
        timer = setTimeout(() => {
          reason ??= "timeout";
          child.abort(new Error("timeout"));
        }, ms);
        timer.unref();
      }
    },
    dispose() {
      if (timer) clearTimeout(timer);
      parent.offAbort(onParent);
    },
  };
}

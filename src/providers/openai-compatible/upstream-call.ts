// One call to the upstream: one abort callback for the HTTP exchange, fed by the caller's signal and the
// total-time timer, and the knowledge of why it fired, so the error can say so. Created per request.
//
// A single callback slot rather than an AbortController or an EventEmitter on purpose: an AbortSignal's
// listener bookkeeping costs about 10 µs per request on Node 20 (measured: add+remove of a `{ once: true }`
// listener), and the exchange is the only thing to stop.
import { GatewayError } from "../../errors/index.js";
import type { AbortListener, CallOptions, Cancel } from "../../spec/index.js";
import { transportError, type ErrorContext } from "./upstream-error.js";

const MAX_TIMER = 2 ** 31 - 1;
const CANCELLED = 1;
const TOTAL_TIMEOUT = 2;

export class UpstreamCall implements AbortListener {
  /** True once the call was aborted (the caller went away, or the total timeout fired). */
  aborted = false;
  /** Called once when the call is aborted: stops the HTTP exchange. */
  onAbort: (() => void) | undefined = undefined;
  private readonly opts: CallOptions;
  /** The gateway's cancellation when it runs the call; else the caller's AbortSignal is listened to. */
  private readonly cancel: Cancel | undefined;
  private readonly ctx: ErrorContext;
  private timer: NodeJS.Timeout | undefined;
  private why = 0;
  private finished = false;

  constructor(opts: CallOptions, ctx: ErrorContext) {
    this.opts = opts;
    this.ctx = ctx;
    this.cancel = opts.cancel;
    if (this.cancel !== undefined ? this.cancel.aborted : opts.signal.aborted) this.abort(CANCELLED);
    else {
      // The call itself is the listener (handleAbort / handleEvent) and the timer's argument: no closures.
      if (this.cancel !== undefined) this.cancel.onAbort(this);
      else opts.signal.addEventListener("abort", this);
      const total = opts.timeouts.total;
      // Infinity or more than setTimeout's 2^31-1 ms would fire at once; 0 or less means unbounded.
      if (total > 0 && total <= MAX_TIMER) {
        this.timer = setTimeout(onTotal, total, this);
        this.timer.unref();
      }
    }
  }

  /** True when the caller's signal ended the call (as opposed to a timeout or an upstream failure). */
  get cancelled(): boolean {
    return this.why === CANCELLED;
  }

  /** Stops the timer and listener; safe to call more than once. */
  done(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.cancel !== undefined) this.cancel.offAbort(this);
    else this.opts.signal.removeEventListener("abort", this);
  }

  /** The GatewayError for anything thrown while talking to the upstream. */
  error(err: unknown, streaming: boolean): GatewayError {
    if (this.why === CANCELLED) {
      const reason: unknown = this.cancel !== undefined ? this.cancel.reason : this.opts.signal.reason;
      if (reason instanceof GatewayError) return reason;
      return new GatewayError("upstream_error", "The request was cancelled before the backend finished.", {
        retryable: false,
        cause: reason,
      });
    }
    if (this.why === TOTAL_TIMEOUT) {
      return new GatewayError(
        "upstream_timeout",
        `Backend ${this.ctx.backend} did not finish within ${this.opts.timeouts.total} ms.`,
        { retryable: !streaming, cause: err },
      );
    }
    return transportError(err, this.ctx, streaming, this.opts.timeouts);
  }

  /** The caller's cancellation fired: the client went away or the router gave up. */
  handleAbort(): void {
    this.abort(CANCELLED);
  }

  /** The same, from an AbortSignal. */
  handleEvent(): void {
    this.abort(CANCELLED);
  }

  abort(why: number): void {
    if (this.aborted) return;
    if (this.why === 0) this.why = why;
    this.aborted = true;
    this.done();
    const stop = this.onAbort;
    this.onAbort = undefined;
    stop?.();
  }
}

function onTotal(call: UpstreamCall): void {
  call.abort(TOTAL_TIMEOUT);
}

// One call to the upstream: one abort callback for the HTTP exchange, fed by the caller's signal and the
// total-time timer, and the knowledge of why it fired, so the error can say so. Created per request.
//
// A single callback slot rather than an AbortController or an EventEmitter on purpose: an AbortSignal's
// listener bookkeeping costs about 10 µs per request on Node 20 (measured: add+remove of a `{ once: true }`
// listener), and the exchange is the only thing to stop.
import { GatewayError } from "../../errors/index.js";
import { Deadlines, type Expiring } from "../../lib/deadlines.js";
import type { AbortListener, CallOptions, Cancel } from "../../spec/index.js";
import { transportError, type ErrorContext } from "./upstream-error.js";

const CANCELLED = 1;
const TOTAL_TIMEOUT = 2;

/** Every call's total timeout, in one table with one timer (see lib/deadlines.ts for why). */
const totals = new Deadlines();

export class UpstreamCall implements AbortListener, Expiring {
  /** True once the call was aborted (the caller went away, or the total timeout fired). */
  aborted = false;
  /** Called once when the call is aborted: stops the HTTP exchange. */
  onAbort: (() => void) | undefined = undefined;
  private readonly opts: CallOptions;
  /** The gateway's cancellation when it runs the call; else the caller's AbortSignal is listened to. */
  private readonly cancel: Cancel | undefined;
  private readonly ctx: ErrorContext;
  /** The slot of the total timeout in `totals`, -1 when none. */
  private slot = -1;
  private why = 0;
  private finished = false;

  constructor(opts: CallOptions, ctx: ErrorContext) {
    this.opts = opts;
    this.ctx = ctx;
    this.cancel = opts.cancel;
    if (this.cancel !== undefined ? this.cancel.aborted : opts.signal.aborted) this.abort(CANCELLED);
    else {
      // The call itself is the listener (handleAbort / handleEvent) and the deadline's item: no closures.
      if (this.cancel !== undefined) this.cancel.onAbort(this);
      else opts.signal.addEventListener("abort", this);
      const total = opts.timeouts.total;
      // 0 or less, or Infinity, means unbounded.
      if (total > 0 && Number.isFinite(total)) this.slot = totals.add(this, total);
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
    if (this.slot >= 0) totals.clear(this.slot);
    this.slot = -1;
    // Nothing left to stop; and a finished call keeps no reference to its exchange (see lib/deadlines.ts).
    this.onAbort = undefined;
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

  /** The total timeout passed. */
  expire(): void {
    this.slot = -1;
    this.abort(TOTAL_TIMEOUT);
  }

  /** The same, from an AbortSignal. */
  handleEvent(): void {
    this.abort(CANCELLED);
  }

  abort(why: number): void {
    if (this.aborted) return;
    if (this.why === 0) this.why = why;
    this.aborted = true;
    const stop = this.onAbort;
    this.done();
    stop?.();
  }
}

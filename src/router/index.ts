export { Breakers, type BreakerState, type BreakerTransition } from "./breaker.js";
export {
  ClientClosedError,
  Router,
  type Attempt,
  type BackendHandle,
  type CallArgs,
  type Lease,
  type Route,
  type RouterEvents,
  type RouterOptions,
  type RunContext,
} from "./router.js";
export { LatencyTracker, Ordering, targetKey, type Strategy } from "./strategies.js";

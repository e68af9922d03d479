import { GatewayError } from "../errors/index.js";

/** A query time given as ISO 8601 or ms since the epoch; a bad one is the caller's error, naming the field. */
export function toMs(value: string | number, param: string): number {
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new GatewayError("invalid_request", `${param} must be an ISO 8601 time, got "${String(value).slice(0, 40)}"`, { param });
  return ms;
}

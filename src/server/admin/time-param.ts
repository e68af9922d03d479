// Times in admin queries: ISO 8601, ms since the epoch, or "how long ago" (`15m`, `24h`, `7d`).
import { GatewayError } from "../../errors/index.js";

const AGO = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function timeParam(value: string | null, param: string, now = Date.now()): number | undefined {
  if (value === null || value === "") return undefined;
  const ago = AGO.exec(value);
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2]!]!;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new GatewayError("invalid_request", `${param} must be an ISO 8601 time, ms since the epoch, or an age like "24h" or "7d"; got "${value.slice(0, 40)}".`, { param });
  }
  return ms;
}

export function durationParam(value: string | null, param: string, fallbackMs: number): number {
  if (value === null || value === "") return fallbackMs;
  const m = AGO.exec(value);
  if (!m) throw new GatewayError("invalid_request", `${param} must be a duration like "15m" or "1h"; got "${value.slice(0, 40)}".`, { param });
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function intParam(value: string | null, param: string): number | undefined {
  if (value === null || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw new GatewayError("invalid_request", `${param} must be a whole number; got "${value.slice(0, 40)}".`, { param });
  return Number(value);
}

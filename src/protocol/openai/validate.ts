// Small, fast field checks for request bodies. Hand-written rather than a schema library because they run on
// every request; each failure names the field (`param`) and says what was expected.
import { GatewayError } from "../../errors/index.js";

export type Json = Record<string, unknown>;

export function invalid(param: string, message: string): GatewayError {
  return new GatewayError("invalid_request", message, { param });
}

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function optNumber(body: Json, key: string, min = -Infinity, max = Infinity): void {
  const v = body[key];
  if (v === undefined || v === null) return;
  if (typeof v !== "number" || !Number.isFinite(v)) throw invalid(key, `'${key}' must be a number.`);
  if (v < min || v > max) throw invalid(key, `'${key}' must be between ${min} and ${max}; got ${v}.`);
}

export function optInteger(body: Json, key: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  const v = body[key];
  if (v === undefined || v === null) return;
  if (typeof v !== "number" || !Number.isInteger(v)) throw invalid(key, `'${key}' must be an integer.`);
  if (v < min || v > max) throw invalid(key, `'${key}' must be between ${min} and ${max}; got ${v}.`);
}

export function optBoolean(body: Json, key: string): void {
  const v = body[key];
  if (v !== undefined && v !== null && typeof v !== "boolean") throw invalid(key, `'${key}' must be true or false.`);
}

export function optString(body: Json, key: string): void {
  const v = body[key];
  if (v !== undefined && v !== null && typeof v !== "string") throw invalid(key, `'${key}' must be a string.`);
}

export function requireModel(body: Json): string {
  const model = body.model;
  if (typeof model !== "string" || model.length === 0) {
    throw invalid("model", "'model' is required: name an alias or a model from GET /v1/models.");
  }
  return model;
}

export function optStop(body: Json): void {
  const v = body.stop;
  if (v === undefined || v === null || typeof v === "string") return;
  if (Array.isArray(v) && v.length <= 16 && v.every((s) => typeof s === "string")) return;
  throw invalid("stop", "'stop' must be a string or an array of at most 16 strings.");
}

/** Splits a body into the fields we model and `extra`, the rest, which is passed upstream unchanged. */
export function splitExtra<T extends object>(body: Json, known: ReadonlySet<string>): T {
  let extra: Json | undefined;
  const out: Json = {};
  for (const key in body) {
    if (known.has(key)) out[key] = body[key];
    else (extra ??= {})[key] = body[key];
  }
  if (extra) out.extra = extra;
  return out as T;
}

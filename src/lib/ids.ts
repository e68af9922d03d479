import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random base62 string; `bytes` of entropy drawn from the OS. */
export function randomBase62(length: number): string {
  const buf = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[buf[i]! % 62];
  return out;
}

let counter = 0;
const prefix = randomBase62(8);

/** Request ids: unique per process start and cheap (no crypto call per request). */
export function requestId(): string {
  counter = (counter + 1) % 0x7fffffff;
  return `req_${prefix}${counter.toString(36)}`;
}

/** Ids for chat completions created by the gateway itself (e.g. the embedded engine). */
export function completionId(kind = "chatcmpl"): string {
  return `${kind}-${randomBase62(24)}`;
}

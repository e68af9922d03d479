import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A uniformly random base62 string from the OS's generator (rejection sampling: no modulo bias). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const buf = randomBytes(length * 2);
    for (let i = 0; i < buf.length && out.length < length; i++) {
      // 248 = 4 x 62: bytes at or above it would favour the first characters, so they are skipped.
      if (buf[i]! < 248) out += ALPHABET[buf[i]! % 62];
    }
  }
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
